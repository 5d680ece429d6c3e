#include "data/reads.hpp"

#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "hearth/status.h"
#include "data/audit_entry.hpp"

namespace hearth::data {
namespace {

std::string to_json(const Poco::Dynamic::Var &value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

std::string text_of(const storage::Value &value) {
  const auto *s = std::get_if<std::string>(&value);
  return s != nullptr ? *s : std::string();
}

std::int64_t int_of(const storage::Value &value) {
  const auto *i = std::get_if<std::int64_t>(&value);
  return i != nullptr ? *i : 0;
}

ReadOutcome not_found(const std::string &what) { return {HEARTH_ERROR_NOT_FOUND, what + ": not found"}; }

bool is_role(const policy::Actor &actor, const char *role) { return actor.role == role; }

// One audit entry as JSON: who, when, what kind of access. `full` adds what only an auditor
// sees (sequence, on whose behalf, access point, objects, purpose, outcome); a tenant asking
// who viewed their file gets the short form.
Poco::JSON::Object audit_entry_json(const audit::AuditEntry &entry, bool full) {
  Poco::JSON::Object item;
  if (full) item.set("sequence", entry.sequence);
  item.set("at_ms", entry.at_ms);
  item.set("event", entry.event);
  item.set("user", entry.user);
  if (full) item.set("on_behalf_of", entry.on_behalf_of);
  item.set("organisation", entry.organisation);
  item.set("role", entry.role);
  if (full) {
    item.set("access_point", entry.access_point);
    item.set("objects", entry.objects);
  }
  item.set("emergency", entry.emergency);
  if (full) {
    item.set("purpose", entry.purpose);
    item.set("outcome", entry.outcome);
  }
  return item;
}

} // namespace

Reader::Reader(storage::Store &store, runtime::Clock &clock, audit::AuditLog &audit, const policy::Policy &policy)
    : store_(store), clock_(clock), audit_(audit), policy_(policy) {}

void Reader::record(const policy::Actor &actor, const std::string &event, const std::string &objects, bool allowed) {
  audit_.append(audit_entry(actor, event, objects, allowed), clock_.now_ms());
}

ReadOutcome Reader::read(const policy::Actor &actor, const std::string &what, const std::string &args_json) {
  Poco::JSON::Object::Ptr args;
  try {
    args = Poco::JSON::Parser().parse(args_json.empty() ? "{}" : args_json).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception &) {
    return {HEARTH_ERROR_INVALID_ARGUMENT, "args: not a JSON object"};
  }
  auto required = [&](const char *key) -> std::optional<std::string> {
    if (!args->has(key) || !args->get(key).isString() || args->getValue<std::string>(key).empty()) {
      return std::nullopt;
    }
    return args->getValue<std::string>(key);
  };
  try {
    if (what == "tenancy.signals") {
      const auto id = required("tenancy_id");
      return id ? tenancy_signals(actor, *id) : ReadOutcome{HEARTH_ERROR_INVALID_ARGUMENT, "args.tenancy_id: missing"};
    }
    if (what == "audit.viewers") {
      const auto object = required("object");
      return object ? audit_viewers(actor, *object) : ReadOutcome{HEARTH_ERROR_INVALID_ARGUMENT, "args.object: missing"};
    }
    if (what == "audit.verify") {
      return audit_verify(actor);
    }
    if (what == "audit.search") {
      return audit_search(actor, *args);
    }
    if (what == "runtime.plugins" || what == "runtime.settings") {
      return runtime_view(actor, what);
    }
    if (what == "dead-letters") {
      const std::int64_t limit = args->has("limit") ? args->getValue<std::int64_t>("limit") : 100;
      return dead_letters(actor, std::clamp<std::int64_t>(limit, 1, 1000));
    }
    if (what == "store.counts") {
      return store_counts(actor);
    }
    if (what == "unit.by-address") {
      const auto postcode = required("postcode");
      const auto house_number = required("house_number");
      if (!postcode) return {HEARTH_ERROR_INVALID_ARGUMENT, "args.postcode: missing"};
      if (!house_number) return {HEARTH_ERROR_INVALID_ARGUMENT, "args.house_number: missing"};
      const std::string entrance = args->has("entrance") && args->get("entrance").isString()
                                       ? args->getValue<std::string>("entrance")
                                       : std::string();
      return unit_by_address(actor, *postcode, *house_number, entrance);
    }
  } catch (const storage::StorageError &e) {
    return {HEARTH_ERROR_IO, e.what()};
  }
  return {HEARTH_ERROR_NOT_FOUND, "what: unknown view '" + what + "'"};
}

ReadOutcome Reader::tenancy_signals(const policy::Actor &actor, const std::string &tenancy_id) {
  policy::RecordContext context;
  bool exists = false;
  const storage::Value id[] = {tenancy_id};
  store_.execute("SELECT portfolio_owner, tenant_user FROM hearth_tenancy WHERE id = ?", id, [&](const storage::Row &row) {
    exists = true;
    context.tenancy_id = tenancy_id;
    if (auto owner = text_of(row.values[0]); !owner.empty()) context.portfolio_owner = owner;
    if (auto tenant = text_of(row.values[1]); !tenant.empty()) context.tenant_user = tenant;
    return false;
  });
  if (!exists) {
    record(actor, "read", "tenancy:" + tenancy_id, false);
    return not_found("tenancy '" + tenancy_id + "'");
  }
  Poco::JSON::Array signals;
  bool any_class_allowed = false;
  store_.execute("SELECT seq, source, type, detail, occurred_at_ms, amount_cents, severity, data_class, reporter_user,"
                 " legal_basis, purpose FROM hearth_signal WHERE tenancy_id = ? ORDER BY occurred_at_ms, seq",
                 id, [&](const storage::Row &row) {
                   const auto data_class = policy::parse_data_class(text_of(row.values[7]));
                   if (!data_class) {
                     return true;
                   }
                   policy::RecordContext signal_context = context;
                   if (auto reporter = text_of(row.values[8]); !reporter.empty()) {
                     signal_context.reporter_user = reporter;
                   }
                   if (!policy_.check(actor, policy::Action::read, *data_class, signal_context).allowed) {
                     return true; // field level: this signal's class stays hidden
                   }
                   any_class_allowed = true;
                   Poco::JSON::Object signal;
                   signal.set("seq", int_of(row.values[0]));
                   signal.set("source", text_of(row.values[1]));
                   signal.set("type", text_of(row.values[2]));
                   signal.set("detail", text_of(row.values[3]));
                   signal.set("occurred_at_ms", int_of(row.values[4]));
                   signal.set("amount_cents", int_of(row.values[5]));
                   signal.set("severity", int_of(row.values[6]));
                   signal.set("data_class", text_of(row.values[7]));
                   signal.set("legal_basis", text_of(row.values[9]));
                   signal.set("purpose", text_of(row.values[10]));
                   signals.add(signal);
                   return true;
                 });
  // Without any read right on this tenancy the answer must equal "missing".
  const bool may_read_tenancy = policy_.check(actor, policy::Action::read, policy::DataClass::housing, context).allowed ||
                                any_class_allowed;
  record(actor, "read", "tenancy:" + tenancy_id, may_read_tenancy);
  if (!may_read_tenancy) {
    return not_found("tenancy '" + tenancy_id + "'");
  }
  Poco::JSON::Object answer;
  answer.set("tenancy_id", tenancy_id);
  answer.set("signals", signals);
  return {HEARTH_OK, to_json(answer)};
}

ReadOutcome Reader::audit_viewers(const policy::Actor &actor, const std::string &object) {
  bool allowed = is_role(actor, "auditor");
  if (!allowed && is_role(actor, "tenant") && object.rfind("tenancy:", 0) == 0) {
    const storage::Value id[] = {object.substr(8)};
    store_.execute("SELECT tenant_user FROM hearth_tenancy WHERE id = ?", id, [&](const storage::Row &row) {
      allowed = text_of(row.values[0]) == actor.user;
      return false;
    });
  }
  record(actor, "search", "audit-log:" + object, allowed);
  if (!allowed) {
    return not_found("object '" + object + "'");
  }
  Poco::JSON::Array viewers;
  for (const auto &entry : audit_.viewers_of(object)) {
    viewers.add(audit_entry_json(entry, false));
  }
  return {HEARTH_OK, to_json(viewers)};
}

void Reader::set_runtime_views(std::function<std::string()> plugins_json,
                               std::function<std::string()> settings_json) {
  plugins_json_ = std::move(plugins_json);
  settings_json_ = std::move(settings_json);
}

ReadOutcome Reader::runtime_view(const policy::Actor &actor, const std::string &what) {
  if (!is_role(actor, "administrator")) {
    return {HEARTH_ERROR_DENIED, "role '" + actor.role + "' may not read " + what};
  }
  const auto &source = what == "runtime.plugins" ? plugins_json_ : settings_json_;
  if (!source) {
    return {HEARTH_ERROR_UNSUPPORTED, what + ": not available in this runtime"};
  }
  return {HEARTH_OK, source()};
}

ReadOutcome Reader::audit_search(const policy::Actor &actor, const Poco::JSON::Object &args) {
  audit::AuditLog::Filter filter;
  const auto text = [&](const char *key, std::optional<std::string> &into) -> std::optional<ReadOutcome> {
    if (!args.has(key) || args.get(key).isEmpty()) return std::nullopt;
    if (!args.get(key).isString()) {
      return ReadOutcome{HEARTH_ERROR_INVALID_ARGUMENT, std::string("args.") + key + ": not a string"};
    }
    const auto value = args.getValue<std::string>(key);
    if (!value.empty()) into = value;
    return std::nullopt;
  };
  const auto number = [&](const char *key, std::optional<std::int64_t> &into) -> std::optional<ReadOutcome> {
    if (!args.has(key) || args.get(key).isEmpty()) return std::nullopt;
    if (!args.get(key).isInteger()) {
      return ReadOutcome{HEARTH_ERROR_INVALID_ARGUMENT, std::string("args.") + key + ": not an integer"};
    }
    into = args.getValue<std::int64_t>(key);
    return std::nullopt;
  };
  std::optional<std::int64_t> limit;
  for (const auto &problem : {text("user", filter.user), text("object", filter.object_id), text("event", filter.event),
                              number("from_ms", filter.from_ms), number("to_ms", filter.to_ms), number("limit", limit)}) {
    if (problem) return *problem;
  }
  if (limit && (*limit < 1 || *limit > 1000)) {
    return {HEARTH_ERROR_INVALID_ARGUMENT, "args.limit: must be 1 to 1000"};
  }
  filter.limit = limit ? static_cast<std::size_t>(*limit) : 100;
  const bool allowed = is_role(actor, "auditor");
  record(actor, "search", "audit-log", allowed);
  if (!allowed) {
    return {HEARTH_ERROR_DENIED, "role '" + actor.role + "' may not search the audit log"};
  }
  Poco::JSON::Array entries;
  for (const auto &entry : audit_.search(filter)) {
    entries.add(audit_entry_json(entry, true));
  }
  Poco::JSON::Object answer;
  answer.set("entries", entries);
  return {HEARTH_OK, to_json(answer)};
}

ReadOutcome Reader::audit_verify(const policy::Actor &actor) {
  const bool allowed = is_role(actor, "auditor") || is_role(actor, "administrator");
  record(actor, "search", "audit-log", allowed);
  if (!allowed) {
    return {HEARTH_ERROR_DENIED, "role '" + actor.role + "' may not verify the audit log"};
  }
  const auto result = audit_.verify();
  Poco::JSON::Object answer;
  answer.set("intact", result.intact);
  answer.set("entries", result.entries);
  if (result.first_bad) {
    answer.set("first_bad", *result.first_bad);
    answer.set("reason", result.reason);
  }
  return {HEARTH_OK, to_json(answer)};
}

ReadOutcome Reader::dead_letters(const policy::Actor &actor, std::int64_t limit) {
  if (!is_role(actor, "administrator") && !is_role(actor, "system")) {
    return {HEARTH_ERROR_DENIED, "role '" + actor.role + "' may not read dead letters"};
  }
  Poco::JSON::Array items;
  const storage::Value params[] = {limit};
  store_.execute("SELECT id, source, item_index, field, reason, received_at_ms, payload_sha256 FROM hearth_dead_letter"
                 " ORDER BY id DESC LIMIT ?",
                 params, [&](const storage::Row &row) {
                   Poco::JSON::Object item;
                   item.set("id", int_of(row.values[0]));
                   item.set("source", text_of(row.values[1]));
                   item.set("item_index", int_of(row.values[2]));
                   item.set("field", text_of(row.values[3]));
                   item.set("reason", text_of(row.values[4]));
                   item.set("received_at_ms", int_of(row.values[5]));
                   item.set("payload_sha256", text_of(row.values[6]));
                   items.add(item);
                   return true;
                 });
  return {HEARTH_OK, to_json(items)};
}

} // namespace hearth::data

namespace hearth::data {

ReadOutcome Reader::store_counts(const policy::Actor &actor) {
  if (!is_role(actor, "administrator") && !is_role(actor, "system")) {
    return {HEARTH_ERROR_DENIED, "role '" + actor.role + "' may not read store counts"};
  }
  Poco::JSON::Object answer;
  for (const char *table : {"unit", "tenancy", "person", "signal", "outcome", "dead_letter", "event_log"}) {
    std::int64_t count = 0;
    store_.execute(std::string("SELECT COUNT(*) FROM hearth_") + table, {}, [&](const storage::Row &row) {
      count = int_of(row.values[0]);
      return false;
    });
    answer.set(table, count);
  }
  return {HEARTH_OK, to_json(answer)};
}

} // namespace hearth::data
