// The end of personal data's life: retention periods from the [retention] section of the
// configuration, the purge that deletes what outlived them, and erasure requests (a
// person, or a tenancy's personal data). Only an administrator may purge or erase; every
// purge, erasure and refusal is written to the audit log.
//
// The audit log itself (hearth_audit_log) is never purged or erased here. NEN 7513 keeps
// it at least 5 years, and the law that makes us erase a person's data makes us keep the
// record of who accessed it. Deleting old audit entries would also break the hash chain
// that verify() walks from sequence 1: that needs a checkpoint design first (store the
// hash of the last removed entry as a signed anchor and let verify() start from it).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>

#include "audit/audit_log.hpp"
#include "policy/policy.hpp"
#include "runtime/clock.hpp"
#include "storage/store.hpp"

namespace hearth::runtime {
class Config;
}

namespace hearth::data {

// A retention period: a whole number of days, calendar months or calendar years.
struct RetentionPeriod {
  enum class Unit { days, months, years };
  std::uint32_t count = 0;
  Unit unit = Unit::years;

  // Parses "30d", "6m" or "5y" (1 to 9999 of a unit); nullopt for anything else.
  static std::optional<RetentionPeriod> parse(const std::string &text);
  // The text form, "5y".
  std::string text() const;
  // The instant this period before `now_ms` (UTC): data older than it has expired.
  // Months and years are calendar steps; a day that does not exist in the target month
  // becomes that month's last day (31 March - 1m = 28 or 29 February).
  std::int64_t cutoff_ms(std::int64_t now_ms) const;
};

// The configured periods. Defaults (when a key is absent): signals 5 years, dead letters
// 1 year, outcomes 7 years.
struct RetentionRules {
  RetentionPeriod signal_default{5, RetentionPeriod::Unit::years};
  std::map<std::string, RetentionPeriod> signal_by_type; // "SCH" -> 7y
  RetentionPeriod dead_letter{1, RetentionPeriod::Unit::years};
  RetentionPeriod outcome{7, RetentionPeriod::Unit::years};

  // The period for signals of `type`: its own, else signal_default.
  const RetentionPeriod &for_signal(const std::string &type) const;
};

// Parses the [retention] settings, given as key (without "retention.") -> value:
// "signal.default", "signal.<TYPE>" for a type of the signal-type table (signal_types.hpp),
// "dead_letter", "outcome". `origin_of` names where a full key ("retention.outcome") came
// from, for messages. Throws runtime::ConfigError naming the key: a value that is not a
// period ("retention.signal.XYZ: '5q' is not a period like 30d, 6m or 5y"), a signal type
// Hearth does not know, or a key of another shape. Never puts personal data in a message.
RetentionRules parse_retention_rules(const std::map<std::string, std::string> &settings,
                                     const std::function<std::string(const std::string &)> &origin_of);

// The [retention] settings of `config` (built-in defaults, the site's hearth.ini and
// HEARTH_RETENTION_* overrides of keys those files name), parsed as above.
RetentionRules load_retention_rules(const runtime::Config &config);

// What a purge, an erasure or a refused request came to.
struct LifecycleOutcome {
  std::int32_t status = 0; // a hearth_status
  std::string json;        // the answer when OK, else the reason (no personal data)
};

// Purges and erases on the store, audited. Thread-safe as the store is.
class RetentionService {
public:
  RetentionService(storage::Store &store, runtime::Clock &clock, audit::AuditLog &audit, RetentionRules rules);

  // Runs `command` with JSON object `args_json` for `actor`:
  //  "purge"          {}                 -> {"signal":{"SCH":n,..},"dead_letter":n,"outcome":n,"event_log":n}
  //  "erase-person"   {"person_id":".."} -> {"person":1}
  //  "erase-tenancy"  {"tenancy_id":".."}-> {"signal":n,"event_log":n,"outcome":n,"person":n}
  // Only role "administrator" may; others get HEARTH_ERROR_DENIED (audited as denied).
  // HEARTH_ERROR_NOT_FOUND for an unknown command or an id Hearth does not hold;
  // HEARTH_ERROR_INVALID_ARGUMENT for bad arguments. Never throws for bad input.
  LifecycleOutcome command(const policy::Actor &actor, const std::string &command, const std::string &args_json);

  // Deletes, in one transaction, every signal older than its type's period (by
  // occurred_at_ms) with its event-log row, every dead letter older than dead_letter (by
  // received_at_ms) and every outcome decided before outcome's cutoff date; appends one
  // audit entry (event "delete", objects "purge:signal:SCH:12,..."). The caller checked
  // the actor's role.
  LifecycleOutcome purge(const policy::Actor &actor);

  // Deletes the person row, sealed BSN included. One audit entry "erasure:person:<id>".
  LifecycleOutcome erase_person(const policy::Actor &actor, const std::string &person_id);

  // Deletes a tenancy's signals with their event-log rows, its outcome and its persons,
  // and clears its tenant_user and portfolio_owner; the tenancy and unit rows (housing
  // data without a person) stay, and so does the audit log. One audit entry
  // "erasure:tenancy:<id>".
  LifecycleOutcome erase_tenancy(const policy::Actor &actor, const std::string &tenancy_id);

  const RetentionRules &rules() const { return rules_; }

  // Called after an erasure committed and erased something, with the subject
  // ("tenancy:<id>", "person:<id>") and the JSON payload of HEARTH_EVENT_DATA_ERASED; the
  // runtime publishes it. Set once before the service is used. [any-thread]
  using ErasureListener = std::function<void(const std::string &subject, const std::string &payload_json)>;
  void on_erased(ErasureListener listener) { on_erased_ = std::move(listener); }

private:
  // Deletes the signals matching `where` (SQL over hearth_signal, with `params`) and
  // their event-log rows, inside the caller's transaction. Adds the deleted signals per
  // type to `per_type`; returns the number of event-log rows deleted.
  std::int64_t delete_signals(const std::string &where, std::span<const storage::Value> params,
                              std::map<std::string, std::int64_t> &per_type);
  // Appends an audit entry (event "delete") for `actor` on `objects`.
  void record(const policy::Actor &actor, const std::string &objects, const std::string &purpose, bool allowed);

  storage::Store &store_;
  runtime::Clock &clock_;
  audit::AuditLog &audit_;
  RetentionRules rules_;
  ErasureListener on_erased_;
};

} // namespace hearth::data
