#include "zgw_schema_checks.hpp"

#include <map>
#include <set>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include "openapi_fixtures.hpp"
#include "test_environment.hpp"
#include "yaml_tree.hpp"

namespace hearth::test {

Poco::Dynamic::Var parse(const std::string &text) { return Poco::JSON::Parser().parse(text); }

Poco::Dynamic::Var as_var(const Poco::JSON::Object &object) {
  std::ostringstream out;
  object.stringify(out);
  return parse(out.str());
}

namespace {

// The names of `schema`'s readOnly properties (through allOf), from the YAML itself.
std::set<std::string> read_only_names(const std::string &schema) {
  static std::map<std::string, std::set<std::string>> cache;
  if (const auto found = cache.find(schema); found != cache.end()) {
    return found->second;
  }
  const auto document = load_yaml_file(*fixtures_dir() / kZakenYaml).extract<Poco::JSON::Object::Ptr>();
  const auto schemas = document->getObject("components")->getObject("schemas");
  std::set<std::string> names;
  std::vector<Poco::JSON::Object::Ptr> pending{schemas->getObject(schema)};
  while (!pending.empty()) {
    const auto current = pending.back();
    pending.pop_back();
    if (current->has("$ref")) {
      const std::string ref = current->getValue<std::string>("$ref");
      pending.push_back(schemas->getObject(ref.substr(ref.rfind('/') + 1)));
      continue;
    }
    if (const auto all_of = current->getArray("allOf"); !all_of.isNull()) {
      for (std::size_t i = 0; i < all_of->size(); ++i) {
        pending.push_back(all_of->getObject(static_cast<unsigned>(i)));
      }
    }
    if (const auto properties = current->getObject("properties"); !properties.isNull()) {
      for (const auto &[name, value] : *properties) {
        const auto property = value.extract<Poco::JSON::Object::Ptr>();
        if (property->optValue<bool>("readOnly", false)) {
          names.insert(name);
        }
      }
    }
  }
  cache[schema] = names;
  return names;
}

} // namespace

std::vector<std::string> request_problems(const std::string &schema, const Poco::Dynamic::Var &body) {
  const auto read_only = read_only_names(schema);
  std::vector<std::string> out;
  for (const auto &problem : validate_against_fixture(kZakenYaml, schema, body)) {
    bool skip = false;
    for (const auto &name : read_only) {
      skip = skip || problem == "$." + name + ": is required";
    }
    if (!skip) {
      out.push_back(problem);
    }
  }
  return out;
}

std::string joined(const std::vector<std::string> &problems) {
  std::string out;
  for (const auto &p : problems) {
    out += p + "\n";
  }
  return out;
}

std::vector<std::string> answer_problems(const std::string &schema, const std::string &body) {
  auto value = parse(body);
  if (schema == "Rol") {
    return validate_against_fixture(kZakenYaml, "medewerker_Rol", value);
  }
  if (schema == "PaginatedRolList") {
    Poco::JSON::Object::Ptr page = value.extract<Poco::JSON::Object::Ptr>();
    const auto results = page->getArray("results");
    std::vector<std::string> problems;
    for (std::size_t i = 0; i < results->size(); ++i) {
      for (const auto &p : validate_against_fixture(kZakenYaml, "medewerker_Rol", results->get(static_cast<unsigned>(i)))) {
        problems.push_back(p);
      }
    }
    page->set("results", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
    for (const auto &p : validate_against_fixture(kZakenYaml, schema, value)) {
      problems.push_back(p);
    }
    return problems;
  }
  return validate_against_fixture(kZakenYaml, schema, value);
}

void expect_conformant_exchange(const ZgwTestServer &server) {
  if (!fixtures_dir()) {
    return;
  }
  for (const auto &[schema, body] : server.answers()) {
    const auto problems = answer_problems(schema, body);
    EXPECT_TRUE(problems.empty()) << schema << ":\n" << joined(problems) << body;
  }
  for (const auto &message : server.delivered_messages()) {
    const auto problems = validate_against_fixture(kNotificatiesYaml, "Message", parse(message));
    EXPECT_TRUE(problems.empty()) << "Message:\n" << joined(problems) << message;
  }
}

} // namespace hearth::test
