// Records and signals of the demo neighbourhood as JSON (Poco).
#include "demo/demo_json.hpp"

#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "demo/civil_date.hpp"

namespace hearth::demo {

namespace {

// Collects records and hands them on as JSON arrays of `batch_size`.
class RecordBatcher {
public:
  RecordBatcher(std::size_t batch_size, const std::function<void(const std::string &, std::size_t)> &batch)
      : batch_size_(batch_size == 0 ? 1 : batch_size), batch_(batch) {}

  // Adds one record; sends the batch when it is full.
  void add(const Poco::JSON::Object &record) {
    records_->add(record);
    if (records_->size() >= batch_size_) {
      flush();
    }
  }
  // Sends the records collected so far, if any.
  void flush() {
    if (records_->size() == 0) {
      return;
    }
    std::ostringstream json;
    records_->stringify(json);
    batch_(json.str(), records_->size());
    records_ = new Poco::JSON::Array;
  }

private:
  std::size_t batch_size_;
  const std::function<void(const std::string &, std::size_t)> &batch_;
  Poco::JSON::Array::Ptr records_ = new Poco::JSON::Array;
};

} // namespace

void for_each_record_batch(const DemoNeighbourhood &neighbourhood, std::size_t batch_size,
                           const std::function<void(const std::string &json, std::size_t count)> &batch) {
  RecordBatcher batcher(batch_size, batch);
  const auto count = static_cast<std::uint32_t>(neighbourhood.tenancies.size());
  for (std::uint32_t i = 0; i < count; ++i) {
    const DemoUnit &unit = neighbourhood.units[i];
    Poco::JSON::Object record;
    record.set("kind", "unit");
    record.set("id", unit_id(i));
    record.set("street", neighbourhoods()[unit.neighbourhood].streets[unit.street]);
    record.set("house_number", house_number(unit));
    record.set("postcode", postcode(unit));
    if (unit.entrance != 0) {
      record.set("entrance", std::string(1, unit.entrance));
    }
    record.set("neighbourhood_code", neighbourhoods()[unit.neighbourhood].code);
    batcher.add(record);
  }
  for (std::uint32_t i = 0; i < count; ++i) {
    const DemoTenancy &tenancy = neighbourhood.tenancies[i];
    Poco::JSON::Object record;
    record.set("kind", "tenancy");
    record.set("id", tenancy_id(i));
    record.set("unit_id", unit_id(i));
    record.set("start_date", iso_date(tenancy.start_day));
    if (tenancy.end_day >= 0) {
      record.set("end_date", iso_date(tenancy.end_day));
    }
    record.set("portfolio_owner", consultant_id(tenancy.consultant));
    record.set("tenant_user", tenant_user(i));
    batcher.add(record);
  }
  for (std::uint32_t i = 0; i < count; ++i) {
    const DemoTenancy &tenancy = neighbourhood.tenancies[i];
    for (std::uint32_t member = 1; member <= tenancy.household_size; ++member) {
      Poco::JSON::Object record;
      record.set("kind", "person");
      record.set("id", person_id(i, member));
      record.set("tenancy_id", tenancy_id(i));
      record.set("household_role", household_role(tenancy, member));
      batcher.add(record);
    }
  }
  for (std::uint32_t i = 0; i < count; ++i) {
    Poco::JSON::Object record;
    record.set("kind", "outcome");
    record.set("tenancy_id", tenancy_id(i));
    record.set("outcome", outcome_name(neighbourhood.outcomes[i].kind));
    record.set("decided_on", iso_date(neighbourhood.outcomes[i].decided_day));
    batcher.add(record);
  }
  batcher.flush();
}

std::size_t record_count(const DemoNeighbourhood &neighbourhood) {
  std::size_t persons = 0;
  for (const auto &tenancy : neighbourhood.tenancies) {
    persons += tenancy.household_size;
  }
  return neighbourhood.units.size() + neighbourhood.tenancies.size() + persons + neighbourhood.outcomes.size();
}

std::string signals_json(const DemoNeighbourhood &neighbourhood, std::size_t begin, std::size_t end) {
  Poco::JSON::Array signals;
  for (std::size_t i = begin; i < end && i < neighbourhood.signals.size(); ++i) {
    const DemoSignal &signal = neighbourhood.signals[i];
    const SignalKindInfo &info = signal_kind_info(signal.kind);
    Poco::JSON::Object object;
    object.set("source", info.source);
    object.set("external_id", external_id(signal));
    object.set("type", info.type);
    object.set("detail", info.detail);
    object.set("tenancy_id", tenancy_id(signal.tenancy));
    object.set("occurred_at_ms", signal.occurred_at_ms);
    object.set("amount_cents", signal.amount_cents);
    object.set("severity", signal.severity);
    object.set("legal_basis", info.legal_basis);
    object.set("purpose", info.purpose);
    object.set("reporter_user",
               signal.reporter < 0 ? std::string() : tenant_user(static_cast<std::uint32_t>(signal.reporter)));
    signals.add(object);
  }
  std::ostringstream json;
  signals.stringify(json);
  return json.str();
}

} // namespace hearth::demo
