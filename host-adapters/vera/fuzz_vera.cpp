// libFuzzer target: the VERA parser. The first byte picks how the rest is read — as a
// file document ({"signaleringen":[...],...}) or as one pushed message of a resource — so
// both entry points get every input. It must refuse, never crash. Corpus "vera".
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vera_adapter/vera_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  hearth::adapters::ParseContext context;
  context.source = "vera:fuzz";
  context.now_ms = 1717243200000LL;
  const std::string_view body(reinterpret_cast<const char *>(data + 1), size - 1);
  const auto resources = hearth::adapters::vera::vera_resources();
  const std::size_t choice = data[0] % (resources.size() + 1);
  if (choice == resources.size()) {
    (void)hearth::adapters::vera::parse_vera_document(body, context);
  } else {
    (void)hearth::adapters::vera::parse_vera_message(resources[choice], body, context);
  }
  return 0;
}
