// The dashboards' dispatcher: everything around a view — sessions (demo sign-in, CRM
// token exchange, sign-out), the anti-forgery check of every POST, the role gate, the
// page layout with the persona's <nav>, the language switch, the security headers —
// plus the assets and the risk badge widget (since 0.1.0).
#ifndef HEARTH_DASHBOARDS_DASHBOARD_HPP
#define HEARTH_DASHBOARDS_DASHBOARD_HPP

#include <memory>
#include <optional>
#include <string>

#include <hearth/credentials.h>
#include <hearth/http.h>

#include "http_exchange.hpp"
#include "runtime_backend.hpp"
#include "session_store.hpp"
#include "settings.hpp"
#include "view.hpp"

namespace hearth::dashboards {

// The badge's flag readers over the early-warning plugin's typed lookup (badge.cpp).
class BadgeReaders;

// The readers of `host`'s [plugin.nl.hearth.dashboards] badge_reader_seconds (default 60,
// 1 … 3600), badge_reader_lookups (default 100000, 1 … 10000000) and badge_readers
// (default 256, 1 … 100000). Throws std::invalid_argument naming the key for a bad value.
// The lookup table is fetched on first use. Since 0.1.0.
std::shared_ptr<BadgeReaders> make_badge_readers(const hearth_host *host);

class Dashboard {
public:
  // `registry` holds every view; `credentials` may be null (token sign-in then refuses);
  // `demo_mode` is runtime.mode == "demo". Everything borrowed outlives this object.
  Dashboard(Settings settings, ViewRegistry registry, RuntimeBackend &backend,
            const hearth_host *host, const hearth_credentials_extension *credentials, bool demo_mode);

  // Answers a request below /dashboard. [any-thread]
  void handle_dashboard(const hearth_http_request &request, const hearth_http_response &response);
  // Answers a request below /widgets. [any-thread]
  void handle_widget(const hearth_http_request &request, const hearth_http_response &response);

  // Closes every flag reader of the badge (their audit entries are written first); a badge
  // asked for afterwards answers 503. Call from deinit(). [any-thread] blocks
  void close_badge_readers();

  // The session store (for tests and metrics).
  SessionStore &sessions() { return sessions_; }

private:
  HttpAnswer dispatch(HttpExchange &exchange);
  HttpAnswer sign_in_page(HttpExchange &exchange, const std::string &lang);
  HttpAnswer demo_sign_in(HttpExchange &exchange, const std::string &lang);
  HttpAnswer token_sign_in(HttpExchange &exchange, const std::string &lang);
  HttpAnswer language_switch(HttpExchange &exchange, const std::optional<Session> &session);
  HttpAnswer run_view(HttpExchange &exchange, Session &session, const ViewRoute *route);

  // A session begun for `who`: 303 to `next` with the session cookie.
  HttpAnswer begin_session(const Session &who, std::int64_t not_after_ms, const std::string &next);
  // A page outside any session (sign-in, refusals): layout without nav.
  HttpAnswer bare_page(int status, const std::string &lang, const std::string &title, const std::string &body_html,
                       const std::string &csrf);
  // The layout of a signed-in page: `current_path` marks the <nav> entry, the language
  // switch returns to `return_path`.
  HttpAnswer session_page(const Session &session, const std::string &current_path, const std::string &return_path,
                          const ViewResponse &view, const std::string &nonce);
  HttpAnswer redirect(const std::string &location) const;
  HttpAnswer refused(int status, const std::string &lang, const std::string &title, const std::string &text);
  // Sets Content-Type, CSP (with `nonce`) and the framing headers of an HTML page.
  void html_headers(HttpAnswer &answer, const std::string &nonce) const;
  std::string session_cookie(const std::string &value, bool clear) const;
  std::string pre_session_csrf(HttpExchange &exchange, HttpAnswer &answer) const;
  std::string start_path(const std::string &role) const;

  // The risk badge of the request's tenancy: written to `response` here (the HTML badge,
  // nothing returned), or the answer to send (the JSON badge, a refusal or an error).
  std::optional<HttpAnswer> badge(const hearth_http_request &request, bool json, const hearth_http_response &response);
  // The "scope" of a bearer credential ("" for none or an API key).
  std::string token_scope(const char *credential) const;

  Settings settings_;
  ViewRegistry registry_;
  RuntimeBackend &backend_;
  const hearth_host *host_;
  const hearth_credentials_extension *credentials_;
  bool demo_mode_;
  SessionStore sessions_;
  std::string csp_before_nonce_, csp_after_nonce_, badge_csp_;
  std::shared_ptr<BadgeReaders> badge_readers_;
};

// The language of a request: the cookie hearth_lang when "en" or "nl", else "nl".
std::string language_of(const HttpExchange &exchange);

// True when `next` is a path of the dashboards that is safe to redirect to.
bool is_dashboard_path(const std::string &next);

} // namespace hearth::dashboards

#endif // HEARTH_DASHBOARDS_DASHBOARD_HPP
