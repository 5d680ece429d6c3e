#include "data/ingestor.hpp"

#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <vector>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "hearth/status.h"
#include "data/audit_entry.hpp"

namespace hearth::data {
namespace {

// Raised inside the transaction when a signal names a tenancy Hearth does not know:
// rolls everything back, then the batch is dead-lettered like any invalid input.
struct UnknownTenancy {
  std::uint32_t index;
};

// Sets `value` to `text`, reusing its string's buffer when it already holds one.
void set_text(storage::Value &value, std::string_view text) {
  if (auto *held = std::get_if<std::string>(&value)) {
    held->assign(text);
  } else {
    value = std::string(text);
  }
}

void feed(Poco::SHA2Engine &engine, const char *text) {
  const std::string value = text != nullptr ? text : "";
  const std::string length = std::to_string(value.size()) + ":";
  engine.update(length);
  engine.update(value);
}

} // namespace

std::string signal_fingerprint(const hearth_signal *signal) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  if (signal != nullptr && signal->struct_size >= offsetof(hearth_signal, reporter_user) + sizeof(const char *)) {
    for (const char *text : {signal->source, signal->external_id, signal->type, signal->detail, signal->tenancy_id,
                             signal->legal_basis, signal->purpose, signal->reporter_user}) {
      feed(engine, text);
    }
    for (std::int64_t number : {signal->occurred_at_ms, signal->amount_cents, static_cast<std::int64_t>(signal->severity)}) {
      feed(engine, std::to_string(number).c_str());
    }
  }
  return Poco::DigestEngine::digestToHex(engine.digest());
}

Ingestor::Ingestor(storage::Store &store, runtime::Clock &clock, ValidationRules rules, audit::AuditLog &audit,
                   const policy::Policy &policy, EventLogFollower &follower)
    : store_(store), clock_(clock), rules_(std::move(rules)), audit_(audit), policy_(policy), follower_(follower) {}

IngestOutcome Ingestor::ingest(const policy::Actor &actor, std::span<const hearth_signal *const> signals) {
  IngestOutcome outcome;
  const std::int64_t now = clock_.now_ms();
  if (signals.empty()) {
    outcome.status = HEARTH_ERROR_INVALID_ARGUMENT;
    outcome.message = "signals: the batch is empty";
    return outcome;
  }

  // 1. Validate everything before touching the store.
  std::vector<CanonicalSignal> valid;
  valid.reserve(signals.size());
  std::vector<std::pair<std::uint32_t, FieldError>> errors;
  for (std::uint32_t i = 0; i < signals.size(); ++i) {
    auto checked = validate_signal(signals[i], i, rules_, now);
    if (auto *error = std::get_if<FieldError>(&checked)) {
      errors.emplace_back(i, std::move(*error));
    } else {
      valid.push_back(std::move(std::get<CanonicalSignal>(checked)));
    }
  }
  const std::string batch_source =
      signals[0] != nullptr && signals[0]->source != nullptr ? signals[0]->source : "";
  auto reject = [&](std::vector<std::pair<std::uint32_t, FieldError>> rejected) {
    outcome.status = HEARTH_ERROR_INVALID_ARGUMENT;
    outcome.rejected = static_cast<std::uint32_t>(rejected.size());
    outcome.first_rejected = rejected.front().first;
    outcome.message = rejected.front().second.message();
    if (rejected.size() > 1) {
      outcome.message += " (and " + std::to_string(rejected.size() - 1) + " more rejected)";
    }
    outcome.message += "; nothing of the batch was stored";
    try {
      dead_letter(batch_source, rejected, signals);
    } catch (const std::exception &e) {
      outcome.message += "; the dead-letter record failed too: " + std::string(e.what());
    }
    return outcome;
  };
  if (!errors.empty()) {
    return reject(std::move(errors));
  }

  // 2. The actor must be allowed to create every data class in the batch.
  std::set<std::string> classes;
  for (const auto &signal : valid) {
    classes.insert(signal.type_entry->data_class);
  }
  for (const auto &data_class : classes) {
    const auto decision =
        policy_.check(actor, policy::Action::create, *policy::parse_data_class(data_class), std::nullopt);
    if (!decision.allowed) {
      outcome.status = HEARTH_ERROR_DENIED;
      outcome.message = "actor: role '" + actor.role + "' may not create " + data_class + " data: " + decision.reason;
      const auto denied = audit_entry(actor, "create", "signal-batch:" + batch_source, false);
      try {
        audit_.append(denied, now);
      } catch (const std::exception &) {
        // The refusal stands either way.
      }
      return outcome;
    }
  }

  // 3. One transaction: tenancies exist, signals inserted (duplicates skipped), one event
  //    per new signal, one audit entry, a notification for other instances.
  try {
    store_.transaction([&] {
      lock_event_log_for_append(store_);
      const bool sqlite = store_.backend() == storage::Backend::sqlite;
      // Every statement of the batch is prepared once and run per signal.
      std::map<std::string, bool, std::less<>> known;
      std::unique_ptr<storage::PreparedStatement> tenancy_lookup;
      for (std::uint32_t i = 0; i < valid.size(); ++i) {
        auto it = known.find(valid[i].tenancy_id);
        if (it == known.end()) {
          it = known.emplace(std::string(valid[i].tenancy_id), false).first;
          if (!tenancy_lookup) {
            tenancy_lookup = store_.prepare("SELECT 1 FROM hearth_tenancy WHERE id = ?");
          }
          const storage::Value id[] = {std::string(valid[i].tenancy_id)};
          tenancy_lookup->run(id, [&](const storage::Row &) {
            it->second = true;
            return false;
          });
        }
        if (!it->second) {
          throw UnknownTenancy{i};
        }
      }
      tenancy_lookup.reset();
      // SQLite: no RETURNING (it builds a temporary b-tree per row); one changed row means
      // inserted, and seq (INTEGER PRIMARY KEY) is the last insert rowid.
      const std::unique_ptr<storage::PreparedStatement> insert_signal = store_.prepare(
          std::string("INSERT INTO hearth_signal (source, external_id, type, detail, tenancy_id, occurred_at_ms,"
                      " received_at_ms, amount_cents, severity, data_class, legal_basis, purpose, reporter_user)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      " ON CONFLICT (source, external_id) DO NOTHING") +
          (sqlite ? "" : " RETURNING seq"));
      // Each inserted signal row is its own event (the log is hearth_signal, ADR 7): the
      // followers publish it after commit.
      storage::Value params[13];
      std::uint32_t accepted = 0, duplicates = 0;
      std::uint64_t first = 0, last = 0;
      for (const auto &signal : valid) {
        set_text(params[0], signal.source);
        set_text(params[1], signal.external_id);
        set_text(params[2], signal.type);
        set_text(params[3], signal.detail);
        set_text(params[4], signal.tenancy_id);
        params[5] = signal.occurred_at_ms;
        params[6] = now;
        params[7] = signal.amount_cents;
        params[8] = std::int64_t{signal.severity};
        set_text(params[9], signal.type_entry->data_class);
        set_text(params[10], signal.legal_basis);
        set_text(params[11], signal.purpose);
        if (signal.reporter_user.empty()) {
          params[12] = std::monostate{};
        } else {
          set_text(params[12], signal.reporter_user);
        }
        std::optional<std::int64_t> signal_seq;
        if (sqlite) {
          if (insert_signal->run(params) == 1) {
            signal_seq = insert_signal->last_insert_rowid();
          }
        } else {
          insert_signal->run(params, [&](const storage::Row &row) {
            signal_seq = std::get<std::int64_t>(row.values[0]);
            return false;
          });
        }
        if (!signal_seq) {
          ++duplicates;
          continue;
        }
        ++accepted;
        const auto seq = static_cast<std::uint64_t>(*signal_seq);
        first = first == 0 ? seq : first;
        last = seq;
      }
      if (accepted > 0) {
        auto entry = audit_entry(actor, "create",
                                 "signal-batch:" + batch_source + ":events:" + std::to_string(first) + "-" +
                                     std::to_string(last));
        entry.purpose = std::string(valid.front().purpose);
        audit_.append(entry, now);
        notify_event_log(store_);
      }
      outcome.accepted = accepted;
      outcome.duplicates = duplicates;
      outcome.first_sequence = first;
      outcome.last_sequence = last;
    });
  } catch (const UnknownTenancy &unknown) {
    outcome = IngestOutcome{};
    std::vector<std::pair<std::uint32_t, FieldError>> rejected;
    rejected.emplace_back(unknown.index, FieldError{"signals[" + std::to_string(unknown.index) + "].tenancy_id",
                                                    "names a tenancy Hearth does not know; send the tenancy first"});
    return reject(std::move(rejected));
  } catch (const std::exception &e) {
    outcome = IngestOutcome{};
    outcome.status = HEARTH_ERROR_IO;
    outcome.message = std::string("the batch was not stored: ") + e.what();
    return outcome;
  }
  outcome.status = HEARTH_OK;
  if (outcome.accepted > 0) {
    follower_.wake();
  }
  return outcome;
}

void Ingestor::dead_letter(const std::string &source, std::span<const std::pair<std::uint32_t, FieldError>> errors,
                           std::span<const hearth_signal *const> signals) {
  const std::int64_t now = clock_.now_ms();
  store_.transaction([&] {
    for (const auto &[index, error] : errors) {
      const auto dot = error.field.find('.');
      const storage::Value params[] = {source.empty() ? std::string("(unknown)") : source, std::int64_t{index},
                                       dot == std::string::npos ? std::string() : error.field.substr(dot + 1),
                                       error.reason, now, signal_fingerprint(signals[index])};
      store_.execute("INSERT INTO hearth_dead_letter (source, item_index, field, reason, received_at_ms, payload_sha256)"
                     " VALUES (?, ?, ?, ?, ?, ?)",
                     params);
    }
  });
}

} // namespace hearth::data
