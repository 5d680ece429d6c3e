// The view "unit.by-address": which unit is at an address, and which tenancy runs there
// today. Adapters that receive an address instead of an id (Signalen) link reports with it.
#include <algorithm>
#include <cctype>
#include <sstream>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Timestamp.h>

#include "data/reads.hpp"
#include "hearth/status.h"

namespace hearth::data {
namespace {

// "1011 pn" -> "1011PN": postcodes compare without spaces, in capitals.
std::string normalised_postcode(const std::string &postcode) {
  std::string out;
  for (const unsigned char c : postcode) {
    if (!std::isspace(c)) out.push_back(static_cast<char>(std::toupper(c)));
  }
  return out;
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// The calendar date (UTC) of `now_ms`, as tenancies store theirs: "2026-11-28".
std::string date_of(std::int64_t now_ms) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(now_ms * 1000), "%Y-%m-%d");
}

} // namespace

ReadOutcome Reader::unit_by_address(const policy::Actor &actor, const std::string &postcode,
                                    const std::string &house_number, const std::string &entrance) {
  if (!policy_.check(actor, policy::Action::search, policy::DataClass::housing, std::nullopt).allowed) {
    record(actor, "search", "unit:by-address", false);
    return {HEARTH_ERROR_NOT_FOUND, "unit at that address: not found"};
  }
  std::string unit_id;
  const storage::Value address[] = {normalised_postcode(postcode), house_number, upper(entrance)};
  store_.execute("SELECT id FROM hearth_unit WHERE UPPER(REPLACE(COALESCE(postcode, ''), ' ', '')) = ?"
                 " AND house_number = ? AND UPPER(COALESCE(entrance, '')) = ? ORDER BY id",
                 address, [&](const storage::Row &row) {
                   unit_id = std::get<std::string>(row.values[0]);
                   return false;
                 });
  if (unit_id.empty()) {
    record(actor, "search", "unit:by-address", true);
    return {HEARTH_ERROR_NOT_FOUND, "unit at that address: not found"};
  }
  const std::string today = date_of(clock_.now_ms());
  std::string tenancy_id;
  const storage::Value running[] = {unit_id, today, today};
  store_.execute("SELECT id FROM hearth_tenancy WHERE unit_id = ? AND start_date <= ?"
                 " AND (end_date IS NULL OR end_date = '' OR end_date >= ?) ORDER BY start_date DESC, id",
                 running, [&](const storage::Row &row) {
                   tenancy_id = std::get<std::string>(row.values[0]);
                   return false;
                 });
  record(actor, "search", "unit:" + unit_id + (tenancy_id.empty() ? "" : ",tenancy:" + tenancy_id), true);
  Poco::JSON::Object answer;
  answer.set("unit_id", unit_id);
  answer.set("tenancy_id", tenancy_id.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(tenancy_id));
  std::ostringstream out;
  answer.stringify(out);
  return {HEARTH_OK, out.str()};
}

} // namespace hearth::data
