// The contract between the dashboards plugin's dispatcher and its views (since 0.1.0).
//
// A view is a function from a ViewRequest (the signed-in Session, the decoded query and
// form, the Backend that reaches other plugins with the session's actor) to a
// ViewResponse (a title and the HTML that goes inside <main>). The dispatcher
// (dispatcher.cpp) does everything around it: the session cookie, the CSRF check of
// every POST, the role gate, the layout with the persona's <nav>, the security headers.
// Views print nothing unescaped: every value goes through escape().
//
// Threads: views run on HTTP worker threads, concurrently; a ViewRegistry is filled
// once in init() and only read afterwards.
#ifndef HEARTH_DASHBOARDS_VIEW_HPP
#define HEARTH_DASHBOARDS_VIEW_HPP

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/JSON/Object.h>

#include <hearth/actor.h>
#include <hearth/status.h>

namespace hearth::dashboards {

// One signed-in person. Created by the session store on sign-in; views get it by const
// reference for one request and must not keep it.
struct Session {
  std::string id, csrf_token;
  std::string user, role, organisation, on_behalf_of, access_point, scope;
  std::int64_t expires_at_ms = 0;
  std::string lang = "nl"; // "nl" | "en"
  // The actor of this session for calls into the runtime. Borrows this object's
  // strings: valid while the Session lives and is not changed.
  hearth_actor actor() const;
};

// What a Backend call answered.
struct CallResult {
  std::int32_t status = HEARTH_OK; // HEARTH_* status
  std::string body;                // JSON on OK; a one-line reason otherwise
  // True when status is HEARTH_OK.
  bool ok() const;
  // The body parsed as a JSON object; throws Poco::Exception when it is not one.
  Poco::JSON::Object::Ptr object() const;
};

// Everything a view reads or changes goes through here, with the session's actor, so the
// called plugin asks the policy service and writes the audit log for that person.
// [any-thread]
class Backend {
public:
  virtual ~Backend() = default;
  // Runs `operation` of plugin `plugin_id` (nl.hearth.calls/1) with `args`.
  virtual CallResult call(const Session &, const std::string &plugin_id, const std::string &operation,
                          const Poco::JSON::Object &args) = 0;
  // Reads the runtime view `view` (the data extension's read()) with `args`.
  virtual CallResult read(const Session &, const std::string &view, const Poco::JSON::Object &args) = 0;
  // The runtime's clock, Unix epoch milliseconds.
  virtual std::int64_t now_ms() = 0;
};

// One request as a view sees it. Valid only during the handler call.
struct ViewRequest {
  const Session &session;
  std::string method, path;
  std::map<std::string, std::string> query; // decoded
  std::map<std::string, std::string> form;  // decoded urlencoded POST body; CSRF already checked
  Backend &backend;
  std::string nonce; // CSP nonce of this response
  // `nl` or `en` by session.lang.
  std::string t(const char *nl, const char *en) const;
  // The query (GET) or form (POST) value `name`, or "" when absent. Since 0.1.0 (added).
  std::string param(const std::string &name) const;
};

// What a view answers.
struct ViewResponse {
  int status = 200;
  std::string title;     // <title> and <h1>, plain text (escaped by layout)
  std::string body_html; // goes inside <main> after the <h1>
  std::string redirect;  // non-empty: 303 See Other to this path
  // A 303 to `path` (a /dashboard/... path).
  static ViewResponse redirect_to(std::string path);
  // The same 404 page for a missing record, a forbidden record and a route the role may
  // not use: callers must not add anything that tells them apart.
  static ViewResponse not_found(const ViewRequest &);
  // A 400 page that says `reason_html` (already escaped) — for bad form input. Added.
  static ViewResponse bad_request(const ViewRequest &, std::string reason_html);
};

using ViewHandler = std::function<ViewResponse(ViewRequest &)>;

// One route of a view.
struct ViewRoute {
  std::string method;             // "GET" or "POST" (POST: state changes only; GET never changes state)
  std::string path;               // exact, e.g. "/dashboard/consultant"
  std::vector<std::string> roles; // HEARTH_ROLE_* allowed; others get not_found()
  ViewHandler handler;
  std::string nav_label_nl, nav_label_en; // non-empty: shown in the persona's <nav>
};

// All routes of all views. Filled in init() (not thread-safe while adding), then only
// read by the dispatcher on worker threads.
class ViewRegistry {
public:
  // Adds `route`; throws std::invalid_argument when (method, path) is taken or the
  // route has no roles or no handler.
  void add(ViewRoute route);
  // The route for (method, path), or nullptr. [any-thread] after init.
  const ViewRoute *find(std::string_view method, std::string_view path) const;
  // The routes that carry a nav label and allow `role`, in the order they were added.
  std::vector<const ViewRoute *> nav_for(std::string_view role) const;
  // The first GET route with a nav label that `role` may use (the persona's start
  // page), or nullptr.
  const ViewRoute *start_for(std::string_view role) const;
  // True when some route, any method, has this path.
  bool has_path(std::string_view path) const;

private:
  std::vector<ViewRoute> routes_;
};

// `text` with & < > " ' replaced by entities: safe in element content and quoted
// attributes.
std::string escape(std::string_view text);
// Appends `text` to `out` escaped as escape() does, without a temporary string. Added.
void append_escaped(std::string &out, std::string_view text);
// The hidden form field with the session's anti-forgery token; every POST form has it.
std::string csrf_field(const Session &);
// `text` percent-encoded for a URL query value.
std::string url_encode(std::string_view text);
// A date from Unix ms in the session's language: "28-11-2026" (nl) / "2026-11-28" (en).
std::string format_date(std::int64_t ms, const std::string &lang);
// As format_date, with hours and minutes (UTC). Added.
std::string format_date_time(std::int64_t ms, const std::string &lang);

// True when the session's scope (the CRM token's "scope" claim) covers tenancy
// `tenancy_id`: no scope or "portfolio" covers every tenancy the policy lets the person
// see; "tenancy:<id>" only that one; any other scope (e.g. "case:<id>") no tenancy. Views
// answer not_found() for what is out of scope. Added.
bool in_scope(const Session &session, std::string_view tenancy_id);
// True when the session's scope limits what it may see (anything but "" and "portfolio"). Added.
bool scope_is_limited(const Session &session);

// A flag level ("red", "amber", "green", "none") in `lang`: "rood"/"red", ... Added.
std::string level_label(const std::string &level, const std::string &lang);
// A role id ("housing_consultant", ...) in `lang`: "Woonconsulent"/"Housing consultant". Added.
std::string role_label(const std::string &role, const std::string &lang);
// A flag status ("proposed", "accepted", "overridden", "dismissed") in `lang`. Added.
std::string status_label(const std::string &status, const std::string &lang);

void register_consultant_views(ViewRegistry &);  // dash-core
void register_admin_views(ViewRegistry &);       // dash-core
void register_care_views(ViewRegistry &);        // dash-views
void register_coordinator_views(ViewRegistry &); // dash-views
void register_tenant_views(ViewRegistry &);      // dash-views
void register_neighbour_views(ViewRegistry &);   // dash-views
void register_auditor_views(ViewRegistry &);     // dash-views

} // namespace hearth::dashboards

#endif // HEARTH_DASHBOARDS_VIEW_HPP
