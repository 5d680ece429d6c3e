// A runtime with the dashboards plugin serving HTTP on loopback, on a SQLite store holding
// the demo neighbourhood (200 tenancies, seed 1: what `hearth serve` seeds) with the
// early-warning plugin's flags, at a clock the test moves; and a small browser (cookies,
// forms) on Poco::Net::HTTPClientSession.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <hearth/host.h>

#include "test_environment.hpp"

namespace hearth::test::dashboards {

// 2026-01-01T00:00:00Z: the clock every runtime starts at (the demo history ends the day before).
constexpr std::int64_t kNowMs = 1'767'225'600'000;
constexpr std::int64_t kMinuteMs = 60'000;

// The API key of the CRM system ([auth.key.crm], role system) and the HS256 secret.
inline constexpr const char *kApiKey = "crm-key-for-dashboard-tests-0123456789";
inline constexpr const char *kJwtSecret = "a-shared-secret-of-at-least-32-bytes!!";

// Demo users (host-adapters/cli/demo) the tests act as.
inline constexpr const char *kConsultant = "consultant-01";
inline constexpr const char *kOtherConsultant = "consultant-02";

struct RuntimeOptions {
  std::string mode = "demo";     // [runtime] mode
  std::string dashboard_ini;     // lines for [plugin.nl.hearth.dashboards]
  std::string extra_ini;         // appended at the end of hearth.ini
};

// One runtime serving HTTP on 127.0.0.1 (a free port), on a copy of the seeded store.
class DashboardRuntime {
public:
  explicit DashboardRuntime(const RuntimeOptions &options = {});
  ~DashboardRuntime();
  DashboardRuntime(const DashboardRuntime &) = delete;
  DashboardRuntime &operator=(const DashboardRuntime &) = delete;

  hearth_runtime *runtime() const { return runtime_; }
  std::uint16_t port() const { return port_; }
  void set_now(std::int64_t ms) { now_ms_ = ms; }
  std::int64_t now() const { return now_ms_; }
  // The plugin's state (HEARTH_PLUGIN_STATE_*) and message; `file` like "hearth_dashboards".
  std::uint32_t plugin_state(const std::string &file, std::string &message) const;
  // Runs `operation` of `plugin` for (role, user) of organisation corp:demo; returns the
  // status and the answer (or reason).
  std::pair<std::int32_t, std::string> call(const std::string &role, const std::string &user,
                                            const std::string &plugin, const std::string &operation,
                                            const std::string &args = "{}");
  const std::filesystem::path &dir() const { return scratch_.path(); }

private:
  static std::int64_t clock(void *user_data) { return static_cast<DashboardRuntime *>(user_data)->now_ms_; }

  ScratchDir scratch_;
  hearth_runtime *runtime_ = nullptr;
  std::uint16_t port_ = 0;
  std::int64_t now_ms_ = kNowMs;
};

// What came back from one request.
struct Page {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers; // as sent
  // The first header `name` (case-insensitive), or "".
  std::string header(const std::string &name) const;
  // Every Set-Cookie line.
  std::vector<std::string> set_cookies() const;
};

// A browser with a cookie jar, talking HTTP/1.1 to 127.0.0.1:port.
class Browser {
public:
  explicit Browser(std::uint16_t port) : port_(port) {}
  Page get(const std::string &target, const std::map<std::string, std::string> &headers = {});
  // Posts an application/x-www-form-urlencoded body built from `fields`.
  Page post(const std::string &target, const std::vector<std::pair<std::string, std::string>> &fields,
            const std::map<std::string, std::string> &headers = {});
  // The anti-forgery token in a page's forms (the first name="csrf" field), or "".
  static std::string csrf_of(const Page &page);
  // Signs in through the demo page as `persona`; fails the test unless it works.
  void sign_in_as(const std::string &persona);
  // The current page's anti-forgery token, read from `path` (GET).
  std::string csrf(const std::string &path = "/dashboard/consultant");

  std::map<std::string, std::string> cookies;

private:
  Page send(const std::string &method, const std::string &target, const std::string &body,
            const std::string &content_type, const std::map<std::string, std::string> &headers);
  std::uint16_t port_;
};

// A CRM token (HS256, issuer crm.test, audience hearth) for `user` with `role`, issued at
// `now_ms`, living `lifetime_s` (negative: expired), signed with `secret`; `scope`
// becomes the "scope" claim when not empty.
std::string crm_token(std::int64_t now_ms, long lifetime_s, const std::string &user, const std::string &role,
                      const std::string &scope = "", const std::string &secret = kJwtSecret);

// Flag ids of `consultant`'s portfolio (status proposed, any level from green), via
// flags.portfolio as that consultant.
std::vector<std::string> portfolio_flags(DashboardRuntime &runtime, const std::string &consultant);

} // namespace hearth::test::dashboards
