// /readyz and /metrics on loopback: readiness follows the store and the plugins, metrics
// count ingestion, requests and plugin calls, and plugins add their own series.
#include <gtest/gtest.h>

#include "../http/http_test_client.hpp"
#include "runtime_fixture.hpp"

namespace hearth::test {
namespace {

const hearth_actor kSystem{sizeof(hearth_actor), 0, "adapter-1", HEARTH_ROLE_SYSTEM, "corp:demo", nullptr, "test"};

class OperationsEndpoints : public ::testing::Test {
protected:
  void start(std::initializer_list<std::string> modules) {
    fixture_ = std::make_unique<RuntimeFixture>(modules, "[http]\nport = 0\n");
    fixture_->open_and_load();
    Message error;
    ASSERT_EQ(hearth_runtime_serve_http(fixture_->runtime(), "127.0.0.1", 0, &port_, error.out()), HEARTH_OK)
        << error.str();
  }
  std::string call(const char *operation, const char *args) {
    Message result, error;
    EXPECT_EQ(hearth_runtime_call(fixture_->runtime(), &kSystem, "nl.hearth.test.services", operation, args,
                                  result.out(), error.out()),
              HEARTH_OK)
        << error.str();
    return result.str();
  }
  std::unique_ptr<RuntimeFixture> fixture_;
  uint16_t port_ = 0;
};

TEST_F(OperationsEndpoints, ReadyWhenTheStoreAnswersAndNoPluginFailed) {
  start({"test_services"});
  const auto reply = http_request(port_, "GET", "/readyz");
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.body, R"({"failed_plugins":[],"status":"ready","store":"ok"})");
}

TEST_F(OperationsEndpoints, NotReadyWhileAPluginHasFailed) {
  start({"test_services", "test_init_fails"});
  const auto reply = http_request(port_, "GET", "/readyz");
  EXPECT_EQ(reply.status, 503);
  EXPECT_NE(reply.body.find(R"("failed_plugins":["nl.hearth.test.init-fails"])"), std::string::npos) << reply.body;
  EXPECT_EQ(http_request(port_, "GET", "/healthz").status, 200); // alive all the same
}

TEST_F(OperationsEndpoints, MetricsCountSignalsRequestsAndPluginCalls) {
  start({"test_services"});
  Message error;
  ASSERT_EQ(hearth_runtime_put_records(fixture_->runtime(), &kSystem,
                                       R"([{"kind":"unit","id":"U-1","street":"S","house_number":"1","neighbourhood_code":"BU1"},
                                          {"kind":"tenancy","id":"T-1","unit_id":"U-1","start_date":"2020-01-01"}])",
                                       nullptr, error.out()),
            HEARTH_OK)
      << error.str();
  call("ingest", R"({"tenancy_id":"T-1","external_id":"E-1"})");
  call("ingest", R"({"tenancy_id":"T-1","external_id":"E-1"})");
  call("count", R"({"kind":"ping"})");
  call("count", R"({"kind":"ping"})");
  http_request(port_, "GET", "/test/echo");
  http_request(port_, "GET", "/no/such/path");

  const auto reply = http_request(port_, "GET", "/metrics");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string &text = reply.body;
  EXPECT_NE(text.find("# TYPE hearth_signals_total counter\n"), std::string::npos) << text;
  EXPECT_NE(text.find("hearth_signals_total{outcome=\"accepted\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("hearth_signals_total{outcome=\"duplicate\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("hearth_test_events_total{kind=\"ping\",plugin=\"nl.hearth.test.services\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# HELP hearth_test_events_total Test events by kind.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("hearth_plugin_calls_total{kind=\"operation\",outcome=\"ok\",plugin=\"nl.hearth.test.services\"} 4\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("hearth_plugin_calls_total{kind=\"route\",outcome=\"ok\",plugin=\"nl.hearth.test.services\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("hearth_http_requests_total{code=\"2xx\",method=\"GET\",route=\"plugin\"} 1\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("hearth_http_requests_total{code=\"4xx\",method=\"GET\",route=\"unknown\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("hearth_http_request_duration_seconds_count{route=\"plugin\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("hearth_plugins{state=\"active\"} 1\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("/no/such/path"), std::string::npos) << "paths never become labels";
}

TEST_F(OperationsEndpoints, BadPluginMetricsAreRefusedNamingTheField) {
  start({"test_services"});
  const std::string answer = call("bad-metric", "{}");
  EXPECT_EQ(answer, R"({"bad_name":-1,"reason_names_field":true,"negative":-1,"own_label":-1,"wrong_kind":-1})");
}

} // namespace
} // namespace hearth::test
