// libFuzzer target: the Notificaties message reader (zgw_notification.hpp) on arbitrary
// bytes. It must refuse with FieldProblem or accept; never crash, hang or throw anything
// else.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapter_common/json_fields.hpp"
#include "zgw_notification.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char *>(data), size);
  try {
    const auto notification = hearth::adapters::zgw::parse_notification(input, 1'795'000'000'000, 300'000);
    (void)hearth::adapters::zgw::concerns_zaak_content(notification);
  } catch (const hearth::adapters::FieldProblem &) {
  }
  return 0;
}
