// Erasure requests (GDPR art. 17) of RetentionService: a person, or a tenancy's personal
// data. The audit log stays: it is the record the law makes us keep.
#include <optional>
#include <sstream>
#include <variant>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include "data/retention.hpp"
#include "hearth/status.h"

namespace hearth::data {
namespace {

std::string to_json(const Poco::JSON::Object &object) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(object, out);
  return out.str();
}

// Counts the rows a statement returns.
storage::RowCallback counter(std::int64_t &count) {
  return [&count](const storage::Row &) {
    ++count;
    return true;
  };
}

} // namespace

LifecycleOutcome RetentionService::erase_person(const policy::Actor &actor, const std::string &person_id) {
  std::int64_t persons = 0;
  std::optional<std::string> tenancy_id;
  store_.transaction([&] {
    const storage::Value id[] = {person_id};
    tenancy_id.reset();
    store_.execute("SELECT tenancy_id FROM hearth_person WHERE id = ?", id, [&](const storage::Row &row) {
      if (const auto *text = std::get_if<std::string>(&row.values[0])) tenancy_id = *text;
      return false;
    });
    store_.execute("DELETE FROM hearth_person WHERE id = ? RETURNING id", id, counter(persons));
    if (persons > 0) {
      record(actor, "erasure:person:" + person_id, "erasure", true);
    }
  });
  if (persons == 0) {
    return {HEARTH_ERROR_NOT_FOUND, "args.person_id: no such person"}; // never echo the id: it may be a name
  }
  if (on_erased_) {
    Poco::JSON::Object event;
    event.set("kind", "person");
    event.set("person_id", person_id);
    event.set("tenancy_id", tenancy_id ? Poco::Dynamic::Var(*tenancy_id) : Poco::Dynamic::Var());
    on_erased_("person:" + person_id, to_json(event));
  }
  Poco::JSON::Object answer;
  answer.set("person", persons);
  return {HEARTH_OK, to_json(answer)};
}

LifecycleOutcome RetentionService::erase_tenancy(const policy::Actor &actor, const std::string &tenancy_id) {
  bool exists = false;
  std::map<std::string, std::int64_t> signals;
  std::int64_t events = 0, outcomes = 0, persons = 0;
  store_.transaction([&] {
    const storage::Value id[] = {tenancy_id};
    store_.execute("SELECT 1 FROM hearth_tenancy WHERE id = ?", id, [&](const storage::Row &) {
      exists = true;
      return false;
    });
    if (!exists) {
      return;
    }
    events = delete_signals("tenancy_id = ?", id, signals);
    store_.execute("DELETE FROM hearth_outcome WHERE tenancy_id = ? RETURNING tenancy_id", id, counter(outcomes));
    store_.execute("DELETE FROM hearth_person WHERE tenancy_id = ? RETURNING id", id, counter(persons));
    const storage::Value clear[] = {clock_.now_ms(), tenancy_id};
    store_.execute("UPDATE hearth_tenancy SET tenant_user = NULL, portfolio_owner = NULL, updated_at_ms = ?"
                   " WHERE id = ?",
                   clear);
    record(actor, "erasure:tenancy:" + tenancy_id, "erasure", true);
  });
  if (!exists) {
    return {HEARTH_ERROR_NOT_FOUND, "args.tenancy_id: no such tenancy"};
  }
  if (on_erased_) {
    Poco::JSON::Object event;
    event.set("kind", "tenancy");
    event.set("tenancy_id", tenancy_id);
    on_erased_("tenancy:" + tenancy_id, to_json(event));
  }
  std::int64_t signal_count = 0;
  for (const auto &[type, count] : signals) signal_count += count;
  Poco::JSON::Object answer;
  answer.set("signal", signal_count);
  answer.set("event_log", events);
  answer.set("outcome", outcomes);
  answer.set("person", persons);
  return {HEARTH_OK, to_json(answer)};
}

} // namespace hearth::data
