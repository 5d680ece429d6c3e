// Conformance checks of ZGW messages against the standards in ../shared/fixtures/zgw, for
// the ZGW adapter's tests: request bodies (readOnly fields aside), the loopback server's
// answers, and the notifications it delivered.
#pragma once

#include <string>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include "zgw_test_server.hpp"

namespace hearth::test {

inline constexpr const char *kZakenYaml = "zgw/zaken-api-1.5.1.yaml";
inline constexpr const char *kNotificatiesYaml = "zgw/notificaties-api-1.0.yaml";

// Parses JSON text; the object's JSON as a parsed value.
Poco::Dynamic::Var parse(const std::string &text);
Poco::Dynamic::Var as_var(const Poco::JSON::Object &object);

// One problem per line, for failure messages.
std::string joined(const std::vector<std::string> &problems);

// Problems of a request body against components/schemas/`schema` of the Zaken API, less
// "is required" for the schema's readOnly fields (those the API fills in; OpenAPI 3.0
// lists them as required in both directions).
std::vector<std::string> request_problems(const std::string &schema, const Poco::Dynamic::Var &body);

// Problems of an answer of the loopback Zaken API against its schema; rollen follow
// medewerker_Rol (the discriminated variant the adapter creates).
std::vector<std::string> answer_problems(const std::string &schema, const std::string &body);

// Expects every answer `server` gave and every notification it delivered to follow the
// standards (a non-fatal gtest failure per problem). Does nothing without the fixtures.
void expect_conformant_exchange(const ZgwTestServer &server);

} // namespace hearth::test
