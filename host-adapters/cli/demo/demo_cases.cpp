// Demo casework for `hearth serve` (demo_cases.hpp).
#include "demo/demo_cases.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "demo/demo_runtime.hpp"

namespace hearth::demo {

namespace {

constexpr const char *kHandoff = "nl.hearth.coordinator-handoff";

const hearth_actor kCoordinator{sizeof(hearth_actor), 0, "coordinator-01", HEARTH_ROLE_COORDINATOR, "gemeente:demo",
                                nullptr, "demo"};

std::string json_of(const Poco::JSON::Object &object) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(object, out);
  return out.str();
}

// Runs one operation as the demo coordinator; the answer's object, or nullptr with the
// failure recorded in `outcome`.
Poco::JSON::Object::Ptr run(hearth_runtime *runtime, const char *operation, const Poco::JSON::Object &args,
                            DemoCasesOutcome &outcome) {
  char *result = nullptr;
  char *error = nullptr;
  const std::int32_t status =
      hearth_runtime_call(runtime, &kCoordinator, kHandoff, operation, json_of(args).c_str(), &result, &error);
  if (status != HEARTH_OK) {
    outcome.problems.push_back(std::string(operation) + ": " + take_error(status, error));
    hearth_free(result);
    return nullptr;
  }
  hearth_free(error);
  Poco::JSON::Object::Ptr answer;
  try {
    answer = Poco::JSON::Parser().parse(result != nullptr ? result : "{}").extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception &) {
    answer = new Poco::JSON::Object;
  }
  hearth_free(result);
  ++outcome.done;
  return answer;
}

std::string open_case(hearth_runtime *runtime, const std::string &tenancy, const std::string &reason,
                      DemoCasesOutcome &outcome) {
  Poco::JSON::Object args;
  args.set("tenancy_id", tenancy);
  args.set("legal_basis", "avg-6-1-e");
  args.set("reason", reason);
  const auto answer = run(runtime, "case.open", args, outcome);
  return answer ? answer->optValue<std::string>("case_id", "") : std::string();
}

} // namespace

DemoCasesOutcome open_demo_cases(hearth_runtime *runtime) {
  DemoCasesOutcome outcome;
  const std::string tenant_case =
      open_case(runtime, "tenancy-000005", "Demo: huurachterstand en meldingen van overlast tegelijk", outcome);
  if (!tenant_case.empty()) {
    Poco::JSON::Object plan;
    plan.set("case_id", tenant_case);
    plan.set("what_do_you_need", "Rust in mijn hoofd en hulp met de brieven over de huur.");
    plan.set("what_can_you_offer", "Ik wil elke week met iemand samen de post openmaken.");
    plan.set("in_words_of", "tenant");
    run(runtime, "plan.update", plan, outcome);
  }
  const std::string offered_case =
      open_case(runtime, "tenancy-000011", "Demo: geen toegang voor reparaties en gemiste afspraken", outcome);
  if (!offered_case.empty()) {
    Poco::JSON::Object offer;
    offer.set("case_id", offered_case);
    offer.set("to_organisation", "care:demo");
    offer.set("to_role", HEARTH_ROLE_CARE_PROFESSIONAL);
    offer.set("to_user", "care-01");
    offer.set("reason", "Demo: zorg staat voorop; graag een warme overdracht");
    // Each summary item names its data class: only what the legal basis allows travels.
    Poco::JSON::Object item;
    item.set("data_class", "case_plan");
    item.set("text", "De huurder wil hulp bij afspraken en post; samen een plan maken is de eerste stap.");
    Poco::JSON::Array summary;
    summary.add(item);
    offer.set("summary", summary);
    run(runtime, "handoff.offer", offer, outcome);
  }
  open_case(runtime, "tenancy-000017", "Demo: herhaalde overlast in het portiek", outcome);
  return outcome;
}

} // namespace hearth::demo
