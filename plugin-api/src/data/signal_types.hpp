// The product's own table of the signal types it understands. VERA's codes
// (SIGNALERINGSOORT / SIGNALERINGDETAILSOORT) wherever VERA has one; "X-" codes of our own
// for signals VERA's Signalering does not cover (repairs without access, missed
// appointments, payment arrangements). docs/data.md lists them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hearth::data {

struct SignalType {
  const char *type;        // e.g. "SCH"
  const char *detail;      // e.g. "BET"; "" for the type without detail
  const char *name_nl;
  const char *name_en;
  const char *data_class;  // a policy data class: finance, nuisance, care, housing, contact
  bool from_vera;          // true when type and detail are VERA codes
};

// Every known (type, detail) pair.
const std::vector<SignalType> &signal_types();

// The entry for `type` and `detail` ("" for none), or nullptr.
const SignalType *find_signal_type(std::string_view type, std::string_view detail);

} // namespace hearth::data
