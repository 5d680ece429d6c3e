// The case export's retries against the loopback Zaken API made to fail: transient
// failures (5xx, 429 with Retry-After, a reset connection, a refused connection, an answer
// lost after the server stored the object) are tried again with bounded exponential
// back-off and never create a second zaak, status or rol; failures that will not get
// better end the step at once; after the last try the failure names the step, the tries
// and the reason. The waits are recorded by the sleep function, never slept, so nothing
// here depends on time. The policy itself (adapter_common/retry.hpp) is tested first.
#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <vector>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <gtest/gtest.h>

#include "adapter_common/retry.hpp"
#include "export_test_support.hpp"
#include "zaak_export.hpp"
#include "zgw_schema_checks.hpp"
#include "zgw_settings.hpp"
#include "zgw_test_server.hpp"

namespace hearth::test {
namespace {

using namespace adapters::zgw;
using std::chrono::milliseconds;

constexpr std::int64_t kNow = 1'795'000'000'000; // 2026-11-18T11:06:40Z
const std::string kClient = "hearth-test";
const std::string kSecret = "zgw-secret-for-tests-0123456789";

TEST(RetryPolicy, WaitsDoubleFromTheBaseAndStayWithinTheMaximum) {
  const adapters::RetryPolicy policy{6, milliseconds(100), milliseconds(1000)};
  EXPECT_EQ(policy.delay_before(2), milliseconds(100));
  EXPECT_EQ(policy.delay_before(3), milliseconds(200));
  EXPECT_EQ(policy.delay_before(4), milliseconds(400));
  EXPECT_EQ(policy.delay_before(5), milliseconds(800));
  EXPECT_EQ(policy.delay_before(6), milliseconds(1000));
  EXPECT_EQ(policy.delay_before(60), milliseconds(1000));
  // Retry-After lengthens a wait, within the maximum; it never shortens one.
  EXPECT_EQ(policy.delay_before(2, milliseconds(300)), milliseconds(300));
  EXPECT_EQ(policy.delay_before(2, milliseconds(120000)), milliseconds(1000));
  EXPECT_EQ(policy.delay_before(4, milliseconds(10)), milliseconds(400));
  // A base above the maximum is cut to it.
  EXPECT_EQ((adapters::RetryPolicy{3, milliseconds(5000), milliseconds(50)}.delay_before(2)), milliseconds(50));
}

TEST(RetryPolicy, RetryAfterIsReadAsSecondsOrAnHttpDate) {
  EXPECT_EQ(adapters::parse_retry_after("2", kNow), milliseconds(2000));
  EXPECT_EQ(adapters::parse_retry_after(" 0 ", kNow), milliseconds(0));
  // kNow is Wed, 18 Nov 2026 11:06:40 GMT.
  EXPECT_EQ(adapters::parse_retry_after("Wed, 18 Nov 2026 11:07:10 GMT", kNow), milliseconds(30000));
  EXPECT_EQ(adapters::parse_retry_after("Wed, 18 Nov 2026 08:00:00 GMT", kNow), milliseconds(0));
  EXPECT_FALSE(adapters::parse_retry_after("", kNow).has_value());
  EXPECT_FALSE(adapters::parse_retry_after("-5", kNow).has_value());
  EXPECT_FALSE(adapters::parse_retry_after("soon", kNow).has_value());
  EXPECT_FALSE(adapters::parse_retry_after("18 Nov 2026", kNow).has_value());
  EXPECT_FALSE(adapters::parse_retry_after("Wed, 18 Nov 2026 11:07:10 +0100", kNow).has_value());
  EXPECT_FALSE(adapters::parse_retry_after("99999999999999999999", kNow).has_value());
}

TEST(RetryPolicy, OnlyAnswersThatMayChangeAreTransient) {
  for (const int status : {408, 425, 429, 500, 502, 503, 504}) {
    EXPECT_TRUE(adapters::is_transient_status(status)) << status;
  }
  for (const int status : {200, 201, 301, 400, 401, 403, 404, 409, 412, 422}) {
    EXPECT_FALSE(adapters::is_transient_status(status)) << status;
  }
}

// The plugin's retry keys: defaults, values, and bad values named.
TEST(ZgwSettingsRetry, TheRetryKeysAreReadAndChecked) {
  std::map<std::string, std::string> keys{
      {"enabled", "true"},
      {"organisation", "gemeente:test"},
      {"webhook_authorization", "Bearer x"},
      {"zaken_api", "http://127.0.0.1:1/zaken/api/v1"},
      {"client_id", "c"},
      {"secret", "s"},
      {"export_zaaktype", "https://catalogi.test/api/v1/zaaktypen/1"},
      {"export_statustype", "https://catalogi.test/api/v1/statustypen/1"},
      {"export_roltype", "https://catalogi.test/api/v1/roltypen/1"},
      {"export_bronorganisatie", "002220647"},
      {"export_verantwoordelijke_organisatie", "002220647"}};
  const auto read = [&keys](const std::string &key) -> std::optional<std::string> {
    const auto found = keys.find(key);
    return found == keys.end() ? std::nullopt : std::optional<std::string>(found->second);
  };
  auto settings = read_zgw_settings(read);
  EXPECT_EQ(settings.export_retry.attempts, 5u);
  EXPECT_EQ(settings.export_retry.base_delay, milliseconds(1000));
  EXPECT_EQ(settings.export_retry.max_delay, milliseconds(30000));
  keys["export_retry_attempts"] = "2";
  keys["export_retry_base_ms"] = "250";
  keys["export_retry_max_ms"] = "4000";
  settings = read_zgw_settings(read);
  EXPECT_EQ(settings.export_retry.attempts, 2u);
  EXPECT_EQ(settings.export_retry.base_delay, milliseconds(250));
  EXPECT_EQ(settings.export_retry.max_delay, milliseconds(4000));

  const auto refused = [&](const std::string &key, const std::string &value, const std::string &message) {
    auto bad = keys;
    bad[key] = value;
    try {
      read_zgw_settings([&bad](const std::string &name) -> std::optional<std::string> {
        const auto found = bad.find(name);
        return found == bad.end() ? std::nullopt : std::optional<std::string>(found->second);
      });
      ADD_FAILURE() << key << " = " << value << " accepted";
    } catch (const std::invalid_argument &e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
  };
  refused("export_retry_attempts", "0", "plugin.nl.hearth.adapter.zgw.export_retry_attempts: '0' is not a positive whole number");
  refused("export_retry_attempts", "101", "plugin.nl.hearth.adapter.zgw.export_retry_attempts: must be at most 100");
  refused("export_retry_base_ms", "soon", "plugin.nl.hearth.adapter.zgw.export_retry_base_ms: 'soon' is not a positive whole number");
  refused("export_retry_max_ms", "100",
          "plugin.nl.hearth.adapter.zgw.export_retry_max_ms: must not be less than export_retry_base_ms");

  // The outbox's automatic re-send (since 0.3): on by default, 0 turns it off.
  keys.erase("export_retry_max_ms");
  keys.erase("export_retry_base_ms");
  settings = read_zgw_settings(read);
  EXPECT_EQ(settings.export_resend_interval, milliseconds(300000));
  EXPECT_EQ(settings.export_resend_attempts, 144u);
  EXPECT_TRUE(settings.resend_enabled());
  keys["export_resend_interval_ms"] = "0";
  keys["export_resend_attempts"] = "3";
  settings = read_zgw_settings(read);
  EXPECT_EQ(settings.export_resend_interval, milliseconds(0));
  EXPECT_EQ(settings.export_resend_attempts, 3u);
  EXPECT_FALSE(settings.resend_enabled());
  refused("export_resend_interval_ms", "-1",
          "plugin.nl.hearth.adapter.zgw.export_resend_interval_ms: '-1' is not a whole number");
  refused("export_resend_interval_ms", "86400001",
          "plugin.nl.hearth.adapter.zgw.export_resend_interval_ms: must be at most 86400000 (a day)");
  refused("export_resend_attempts", "0",
          "plugin.nl.hearth.adapter.zgw.export_resend_attempts: '0' is not a positive whole number");
  refused("export_resend_attempts", "100001",
          "plugin.nl.hearth.adapter.zgw.export_resend_attempts: must be at most 100000");
  // Without the export there is nothing to re-send.
  keys.erase("export_zaaktype");
  keys.erase("export_resend_interval_ms");
  EXPECT_FALSE(read_zgw_settings(read).resend_enabled());
}

class ZgwExportRetry : public testing::Test {
protected:
  void SetUp() override {
    server_ = std::make_unique<ZgwTestServer>(kClient, kSecret);
    client_ = make_client(server_->zaken_api());
    settings_ = test_export_settings();
    request_ = parse_export_request(
        R"({"case_id":"C-40","tenancy_id":"T-1","coordinator":{"user":"coord-7"},"opened_ms":1793611800000})", kNow);
  }

  void TearDown() override { expect_conformant_exchange(*server_); }

  static std::unique_ptr<ZakenClient> make_client(const std::string &base_url) {
    ZakenApiSettings zaken;
    zaken.base_url = base_url;
    zaken.credentials = {kClient, kSecret, "hearth", "Hearth"};
    zaken.timeout = milliseconds(5000);
    return std::make_unique<ZakenClient>(zaken, [] { return kNow; });
  }

  // Exports with `policy`, recording each wait instead of sleeping.
  ExportOutcome run(const adapters::RetryPolicy &policy, const ZakenClient *client = nullptr) {
    return export_case(request_, settings_, client != nullptr ? *client : *client_, ledger_, kNow, policy,
                       [this](milliseconds wait) {
                         waits_.push_back(wait);
                         return true;
                       });
  }

  // The calls to `method` <collection> the server received.
  std::size_t calls_to(const std::string &method, const std::string &collection) const {
    std::size_t count = 0;
    for (const auto &call : server_->calls()) {
      count += call.method == method && call.path == "/zaken/api/v1/" + collection ? 1 : 0;
    }
    return count;
  }

  const adapters::RetryPolicy policy_{4, milliseconds(100), milliseconds(1000)};
  std::unique_ptr<ZgwTestServer> server_;
  std::unique_ptr<ZakenClient> client_;
  ExportSettings settings_;
  CaseExportRequest request_;
  MapLedger ledger_;
  std::vector<milliseconds> waits_;
};

TEST_F(ZgwExportRetry, ServerErrorsAreTriedAgainWithDoublingWaits) {
  server_->fail_next("POST", "zaken", 503, 2);
  const auto outcome = run(policy_);
  EXPECT_EQ(outcome.created, 3);
  EXPECT_TRUE(outcome.progress.complete());
  EXPECT_EQ(waits_, (std::vector<milliseconds>{milliseconds(100), milliseconds(200)}));
  EXPECT_EQ(calls_to("POST", "zaken"), 3u);
  EXPECT_EQ(server_->count("zaken"), 1u);
  EXPECT_EQ(server_->count("statussen"), 1u);
  EXPECT_EQ(server_->count("rollen"), 1u);
}

TEST_F(ZgwExportRetry, TooManyRequestsWaitsAsLongAsRetryAfterSaysWithinTheMaximum) {
  server_->fail_next("GET", "zaken", 429, 1, "0");
  server_->fail_next("POST", "statussen", 429, 1, "Wed, 18 Nov 2026 11:06:40 GMT");
  server_->fail_next("POST", "rollen", 429, 1, "120");
  const auto outcome = run(policy_);
  EXPECT_TRUE(outcome.progress.complete());
  // "0" and a date that is now do not shorten the back-off; 120 s is cut to the maximum.
  EXPECT_EQ(waits_, (std::vector<milliseconds>{milliseconds(100), milliseconds(100), milliseconds(1000)}));
  EXPECT_EQ(server_->count("rollen"), 1u);
}

TEST_F(ZgwExportRetry, AResetConnectionIsTriedAgain) {
  server_->reset_next("POST", "statussen", 2);
  const auto outcome = run(policy_);
  EXPECT_TRUE(outcome.progress.complete());
  EXPECT_EQ(waits_.size(), 2u);
  EXPECT_EQ(calls_to("POST", "statussen"), 3u);
  EXPECT_EQ(server_->count("statussen"), 1u);
}

TEST_F(ZgwExportRetry, AnAnswerLostAfterTheServerStoredItIsAdoptedNotCreatedTwice) {
  server_->drop_answer_of_next("POST", "zaken");
  server_->drop_answer_of_next("POST", "rollen");
  const auto outcome = run(policy_);
  EXPECT_TRUE(outcome.progress.complete());
  EXPECT_EQ(outcome.adopted, 2); // the zaak and the rol, found on the retry's look-up
  EXPECT_EQ(outcome.created, 1); // the status
  EXPECT_EQ(waits_.size(), 2u);
  EXPECT_EQ(calls_to("POST", "zaken"), 1u);
  EXPECT_EQ(calls_to("POST", "rollen"), 1u);
  EXPECT_EQ(server_->count("zaken"), 1u);
  EXPECT_EQ(server_->count("rollen"), 1u);
  EXPECT_EQ(ledger_.rows.at("C-40").zaak_url, server_->objects("zaken").front()->getValue<std::string>("url"));
}

TEST_F(ZgwExportRetry, ARefusedConnectionIsTriedAgainThenGivenUp) {
  std::string closed_base;
  {
    // A port that was just free: nothing listens there any more.
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    closed_base = "http://127.0.0.1:" + std::to_string(socket.address().port()) + "/zaken/api/v1";
  }
  const auto unreachable = make_client(closed_base);
  try {
    run(adapters::RetryPolicy{3, milliseconds(10), milliseconds(50)}, unreachable.get());
    ADD_FAILURE() << "no failure";
  } catch (const ExportFailure &failure) {
    EXPECT_EQ(failure.step(), ExportStep::zaak);
    EXPECT_EQ(failure.attempts(), 3u);
    EXPECT_EQ(failure.http_status(), 0);
    EXPECT_TRUE(failure.transient());
    EXPECT_FALSE(failure.interrupted());
    EXPECT_NE(failure.reason().find("zaak: GET http://127.0.0.1:"), std::string::npos) << failure.reason();
    EXPECT_NE(failure.reason().find("Connection refused"), std::string::npos) << failure.reason();
    EXPECT_NE(failure.reason().find("(3 attempts)"), std::string::npos) << failure.reason();
  }
  EXPECT_EQ(waits_, (std::vector<milliseconds>{milliseconds(10), milliseconds(20)}));
  EXPECT_TRUE(ledger_.rows.empty());
}

TEST_F(ZgwExportRetry, AfterTheLastTryTheFailureNamesTheStepAndANewRequestResumes) {
  server_->fail_next("POST", "rollen", 500, 5);
  try {
    run(adapters::RetryPolicy{3, milliseconds(10), milliseconds(50)});
    ADD_FAILURE() << "no failure";
  } catch (const ExportFailure &failure) {
    EXPECT_EQ(failure.step(), ExportStep::rol);
    EXPECT_EQ(failure.attempts(), 3u);
    EXPECT_EQ(failure.http_status(), 500);
    EXPECT_EQ(failure.reason(), "rol: POST /rollen: the Zaken API answered 500 (3 attempts)");
  }
  EXPECT_EQ(calls_to("POST", "rollen"), 3u);
  // What succeeded is in the ledger; a new request (the API still fails twice, then
  // answers) resumes at the rol, without touching the zaak or the status.
  ASSERT_EQ(ledger_.rows.count("C-40"), 1u);
  EXPECT_FALSE(ledger_.rows.at("C-40").status_url.empty());
  const auto resumed = run(adapters::RetryPolicy{3, milliseconds(10), milliseconds(50)});
  EXPECT_TRUE(resumed.progress.complete());
  EXPECT_EQ(resumed.created, 1);
  EXPECT_EQ(calls_to("POST", "zaken"), 1u);
  EXPECT_EQ(calls_to("POST", "statussen"), 1u);
  EXPECT_EQ(server_->count("rollen"), 1u);
}

TEST_F(ZgwExportRetry, AnAnswerThatWillNotChangeEndsTheStepAtOnce) {
  for (const int status : {400, 403, 404}) {
    server_->fail_next("POST", "zaken", status);
    try {
      run(policy_);
      ADD_FAILURE() << "no failure for " << status;
    } catch (const ExportFailure &failure) {
      EXPECT_EQ(failure.http_status(), status);
      EXPECT_FALSE(failure.transient());
      EXPECT_EQ(failure.attempts(), 1u);
      EXPECT_EQ(failure.reason(), "zaak: POST /zaken: the Zaken API answered " + std::to_string(status) + " (1 attempt)");
    }
  }
  EXPECT_TRUE(waits_.empty());
  EXPECT_EQ(server_->count("zaken"), 0u);
}

TEST_F(ZgwExportRetry, WithoutAPolicyEachStepIsTriedOnce) {
  server_->fail_next("POST", "zaken", 503);
  EXPECT_THROW(export_case(request_, settings_, *client_, ledger_, kNow), ExportFailure);
  EXPECT_EQ(calls_to("POST", "zaken"), 1u);
}

TEST_F(ZgwExportRetry, AStopDuringTheWaitEndsTheExport) {
  server_->fail_next("POST", "zaken", 502, 3);
  try {
    export_case(request_, settings_, *client_, ledger_, kNow, policy_, [](milliseconds) { return false; });
    ADD_FAILURE() << "no failure";
  } catch (const ExportFailure &failure) {
    EXPECT_TRUE(failure.interrupted());
    EXPECT_EQ(failure.attempts(), 1u);
    EXPECT_EQ(failure.reason(), "zaak: POST /zaken: the Zaken API answered 502 (1 attempt, stopped by shutdown)");
  }
  EXPECT_EQ(calls_to("POST", "zaken"), 1u);
}

} // namespace
} // namespace hearth::test
