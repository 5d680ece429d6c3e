// libFuzzer target: the Signalen report reader (parse_signalen_reports) on arbitrary bytes,
// with an address lookup that knows one unit. Never throws for bad input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "signalen_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using namespace hearth::adapters;
  const std::string_view input(reinterpret_cast<const char *>(data), size);
  static const ParseContext context = [] {
    ParseContext c;
    c.source = "signalen:fuzz";
    c.now_ms = 1'795'000'000'000;
    c.settings["signalen.categories"] = "overig/overig=OVE, overlast/*=OVE/GEL";
    c.settings["signalen.reporter_key"] = "reporter-key-for-fuzzing-0123";
    return c;
  }();
  const signalen::AddressLookup lookup = [](const signalen::ReportAddress &address) -> std::optional<signalen::UnitMatch> {
    if (address.postcode == "1011PN") {
      return signalen::UnitMatch{"U-1", "T-1"};
    }
    return std::nullopt;
  };
  (void)signalen::parse_signalen_reports(input, context, lookup);
  return 0;
}
