// Reading the "store.counts" view.
#include "demo/store_counts.hpp"

#include <stdexcept>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "demo/demo_runtime.hpp"

namespace hearth::demo {

namespace {

// Member `key` of `counts` as a number, 0 when absent.
std::int64_t count_of(const Poco::JSON::Object::Ptr &counts, const std::string &key) {
  return counts->has(key) ? counts->getValue<std::int64_t>(key) : 0;
}

} // namespace

StoreCounts read_store_counts(hearth_runtime *runtime) {
  hearth_actor actor{};
  actor.struct_size = sizeof actor;
  actor.user = "demo-data";
  actor.role = HEARTH_ROLE_ADMINISTRATOR;
  actor.organisation = "hearth:demo";
  actor.access_point = "cli";
  char *json = nullptr;
  char *error = nullptr;
  const std::int32_t status = hearth_runtime_read(runtime, &actor, "store.counts", "{}", &json, &error);
  if (status != HEARTH_OK) {
    hearth_free(json);
    throw std::runtime_error("cannot read the store counts: " + take_error(status, error));
  }
  hearth_free(error);
  const std::string text = json != nullptr ? json : "{}";
  hearth_free(json);
  try {
    const auto counts = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    StoreCounts result;
    result.units = count_of(counts, "unit");
    result.tenancies = count_of(counts, "tenancy");
    result.persons = count_of(counts, "person");
    result.signals = count_of(counts, "signal");
    result.outcomes = count_of(counts, "outcome");
    return result;
  } catch (const std::exception &failure) {
    throw std::runtime_error(std::string("cannot read the store counts: ") + failure.what());
  }
}

} // namespace hearth::demo
