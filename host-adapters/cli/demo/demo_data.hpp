// The synthetic neighbourhood the demo generator produces, in a compact form (indices and
// numbers; the texts are derived when records and signals are sent), so that even a
// million tenancies fit in memory. Every identifier is pseudonymous and invented: no
// names, no BSNs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hearth::demo {

// One neighbourhood (buurt) with its CBS-style code and its streets.
struct NeighbourhoodInfo {
  const char *code;                 // "BU99990101": CBS style, municipality 9999 (none)
  const char *postcode_digits;      // the four digits of its postcodes
  std::vector<const char *> streets; // invented street names
};

// The neighbourhoods every run uses.
const std::vector<NeighbourhoodInfo> &neighbourhoods();

// One rentable unit (VHE).
struct DemoUnit {
  std::uint32_t building = 0;      // index of its building
  std::uint16_t neighbourhood = 0; // index into neighbourhoods()
  std::uint16_t street = 0;        // index into that neighbourhood's streets
  std::uint32_t number = 0;        // house number
  std::uint16_t addition = 0;      // flat number within the building, 0 for none
  char entrance = 0;               // 'A', 'B'...; 0 for a house with its own door
};

// One tenancy of the unit with the same index, with its household.
struct DemoTenancy {
  std::int32_t start_day = 0;     // days since 1970-01-01
  std::int32_t end_day = -1;      // -1 while it runs
  std::uint32_t consultant = 0;   // 1-based housing consultant number
  std::uint8_t household_size = 1;
  bool co_tenant = false;         // the second adult is a co-tenant
};

// The ground truth of a tenancy, as the outcome record carries it.
enum class OutcomeKind : std::uint8_t { stable, help_accepted, notice_to_quit, eviction };

// The number of OutcomeKind values.
constexpr std::size_t outcome_kind_count = 4;

// "stable", "help_accepted", "notice_to_quit" or "eviction".
const char *outcome_name(OutcomeKind kind);

// How a tenancy's story ended, and when it was decided.
struct DemoOutcome {
  OutcomeKind kind = OutcomeKind::stable;
  std::int32_t decided_day = 0; // days since 1970-01-01
};

// What a signal is, which fixes its source, type, detail, legal basis and purpose.
enum class SignalKind : std::uint8_t {
  arrears_early,     // SCH/BET, the landlord's own early warning (avg-6-1-f)
  arrears_reported,  // SCH/BET, reported to the municipality (wgs-vroegsignalering)
  bailiff,           // SCH/DEU
  arrangement,       // X-BTR, payment arrangement made
  arrangement_broken,// X-BTR/VBR
  noise,             // OVE/GEL, a neighbour's report
  nuisance,          // OVE, a neighbour's report
  hoarding,          // ONE/VER, found on a visit
  repair_no_access,  // X-REP
  missed_appointment // X-AFS
};

// The fixed texts of one SignalKind.
struct SignalKindInfo {
  const char *source;
  const char *type;
  const char *detail; // "" for none
  const char *legal_basis;
  const char *purpose;
};

// The texts of `kind`.
const SignalKindInfo &signal_kind_info(SignalKind kind);

// One signal of a tenancy's history.
struct DemoSignal {
  std::int64_t occurred_at_ms = 0; // Unix epoch ms, UTC
  std::int64_t amount_cents = 0;   // finance signals only
  std::uint32_t tenancy = 0;       // tenancy index
  std::uint32_t sequence = 0;      // 1-based, per tenancy: part of the external id
  std::int32_t reporter = -1;      // tenancy index of the reporting neighbour, -1 for none
  std::int32_t severity = 0;       // 0 = not given, 1..5
  SignalKind kind = SignalKind::missed_appointment;
};

// Everything one run generates.
struct DemoNeighbourhood {
  std::uint64_t seed = 0;
  std::uint32_t buildings = 0;
  std::vector<DemoUnit> units;         // one per tenancy, same index
  std::vector<DemoTenancy> tenancies;
  std::vector<DemoOutcome> outcomes;   // one per tenancy, same index
  std::vector<DemoSignal> signals;     // in time order
};

// The pseudonymous ids, derived from indices: "unit-000123", "tenancy-000123",
// "tenant-000123" (the tenant's user id), "person-000123-1", "consultant-03", and a
// signal's external id "tenancy-000123-0007".
std::string unit_id(std::uint32_t index);
std::string tenancy_id(std::uint32_t index);
std::string tenant_user(std::uint32_t index);
std::string person_id(std::uint32_t tenancy, std::uint32_t member);
std::string consultant_id(std::uint32_t consultant);
std::string external_id(const DemoSignal &signal);

// The household role of member `member` (1-based) of `tenancy`: "main_tenant",
// "co_tenant" or "household_member".
const char *household_role(const DemoTenancy &tenancy, std::uint32_t member);

// The unit's house number with its addition ("14" or "14-3"), and its postcode ("1062 KD").
std::string house_number(const DemoUnit &unit);
std::string postcode(const DemoUnit &unit);

} // namespace hearth::demo
