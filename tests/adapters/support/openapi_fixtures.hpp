// The OpenAPI documents in ../shared/fixtures, loaded once per test process and kept, with a
// validator for each: what conformance tests check their messages against.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Dynamic/Var.h>

#include "openapi_validator.hpp"

namespace hearth::test {

// The validator for fixtures/<relative> (e.g. "vera/Relaties.yaml"), or nothing when the
// fixtures are absent. Loads and caches on first use; thread-compatible (tests are serial).
const OpenApiValidator *fixture_validator(const std::string &relative);

// Validates `message` against components/schemas/`schema` of fixtures/`relative`; returns
// the problems ("fixtures are absent" when they are).
std::vector<std::string> validate_against_fixture(const std::string &relative, const std::string &schema,
                                                  const Poco::Dynamic::Var &message);

} // namespace hearth::test
