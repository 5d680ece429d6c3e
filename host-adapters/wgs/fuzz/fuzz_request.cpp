// libFuzzer target: the Wgs request and precondition readers on arbitrary bytes (JSON
// parsed first, as the plugin does). They throw only FieldProblem; the decision and the
// message never throw for what the reader accepted.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>

#include "adapter_common/json_fields.hpp"
#include "wgs_early_warning.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using namespace hearth::adapters;
  const std::string_view input(reinterpret_cast<const char *>(data), size);
  constexpr std::int64_t now = 1'795'000'000'000;
  Poco::JSON::Object::Ptr args;
  try {
    const auto value = parse_json_document(input);
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
      return 0;
    }
    args = value.extract<Poco::JSON::Object::Ptr>();
  } catch (const FieldProblem &) {
    return 0;
  }
  try {
    const auto request = wgs::read_warning_request(args, now);
    (void)wgs::decide(request, {}, wgs::WgsRules{}, now);
    std::ostringstream out;
    wgs::warning_message(request, now).stringify(out);
  } catch (const FieldProblem &) {
  }
  try {
    (void)wgs::read_precondition(args, now);
  } catch (const FieldProblem &) {
  }
  return 0;
}
