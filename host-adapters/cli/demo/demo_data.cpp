// The fixed tables and derived texts of the demo neighbourhood.
#include "demo/demo_data.hpp"

#include <cstdio>

namespace hearth::demo {

namespace {

// `prefix` followed by `number` padded with zeros to `width` digits.
std::string padded(const char *prefix, std::uint64_t number, int width) {
  char text[48];
  std::snprintf(text, sizeof text, "%s%0*llu", prefix, width,
                static_cast<unsigned long long>(number));
  return text;
}

} // namespace

const std::vector<NeighbourhoodInfo> &neighbourhoods() {
  // Municipality code 9999 does not exist: the codes look like CBS buurt codes without
  // pointing at a real place. The street names are invented (plants of a Dutch verge).
  static const std::vector<NeighbourhoodInfo> table = {
      {"BU99990101", "1061", {"Distelstraat", "Klaverhof", "Boterbloemweg", "Zuringpad"}},
      {"BU99990102", "1062", {"Lisdoddelaan", "Kalmoesstraat", "Rietkraagpad", "Biezenhof"}},
      {"BU99990201", "1063", {"Fluitekruidweg", "Berenklauwstraat", "Hondsdrafhof", "Weegbreepad"}},
      {"BU99990202", "1064", {"Paardenbloemstraat", "Madeliefhof", "Ereprijslaan", "Vogelmuurpad"}},
      {"BU99990301", "1065", {"Brandnetelkade", "Kamillestraat", "Duizendbladweg", "Smeerwortelhof"}},
  };
  return table;
}

const char *outcome_name(OutcomeKind kind) {
  switch (kind) {
  case OutcomeKind::stable:
    return "stable";
  case OutcomeKind::help_accepted:
    return "help_accepted";
  case OutcomeKind::notice_to_quit:
    return "notice_to_quit";
  case OutcomeKind::eviction:
    return "eviction";
  }
  return "stable";
}

const SignalKindInfo &signal_kind_info(SignalKind kind) {
  // Indexed by SignalKind. Legal bases and purposes come from the default [data] lists.
  static const SignalKindInfo table[] = {
      {"demo:vera", "SCH", "BET", "avg-6-1-f", "early-warning"},
      {"demo:vera", "SCH", "BET", "wgs-vroegsignalering", "debt-help"},
      {"demo:vera", "SCH", "DEU", "avg-6-1-f", "early-warning"},
      {"demo:vera", "X-BTR", "", "avg-6-1-f", "debt-help"},
      {"demo:vera", "X-BTR", "VBR", "avg-6-1-f", "debt-help"},
      {"demo:signalen", "OVE", "GEL", "avg-6-1-e", "nuisance-handling"},
      {"demo:signalen", "OVE", "", "avg-6-1-e", "nuisance-handling"},
      {"demo:vera", "ONE", "VER", "avg-6-1-e", "nuisance-handling"},
      {"demo:vera", "X-REP", "", "avg-6-1-f", "early-warning"},
      {"demo:vera", "X-AFS", "", "avg-6-1-f", "case-coordination"},
  };
  return table[static_cast<std::size_t>(kind)];
}

std::string unit_id(std::uint32_t index) { return padded("unit-", index + 1ULL, 6); }
std::string tenancy_id(std::uint32_t index) { return padded("tenancy-", index + 1ULL, 6); }
std::string tenant_user(std::uint32_t index) { return padded("tenant-", index + 1ULL, 6); }

std::string person_id(std::uint32_t tenancy, std::uint32_t member) {
  return padded("person-", tenancy + 1ULL, 6) + "-" + std::to_string(member);
}

std::string consultant_id(std::uint32_t consultant) {
  return padded("consultant-", consultant, 2);
}

std::string external_id(const DemoSignal &signal) {
  return tenancy_id(signal.tenancy) + padded("-", signal.sequence, 4);
}

const char *household_role(const DemoTenancy &tenancy, std::uint32_t member) {
  if (member == 1) {
    return "main_tenant";
  }
  return member == 2 && tenancy.co_tenant ? "co_tenant" : "household_member";
}

std::string house_number(const DemoUnit &unit) {
  std::string text = std::to_string(unit.number);
  if (unit.addition != 0) {
    text += "-" + std::to_string(unit.addition);
  }
  return text;
}

std::string postcode(const DemoUnit &unit) {
  // Dutch postcode letters never use F, I, O, Q, U or Y, and avoid SA, SD and SS: this
  // alphabet has no S at all.
  static const char letters[] = "ABCDEGHJKLMNPRTVWXZ";
  constexpr unsigned letter_count = sizeof letters - 1;
  const unsigned block = unit.street * 37U + unit.number / 20U;
  std::string code = neighbourhoods()[unit.neighbourhood].postcode_digits;
  code += ' ';
  code += letters[(block / letter_count) % letter_count];
  code += letters[block % letter_count];
  return code;
}

} // namespace hearth::demo
