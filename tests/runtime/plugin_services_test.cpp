// The 1.1 services through the public C API: a plugin's operations reached with
// hearth_runtime_call(), its typed factory, and the audit and data extensions it uses.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include "runtime_fixture.hpp"

namespace hearth::test {
namespace {

constexpr const char *kPlugin = "nl.hearth.test.services";

const hearth_actor kConsultant{sizeof(hearth_actor), 0, "emp-17", HEARTH_ROLE_HOUSING_CONSULTANT,
                               "corp:demo", "emp-3", "crm:test"};
const hearth_actor kSystem{sizeof(hearth_actor), 0, "adapter-1", HEARTH_ROLE_SYSTEM, "corp:demo", nullptr,
                           "adapter:test"};

class PluginOperations : public ::testing::Test {
protected:
  void SetUp() override { fixture_.open_and_load(); }

  int32_t call(const hearth_actor *actor, const char *operation, const char *args, std::string &text) {
    Message result, error;
    const int32_t status =
        hearth_runtime_call(fixture_.runtime(), actor, kPlugin, operation, args, result.out(), error.out());
    text = status == HEARTH_OK ? result.str() : error.str();
    return status;
  }

  Poco::JSON::Object::Ptr call_ok(const hearth_actor *actor, const char *operation, const char *args = nullptr) {
    std::string text;
    EXPECT_EQ(call(actor, operation, args, text), HEARTH_OK) << text;
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
  }

  RuntimeFixture fixture_{{"test_services"}};
};

TEST_F(PluginOperations, TheOperationSeesTheCallersActor) {
  const auto me = call_ok(&kConsultant, "whoami");
  EXPECT_EQ(me->getValue<std::string>("user"), "emp-17");
  EXPECT_EQ(me->getValue<std::string>("role"), HEARTH_ROLE_HOUSING_CONSULTANT);
  EXPECT_EQ(me->getValue<std::string>("organisation"), "corp:demo");
  EXPECT_EQ(me->getValue<std::string>("on_behalf_of"), "emp-3");
  EXPECT_EQ(me->getValue<std::string>("access_point"), "crm:test");
}

TEST_F(PluginOperations, StatusesAndReasonsComeBackUnchanged) {
  std::string text;
  EXPECT_EQ(call(&kConsultant, "refuse", nullptr, text), HEARTH_ERROR_DENIED);
  EXPECT_EQ(text, "role may not do this");
  EXPECT_EQ(call(&kConsultant, "missing", nullptr, text), HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(call(&kConsultant, "clash", nullptr, text), HEARTH_ERROR_CONFLICT);
  EXPECT_EQ(call(&kConsultant, "bad-args", "{}", text), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(text, "needed: missing");
  EXPECT_EQ(call(&kConsultant, "no-such-operation", nullptr, text), HEARTH_ERROR_NOT_FOUND);
  EXPECT_NE(text.find("no-such-operation"), std::string::npos) << text;
}

TEST_F(PluginOperations, AThrowingOperationIsAPluginFailureNotACrash) {
  std::string text;
  EXPECT_EQ(call(&kConsultant, "explode", nullptr, text), HEARTH_ERROR_PLUGIN);
  EXPECT_NE(text.find("exploded on purpose"), std::string::npos) << text;
  call_ok(&kConsultant, "whoami"); // still serving
}

TEST_F(PluginOperations, BadCallsAreRefusedNamingTheField) {
  Message result, error;
  hearth_actor no_role = kConsultant;
  no_role.role = nullptr;
  EXPECT_EQ(hearth_runtime_call(fixture_.runtime(), &no_role, kPlugin, "whoami", nullptr, result.out(), error.out()),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(error.str(), "actor.role: missing");
  Message e2, r2;
  EXPECT_EQ(hearth_runtime_call(fixture_.runtime(), &kConsultant, "", "whoami", nullptr, r2.out(), e2.out()),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(e2.str(), "plugin_id: missing");
  Message e3, r3;
  EXPECT_EQ(hearth_runtime_call(fixture_.runtime(), &kConsultant, kPlugin, nullptr, nullptr, r3.out(), e3.out()),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(e3.str(), "operation: missing");
  Message e4, r4;
  EXPECT_EQ(hearth_runtime_call(fixture_.runtime(), &kConsultant, "nl.hearth.test.absent", "whoami", nullptr,
                                r4.out(), e4.out()),
            HEARTH_ERROR_NOT_FOUND);
}

TEST_F(PluginOperations, TheTypedFactoryIsThePluginsOwnTable) {
  struct TypedTable {
    uint32_t struct_size;
    int32_t (*twice)(int32_t);
  };
  const auto *table = static_cast<const TypedTable *>(
      hearth_runtime_plugin_factory(fixture_.runtime(), kPlugin, "nl.hearth.test.typed/1"));
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->twice(21), 42);
  EXPECT_EQ(hearth_runtime_plugin_factory(fixture_.runtime(), kPlugin, "nl.hearth.test.other/1"), nullptr);
  EXPECT_EQ(hearth_runtime_plugin_factory(fixture_.runtime(), "nl.hearth.test.absent", "nl.hearth.test.typed/1"),
            nullptr);
  EXPECT_EQ(hearth_runtime_plugin_factory(nullptr, kPlugin, "nl.hearth.test.typed/1"), nullptr);
}

TEST_F(PluginOperations, AuditEntriesCommitAndRollBackWithTheirTransaction) {
  call_ok(&kConsultant, "audit", R"({"object":"flag:1"})");
  call_ok(&kConsultant, "audit-rolled-back", R"({"object":"flag:2"})");
  EXPECT_EQ(call_ok(&kConsultant, "audit-count", R"({"object":"flag:1"})")->getValue<int>("count"), 1);
  EXPECT_EQ(call_ok(&kConsultant, "audit-count", R"({"object":"flag:2"})")->getValue<int>("count"), 0);

  // The entry is part of the verified chain.
  Message verdict, error;
  const hearth_actor auditor{sizeof(hearth_actor), 0, "aud-1", HEARTH_ROLE_AUDITOR, "corp:demo", nullptr, "test"};
  ASSERT_EQ(hearth_runtime_read(fixture_.runtime(), &auditor, "audit.verify", "{}", verdict.out(), error.out()),
            HEARTH_OK)
      << error.str();
  EXPECT_NE(verdict.str().find("\"intact\":true"), std::string::npos) << verdict.str();
}

TEST_F(PluginOperations, ThePluginIngestsThroughTheDataServiceIdempotently) {
  uint32_t stored = 0;
  Message error;
  ASSERT_EQ(hearth_runtime_put_records(fixture_.runtime(), &kSystem,
                                       R"([{"kind":"unit","id":"U-1","street":"Dapperstraat","house_number":"3","neighbourhood_code":"BU03630402"},
                                          {"kind":"tenancy","id":"T-1","unit_id":"U-1","start_date":"2020-01-01"}])",
                                       &stored, error.out()),
            HEARTH_OK)
      << error.str();
  const auto first = call_ok(&kSystem, "ingest", R"({"tenancy_id":"T-1","external_id":"R-1"})");
  EXPECT_EQ(first->getValue<int>("accepted"), 1);
  const auto again = call_ok(&kSystem, "ingest", R"({"tenancy_id":"T-1","external_id":"R-1"})");
  EXPECT_EQ(again->getValue<int>("accepted"), 0);
  EXPECT_EQ(again->getValue<int>("duplicates"), 1);

  std::string text;
  EXPECT_EQ(call(&kSystem, "ingest", R"({"tenancy_id":"T-unknown","external_id":"R-2"})", text),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(text.find("tenancy_id"), std::string::npos) << text;

  // A role the policy does not let create nuisance data is refused by the same service.
  const hearth_actor auditor{sizeof(hearth_actor), 0, "aud-1", HEARTH_ROLE_AUDITOR, "corp:demo", nullptr, "test"};
  EXPECT_EQ(call(&auditor, "ingest", R"({"tenancy_id":"T-1","external_id":"R-3"})", text), HEARTH_ERROR_DENIED);
}

TEST_F(PluginOperations, InitSawConflictsAndReservedPathsRefused) {
  const auto results = call_ok(&kConsultant, "route-results");
  EXPECT_EQ(results->getValue<int>("duplicate"), HEARTH_ERROR_CONFLICT);
  EXPECT_EQ(results->getValue<int>("reserved"), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(results->getValue<bool>("reserved_reason_names_pattern"));
}

} // namespace
} // namespace hearth::test
