// libFuzzer target: the zaak reader and mapper (parse_zgw_document, zgw_zaak.hpp) and the
// export-request reader on arbitrary bytes. The document parser never throws; the
// request reader throws only FieldProblem.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapter_common/json_fields.hpp"
#include "zaak_export.hpp"
#include "zgw_zaak.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char *>(data), size);
  static const hearth::adapters::ParseContext context = [] {
    hearth::adapters::ParseContext c;
    c.source = "zgw:fuzz";
    c.now_ms = 1'795'000'000'000;
    c.settings["zgw.zaaktypes"] = "https://catalogi.test/api/v1/zaaktypen/aaaaaaaa-0000-4000-8000-000000000001=OVE/GEL";
    return c;
  }();
  (void)hearth::adapters::zgw::parse_zgw_document(input, context);
  try {
    (void)hearth::adapters::zgw::parse_export_request(input, context.now_ms);
  } catch (const hearth::adapters::FieldProblem &) {
  }
  return 0;
}
