// Reads a YAML file (the OpenAPI fixtures: VERA, ZGW) into the same tree Poco::JSON's
// parser makes — Poco::JSON::Object::Ptr, Poco::JSON::Array::Ptr and scalars — so that
// one validator serves JSON and YAML schemas alike. Parsing is libyaml's (event API).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include <Poco/Dynamic/Var.h>

namespace hearth::test {

// Thrown when the file cannot be read or is not YAML; the message names the file and line.
class YamlError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Loads `file`. Plain scalars become null (~, null, empty), booleans (true/false),
// integers, decimals, or strings; quoted scalars stay strings. Anchors and aliases are
// resolved (an alias shares its anchor's node).
Poco::Dynamic::Var load_yaml_file(const std::filesystem::path &file);

// Loads YAML text (for tests of the loader itself).
Poco::Dynamic::Var load_yaml_text(const std::string &text);

} // namespace hearth::test
