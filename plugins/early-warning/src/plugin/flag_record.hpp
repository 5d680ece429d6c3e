// A stored flag (table ew_flag) and its JSON: the inputs it used and each signal's and
// category's contribution, as stored, so that it recomputes and explains itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "engine/explanation.hpp"
#include "engine/flag_board.hpp"
#include "engine/score.hpp"

namespace hearth::early_warning {

// Who decided on a flag, when, how and why.
struct Decision {
  std::uint32_t number = 0;   // 1 for the first decision, 2 for its first revision, ...; 0 while proposed
  FlagStatus status = FlagStatus::proposed;
  std::string level;          // the level the flag ends at ("" while proposed)
  std::string by, on_behalf_of, role, organisation;
  std::int64_t at_ms = 0;
  std::string reason;
};

struct FlagRecord {
  std::string id;               // "F<trigger seq>-<rule set short hash>"
  std::string tenancy_id;
  std::uint64_t trigger_seq = 0;
  std::string rule_set_sha256;
  std::string rule_set_version;
  std::int64_t score = 0;
  std::string level;
  std::int64_t evaluated_at_ms = 0; // the minute the score was evaluated at
  std::int64_t raised_at_ms = 0;    // runtime clock when it was stored
  std::string neighbourhood_code;
  std::string inputs_json;
  std::string contributions_json;
  Decision decision;              // the current (latest) one; status proposed until a person decides
  std::vector<Decision> decisions; // every decision, oldest first (filled by FlagStore::by_id and for_tenancy)
};

// The id of the flag raised by signal `seq` under the rule set with hash `sha256`.
std::string flag_id(std::uint64_t seq, const std::string &sha256);

// The inputs as stored ([{"seq","type","detail","occurred_at_ms","amount_cents","severity"}]).
std::string inputs_to_json(const std::vector<SignalInput> &inputs);
// Reads them back. Throws std::runtime_error when the text is not such a list.
std::vector<SignalInput> inputs_from_json(const std::string &json);

// The contributions as stored: the evaluation minute, total, level, each category and
// combination with its points, and each signal's points before and after decay.
std::string contributions_to_json(const RuleSet &rules, const ScoreBreakdown &score);

// A decision as JSON: number, status, level, by, on_behalf_of, role, organisation, at_ms,
// reason.
Poco::JSON::Object::Ptr decision_to_json(const Decision &decision);

// A flag for people: id, tenancy, level, score, status, rule set, times, the current
// decision and every decision ("decisions", oldest first), and its explanation in
// `language` (from `score`, the breakdown recomputed from its inputs).
Poco::JSON::Object::Ptr flag_to_json(const FlagRecord &flag, const RuleSet &rules, const ScoreBreakdown &score,
                                     Language language);

// JSON text of any Poco value, condensed.
std::string to_json_text(const Poco::Dynamic::Var &value);

} // namespace hearth::early_warning
