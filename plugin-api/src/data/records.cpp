#include "data/records.hpp"

#include <optional>
#include <regex>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "hearth/status.h"
#include "privacy/bsn.hpp"
#include "data/audit_entry.hpp"

namespace hearth::data {
namespace {

// A bad record: which field, and why (never the value).
struct RecordError {
  std::string field;
  std::string reason;
};

class RecordReader {
public:
  RecordReader(const Poco::JSON::Object::Ptr &object, std::size_t index)
      : object_(object), prefix_("records[" + std::to_string(index) + "].") {}

  std::string required(const std::string &key) const {
    auto value = optional(key);
    if (!value) {
      throw RecordError{prefix_ + key, "is missing"};
    }
    return *value;
  }
  std::optional<std::string> optional(const std::string &key) const {
    if (!object_->has(key) || object_->isNull(key)) {
      return std::nullopt;
    }
    const auto value = object_->get(key);
    if (!value.isString()) {
      throw RecordError{prefix_ + key, "must be a string"};
    }
    std::string text = value.convert<std::string>();
    if (text.empty()) {
      return std::nullopt;
    }
    if (text.size() > 200) {
      throw RecordError{prefix_ + key, "is longer than 200 characters"};
    }
    return text;
  }
  std::string identifier(const std::string &key) const {
    std::string id = required(key);
    if (privacy::bsn_is_valid(id)) {
      throw RecordError{prefix_ + key, "looks like a BSN; use a pseudonymous id"};
    }
    return id;
  }
  std::string date(const std::string &key, bool is_required) const {
    auto text = is_required ? std::optional<std::string>(required(key)) : optional(key);
    if (!text) {
      return {};
    }
    static const std::regex iso_date(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))");
    if (!std::regex_match(*text, iso_date)) {
      throw RecordError{prefix_ + key, "must be a date as YYYY-MM-DD"};
    }
    return *text;
  }
  const std::string &prefix() const { return prefix_; }

private:
  Poco::JSON::Object::Ptr object_;
  std::string prefix_;
};

storage::Value nullable(const std::optional<std::string> &text) {
  return text ? storage::Value{*text} : storage::Value{};
}

} // namespace

RecordStore::RecordStore(storage::Store &store, runtime::Clock &clock, audit::AuditLog &audit,
                         const policy::Policy &policy, const privacy::FieldCipher *cipher)
    : store_(store), clock_(clock), audit_(audit), policy_(policy), cipher_(cipher) {}

RecordsOutcome RecordStore::put(const policy::Actor &actor, const std::string &json) {
  RecordsOutcome outcome;
  Poco::JSON::Array::Ptr records;
  try {
    records = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Array::Ptr>();
  } catch (const std::exception &) {
    outcome.status = HEARTH_ERROR_INVALID_ARGUMENT;
    outcome.message = "records: not a JSON array";
    return outcome;
  }
  const std::int64_t now = clock_.now_ms();
  std::vector<std::string> objects;
  try {
    store_.transaction([&] {
      for (std::size_t i = 0; i < records->size(); ++i) {
        const auto object = records->getObject(static_cast<unsigned>(i));
        if (!object) {
          throw RecordError{"records[" + std::to_string(i) + "]", "must be an object"};
        }
        RecordReader r(object, i);
        const std::string kind = r.required("kind");
        const policy::DataClass data_class =
            kind == "person" ? policy::DataClass::contact : policy::DataClass::housing;
        const auto decision = policy_.check(actor, policy::Action::create, data_class, std::nullopt);
        if (!decision.allowed) {
          throw RecordError{r.prefix() + "kind", "role '" + actor.role + "' may not store " + kind + " records"};
        }
        if (kind == "unit") {
          const std::string id = r.identifier("id");
          const storage::Value params[] = {id, nullable(r.optional("bag_id")), r.required("street"),
                                           r.required("house_number"), nullable(r.optional("postcode")),
                                           nullable(r.optional("entrance")), r.required("neighbourhood_code"), now};
          store_.execute("INSERT INTO hearth_unit (id, bag_id, street, house_number, postcode, entrance,"
                         " neighbourhood_code, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                         " ON CONFLICT (id) DO UPDATE SET bag_id = excluded.bag_id, street = excluded.street,"
                         " house_number = excluded.house_number, postcode = excluded.postcode,"
                         " entrance = excluded.entrance, neighbourhood_code = excluded.neighbourhood_code,"
                         " updated_at_ms = excluded.updated_at_ms",
                         params);
          objects.push_back("unit:" + id);
        } else if (kind == "tenancy") {
          const std::string id = r.identifier("id");
          const std::string unit = r.required("unit_id");
          bool unit_known = false;
          const storage::Value unit_param[] = {unit};
          store_.execute("SELECT 1 FROM hearth_unit WHERE id = ?", unit_param, [&](const storage::Row &) {
            unit_known = true;
            return false;
          });
          if (!unit_known) {
            throw RecordError{r.prefix() + "unit_id", "names a unit Hearth does not know; send the unit first"};
          }
          const std::string start = r.date("start_date", true);
          const std::string end = r.date("end_date", false);
          const storage::Value params[] = {id, unit, start, end.empty() ? storage::Value{} : storage::Value{end},
                                           nullable(r.optional("portfolio_owner")), nullable(r.optional("tenant_user")),
                                           now};
          store_.execute("INSERT INTO hearth_tenancy (id, unit_id, start_date, end_date, portfolio_owner, tenant_user,"
                         " updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"
                         " ON CONFLICT (id) DO UPDATE SET unit_id = excluded.unit_id, start_date = excluded.start_date,"
                         " end_date = excluded.end_date, portfolio_owner = excluded.portfolio_owner,"
                         " tenant_user = excluded.tenant_user, updated_at_ms = excluded.updated_at_ms",
                         params);
          objects.push_back("tenancy:" + id);
        } else if (kind == "person") {
          const std::string id = r.identifier("id");
          storage::Value sealed, index;
          if (auto bsn = r.optional("bsn")) {
            if (!privacy::bsn_is_valid(*bsn)) {
              throw RecordError{r.prefix() + "bsn", "fails the elfproef"};
            }
            if (cipher_ == nullptr) {
              throw RecordError{r.prefix() + "bsn", "cannot be stored: no field key is configured (privacy.field_key)"};
            }
            sealed = cipher_->encrypt(*bsn, "person:" + id + ":bsn");
            index = cipher_->blind_index(*bsn);
          }
          const storage::Value params[] = {id, nullable(r.optional("tenancy_id")), nullable(r.optional("household_role")),
                                           sealed, index, now};
          store_.execute("INSERT INTO hearth_person (id, tenancy_id, household_role, bsn_sealed, bsn_index, updated_at_ms)"
                         " VALUES (?, ?, ?, ?, ?, ?)"
                         " ON CONFLICT (id) DO UPDATE SET tenancy_id = excluded.tenancy_id,"
                         " household_role = excluded.household_role, bsn_sealed = excluded.bsn_sealed,"
                         " bsn_index = excluded.bsn_index, updated_at_ms = excluded.updated_at_ms",
                         params);
          objects.push_back("person:" + id);
        } else if (kind == "outcome") {
          const std::string tenancy = r.required("tenancy_id");
          const std::string what = r.required("outcome");
          if (what != "stable" && what != "help_accepted" && what != "notice_to_quit" && what != "eviction") {
            throw RecordError{r.prefix() + "outcome", "must be stable, help_accepted, notice_to_quit or eviction"};
          }
          const storage::Value params[] = {tenancy, what, r.date("decided_on", true), now};
          store_.execute("INSERT INTO hearth_outcome (tenancy_id, outcome, decided_on, updated_at_ms) VALUES (?, ?, ?, ?)"
                         " ON CONFLICT (tenancy_id) DO UPDATE SET outcome = excluded.outcome,"
                         " decided_on = excluded.decided_on, updated_at_ms = excluded.updated_at_ms",
                         params);
          objects.push_back("tenancy:" + tenancy);
        } else {
          throw RecordError{r.prefix() + "kind", "must be unit, tenancy, person or outcome"};
        }
      }
      if (!objects.empty()) {
        std::string named = "records:" + std::to_string(objects.size());
        if (objects.size() <= 50) {
          named.clear();
          for (const auto &o : objects) {
            named += (named.empty() ? "" : ",") + o;
          }
        }
        audit_.append(audit_entry(actor, "create", named), now);
      }
    });
  } catch (const RecordError &error) {
    outcome.status = HEARTH_ERROR_INVALID_ARGUMENT;
    outcome.message = error.field + ": " + error.reason + "; nothing was stored";
    return outcome;
  } catch (const storage::StorageError &error) {
    outcome.status = HEARTH_ERROR_IO;
    outcome.message = std::string("the records were not stored: ") + error.what();
    return outcome;
  }
  outcome.status = HEARTH_OK;
  outcome.stored = static_cast<std::uint32_t>(objects.size());
  return outcome;
}

} // namespace hearth::data
