// libFuzzer target: the input checks every adapter relies on (UTF-8, ISO times, amounts,
// BSN) and the JSON field readers must never crash, hang or read out of bounds, whatever
// the bytes. Corpus "text".
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapter_common/input_checks.hpp"
#include "adapter_common/json_fields.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  (void)hearth::adapters::is_valid_utf8(text);
  (void)hearth::adapters::parse_iso_time(text);
  (void)hearth::adapters::euros_text_to_cents(text);
  (void)hearth::adapters::check_bsn(text);
  try {
    const auto document = hearth::adapters::parse_json_document(text);
    const hearth::adapters::JsonFields fields(document, "document");
    (void)fields.optional_text("id");
  } catch (const hearth::adapters::FieldProblem &) {
    // Refusing is the expected answer to most inputs.
  }
  return 0;
}
