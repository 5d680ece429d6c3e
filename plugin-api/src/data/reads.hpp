// Reading personal data through host.h: every read is checked by the policy (function,
// record and field level) and written to the audit log. A record the actor may not see
// answers exactly like a missing one.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <Poco/JSON/Object.h>

#include "audit/audit_log.hpp"
#include "policy/policy.hpp"
#include "runtime/clock.hpp"
#include "storage/store.hpp"

namespace hearth::data {

struct ReadOutcome {
  std::int32_t status = 0; // a hearth_status
  std::string json;        // the answer when OK, else the reason
};

class Reader {
public:
  Reader(storage::Store &store, runtime::Clock &clock, audit::AuditLog &audit, const policy::Policy &policy);

  // Views:
  //  "tenancy.signals"  {"tenancy_id": ".."}  the tenancy's signals the actor may see
  //  "audit.viewers"    {"object": "tenancy:.."} who read, searched or exported that object
  //  "audit.verify"     {}                      the tamper check of the audit chain
  //  "dead-letters"     {"limit": 100}          rejected input (no personal data)
  //  "store.counts"     {}                      rows per table (no personal data)
  //  "unit.by-address"  {"postcode","house_number","entrance"?}  the unit at that address and
  //                     its tenancy running today: {"unit_id","tenancy_id" or null}
  //                     (unit_lookup.cpp)
  //  "audit.search"     {"user"?, "object"?, "event"?, "from_ms"?, "to_ms"?, "limit"? (100, ≤ 1000)}
  //                     audit entries, newest first (auditors only). Since 1.2.
  //  "runtime.plugins"  {}  the plugins with versions and states (administrators). Since 1.2.
  //  "runtime.settings" {}  the configuration, secrets masked (administrators). Since 1.2.
  ReadOutcome read(const policy::Actor &actor, const std::string &what, const std::string &args_json);

  // Where "runtime.plugins" and "runtime.settings" come from; set once by the runtime before
  // plugins load (the reader knows no plugin registry).
  void set_runtime_views(std::function<std::string()> plugins_json,
                         std::function<std::string()> settings_json);

private:
  ReadOutcome audit_search(const policy::Actor &actor, const Poco::JSON::Object &args);
  ReadOutcome runtime_view(const policy::Actor &actor, const std::string &what);
  ReadOutcome tenancy_signals(const policy::Actor &actor, const std::string &tenancy_id);
  ReadOutcome audit_viewers(const policy::Actor &actor, const std::string &object);
  ReadOutcome audit_verify(const policy::Actor &actor);
  ReadOutcome dead_letters(const policy::Actor &actor, std::int64_t limit);
  ReadOutcome store_counts(const policy::Actor &actor);
  ReadOutcome unit_by_address(const policy::Actor &actor, const std::string &postcode,
                              const std::string &house_number, const std::string &entrance);
  void record(const policy::Actor &actor, const std::string &event, const std::string &objects, bool allowed);

  storage::Store &store_;
  runtime::Clock &clock_;
  audit::AuditLog &audit_;
  const policy::Policy &policy_;
  std::function<std::string()> plugins_json_;
  std::function<std::string()> settings_json_;
};

} // namespace hearth::data
