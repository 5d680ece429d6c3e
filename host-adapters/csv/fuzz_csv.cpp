// libFuzzer target: the CSV reader and row mapping, with a mapping like the shipped
// config/adapters/csv.ini. The first byte picks the delimiter. Corpus "csv".
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "csv_adapter/csv_adapter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  static const char *const delimiters[] = {";", ",", "tab", "|"};
  hearth::adapters::ParseContext context;
  context.source = "csv:fuzz";
  context.now_ms = 1717243200000LL;
  context.settings = {{"csv.delimiter", delimiters[data[0] % 4]},
                      {"csv.column.external_id", "id"},       {"csv.column.tenancy_id", "contract"},
                      {"csv.column.occurred_at", "datum"},     {"csv.column.type", "soort"},
                      {"csv.column.amount", "bedrag"},         {"csv.column.bsn", "bsn"},
                      {"csv.codes.HUURACHTERSTAND", "SCH/BET"}, {"csv.codes.GELUIDSOVERLAST", "OVE/GEL"},
                      {"csv.codes.GEEN_TOEGANG", "X-REP"},      {"csv.codes.NOTITIE", "ignore"}};
  (void)hearth::adapters::csv::parse_csv_document(
      std::string_view(reinterpret_cast<const char *>(data + 1), size - 1), context);
  return 0;
}
