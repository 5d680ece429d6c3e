#include "openapi_fixtures.hpp"

#include <map>
#include <memory>

#include <Poco/JSON/Object.h>

#include "test_environment.hpp"
#include "yaml_tree.hpp"

namespace hearth::test {

const OpenApiValidator *fixture_validator(const std::string &relative) {
  static std::map<std::string, std::unique_ptr<OpenApiValidator>> cache;
  if (const auto found = cache.find(relative); found != cache.end()) {
    return found->second.get();
  }
  const auto fixtures = fixtures_dir();
  if (!fixtures || !std::filesystem::exists(*fixtures / relative)) {
    return nullptr;
  }
  const Poco::Dynamic::Var document = load_yaml_file(*fixtures / relative);
  auto validator = std::make_unique<OpenApiValidator>(document.extract<Poco::JSON::Object::Ptr>());
  return cache.emplace(relative, std::move(validator)).first->second.get();
}

std::vector<std::string> validate_against_fixture(const std::string &relative, const std::string &schema,
                                                  const Poco::Dynamic::Var &message) {
  const OpenApiValidator *validator = fixture_validator(relative);
  if (validator == nullptr) {
    return {"fixtures/" + relative + " is absent"};
  }
  return validator->validate_component(schema, message);
}

} // namespace hearth::test
