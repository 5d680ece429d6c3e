// The dispatcher: sessions, the anti-forgery check, the role gate, the layout and the
// security headers around every view.
#include "dashboard.hpp"

#include <algorithm>
#include <stdexcept>

#include "assets.hpp"
#include "page_texts.hpp"

namespace hearth::dashboards {
namespace {

constexpr const char *kSessionCookie = "hearth_session";
constexpr const char *kLanguageCookie = "hearth_lang";
constexpr const char *kPreSessionCookie = "hearth_csrf";

std::string page(const std::string &lang, const std::string &title, const std::string &header_html,
                 const std::string &main_html) {
  std::string out;
  out.reserve(2048 + main_html.size());
  out += "<!DOCTYPE html>\n<html lang=\"";
  out += lang == "en" ? "en" : "nl";
  out += "\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  out += escape(title);
  out += " · Hearth</title>\n<link rel=\"stylesheet\" href=\"/dashboard/assets/app.css\">\n"
         "<script src=\"/dashboard/assets/app.js\" defer></script>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">";
  out += lang == "en" ? "Skip to content" : "Naar de inhoud";
  out += "</a>\n<header class=\"top\">\n<span class=\"brand\">Hearth</span>\n";
  out += header_html;
  out += "</header>\n<main id=\"main\" tabindex=\"-1\">\n<h1>";
  out += escape(title);
  out += "</h1>\n";
  out += main_html;
  out += "\n</main>\n</body>\n</html>\n";
  return out;
}

// The form that switches the language: one button naming the other language.
std::string language_form(const std::string &lang, const std::string &csrf, const std::string &next) {
  const bool english = lang == "en";
  return "<form method=\"post\" action=\"/dashboard/lang\" class=\"inline\">"
         "<input type=\"hidden\" name=\"csrf\" value=\"" +
         escape(csrf) + "\"><input type=\"hidden\" name=\"next\" value=\"" + escape(next) +
         "\"><input type=\"hidden\" name=\"lang\" value=\"" + (english ? "nl" : "en") +
         "\"><button type=\"submit\" data-test=\"lang-switch\" lang=\"" + (english ? "nl" : "en") + "\">" +
         (english ? "Nederlands" : "English") + "</button></form>\n";
}

} // namespace

std::string language_of(const HttpExchange &exchange) { return exchange.cookie(kLanguageCookie) == "en" ? "en" : "nl"; }

bool is_dashboard_path(const std::string &next) {
  if (next != "/dashboard" && next.rfind("/dashboard/", 0) != 0) {
    return false;
  }
  if (next.size() > 512 || next.find("//") != std::string::npos || next.find("/..") != std::string::npos) {
    return false;
  }
  return std::all_of(next.begin(), next.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != '\\' && c != '"' && c != '\'' && c != '<' && c != '>';
  });
}

Dashboard::Dashboard(Settings settings, ViewRegistry registry, RuntimeBackend &backend, const hearth_host *host,
                     const hearth_credentials_extension *credentials, bool demo_mode)
    : settings_(std::move(settings)), registry_(std::move(registry)), backend_(backend), host_(host),
      credentials_(credentials), demo_mode_(demo_mode),
      sessions_(settings_.session_idle_minutes * 60'000, settings_.session_max_minutes * 60'000,
                settings_.max_sessions) {
  csp_before_nonce_ = "default-src 'none'; script-src 'self' 'nonce-";
  csp_after_nonce_ = "'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                     "frame-ancestors " +
                     settings_.frame_ancestors + "; object-src 'none'; base-uri 'none'";
  badge_csp_ = "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
               "form-action 'none'; frame-ancestors " +
               settings_.frame_ancestors + "; object-src 'none'; base-uri 'none'";
  badge_readers_ = make_badge_readers(host_);
}

void Dashboard::html_headers(HttpAnswer &answer, const std::string &nonce) const {
  answer.set("Content-Type", "text/html; charset=utf-8");
  answer.set("Content-Security-Policy", csp_before_nonce_ + nonce + csp_after_nonce_);
  if (settings_.frame_ancestors == "'none'") {
    answer.set("X-Frame-Options", "DENY");
  } else if (settings_.frame_ancestors == "'self'") {
    answer.set("X-Frame-Options", "SAMEORIGIN");
  }
  answer.set("X-Content-Type-Options", "nosniff");
  answer.set("Referrer-Policy", "no-referrer");
  answer.set("Cache-Control", "no-store");
}

std::string Dashboard::session_cookie(const std::string &value, bool clear) const {
  std::string cookie = std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=" +
                       settings_.cookie_samesite;
  if (settings_.cookie_secure) {
    cookie += "; Secure";
  }
  if (clear) {
    cookie += "; Max-Age=0";
  }
  return cookie;
}

HttpAnswer Dashboard::redirect(const std::string &location) const {
  HttpAnswer answer;
  answer.status = 303;
  answer.set("Location", location);
  answer.set("Cache-Control", "no-store");
  return answer;
}

HttpAnswer Dashboard::bare_page(int status, const std::string &lang, const std::string &title,
                                const std::string &body_html, const std::string &csrf) {
  HttpAnswer answer;
  answer.status = status;
  html_headers(answer, random_token());
  const std::string header = csrf.empty() ? std::string() : language_form(lang, csrf, "/dashboard/sign-in");
  answer.body = page(lang, title, header, body_html);
  return answer;
}

HttpAnswer Dashboard::refused(int status, const std::string &lang, const std::string &title, const std::string &text) {
  return bare_page(status, lang, title, "<p role=\"alert\" data-test=\"error\">" + escape(text) + "</p>", "");
}

std::string Dashboard::start_path(const std::string &role) const {
  const ViewRoute *start = registry_.start_for(role);
  return start != nullptr ? start->path : "/dashboard/none";
}

HttpAnswer Dashboard::session_page(const Session &session, const std::string &current_path,
                                   const std::string &return_path, const ViewResponse &view, const std::string &nonce) {
  const std::string &lang = session.lang;
  std::string header = "<nav aria-label=\"";
  header += lang == "en" ? "Main menu" : "Hoofdmenu";
  header += "\" data-test=\"nav\"><ul>\n";
  for (const ViewRoute *route : registry_.nav_for(session.role)) {
    header += "<li><a href=\"" + escape(route->path) + "\"";
    if (route->path == current_path) {
      header += " aria-current=\"page\"";
    }
    header += ">" + escape(lang == "en" ? route->nav_label_en : route->nav_label_nl) + "</a></li>\n";
  }
  header += "</ul></nav>\n<p class=\"who\" data-test=\"who\">" + escape(role_label(session.role, lang)) + " · " +
            escape(session.user) + "</p>\n";
  header += language_form(lang, session.csrf_token, return_path);
  header += "<form method=\"post\" action=\"/dashboard/sign-out\" class=\"inline\">" + csrf_field(session) +
            "<button type=\"submit\" data-test=\"sign-out\">" + (lang == "en" ? "Sign out" : "Afmelden") +
            "</button></form>\n";
  HttpAnswer answer;
  answer.status = view.status;
  html_headers(answer, nonce);
  answer.body = page(lang, view.title, header, view.body_html);
  return answer;
}

void Dashboard::handle_dashboard(const hearth_http_request &request, const hearth_http_response &response) {
  HttpAnswer answer;
  try {
    HttpExchange exchange(request);
    answer = dispatch(exchange);
  } catch (const std::invalid_argument &bad) {
    answer = refused(400, "nl", "Ongeldig verzoek / Bad request", bad.what());
  }
  send(response, answer);
}

HttpAnswer Dashboard::dispatch(HttpExchange &exchange) {
  const std::string &path = exchange.path;
  const std::string &method = exchange.method;
  const std::string lang = language_of(exchange);

  if (const Asset *asset = find_asset(path); asset != nullptr) {
    if (method != "GET") {
      return refused(405, lang, not_found_title(lang), "GET only");
    }
    HttpAnswer answer;
    answer.set("Content-Type", std::string(asset->content_type));
    answer.set("Cache-Control", "public, max-age=3600");
    answer.set("X-Content-Type-Options", "nosniff");
    answer.body = std::string(asset->body);
    return answer;
  }
  if (path == "/dashboard/sign-in") {
    return method == "POST" ? demo_sign_in(exchange, lang) : sign_in_page(exchange, lang);
  }
  if (path == "/dashboard/session" && method == "POST") {
    return token_sign_in(exchange, lang);
  }

  std::optional<Session> session = sessions_.find(exchange.cookie(kSessionCookie), backend_.now_ms());
  if (path == "/dashboard/lang" && method == "POST") {
    return language_switch(exchange, session);
  }
  if (!session) {
    if (method == "GET") {
      return redirect("/dashboard/sign-in");
    }
    return refused(403, lang, lang == "en" ? "Not signed in" : "Niet aangemeld",
                   lang == "en" ? "Your session has ended. Sign in again." : "Uw sessie is verlopen. Meld u opnieuw aan.");
  }
  session->lang = lang;
  if (method == "POST") {
    const auto given = exchange.form.find("csrf");
    if (given == exchange.form.end() || !same_secret(given->second, session->csrf_token)) {
      return refused(403, lang, lang == "en" ? "Refused" : "Geweigerd",
                     lang == "en" ? "This form was not sent from this page (anti-forgery check). Nothing was changed."
                                  : "Dit formulier kwam niet van deze pagina (controle op vervalsing). Er is niets gewijzigd.");
    }
  }
  if (path == "/dashboard/sign-out" && method == "POST") {
    sessions_.end(session->id);
    HttpAnswer answer = redirect("/dashboard/sign-in");
    answer.set("Set-Cookie", session_cookie("", true));
    return answer;
  }
  if ((path == "/dashboard" || path == "/dashboard/") && method == "GET") {
    return redirect(start_path(session->role));
  }
  return run_view(exchange, *session, registry_.find(method, path));
}

HttpAnswer Dashboard::run_view(HttpExchange &exchange, Session &session, const ViewRoute *route) {
  ViewRequest request{session, exchange.method, exchange.path, exchange.query, exchange.form, backend_, random_token(), };
  if (exchange.method == "GET") {
    request.form.clear();
  }
  request.form.erase("csrf");
  ViewResponse view;
  if (route == nullptr || std::find(route->roles.begin(), route->roles.end(), session.role) == route->roles.end()) {
    view = ViewResponse::not_found(request);
  } else {
    try {
      view = route->handler(request);
    } catch (const std::exception &failure) {
      host_->log(host_, HEARTH_LOG_ERROR, ("view " + exchange.path + " failed: " + failure.what()).c_str());
      view = ViewResponse{};
      view.status = 500;
      view.title = request.t("Er ging iets mis", "Something went wrong");
      view.body_html = "<p role=\"alert\">" +
                       escape(request.t("De pagina kon niet worden gemaakt. Probeer het later opnieuw.",
                                        "The page could not be made. Please try again later.")) +
                       "</p>";
    }
  }
  if (!view.redirect.empty()) {
    return redirect(is_dashboard_path(view.redirect) ? view.redirect : std::string("/dashboard"));
  }
  // The 404 page must not differ by what was asked for: no path of the request in it.
  if (view.status == 404) {
    return session_page(session, "/dashboard", "/dashboard", view, request.nonce);
  }
  // After a language switch the same page comes back: GET pages keep their query.
  const std::string query = exchange.raw.query != nullptr ? exchange.raw.query : "";
  const std::string again = exchange.method == "GET" && !query.empty() ? exchange.path + "?" + query : exchange.path;
  return session_page(session, exchange.path, is_dashboard_path(again) ? again : exchange.path, view, request.nonce);
}

HttpAnswer Dashboard::language_switch(HttpExchange &exchange, const std::optional<Session> &session) {
  const std::string lang = language_of(exchange);
  const auto given = exchange.form.find("csrf");
  const std::string expected = session ? session->csrf_token : exchange.cookie(kPreSessionCookie);
  if (given == exchange.form.end() || !same_secret(given->second, expected)) {
    return refused(403, lang, lang == "en" ? "Refused" : "Geweigerd",
                   lang == "en" ? "This form was not sent from this page (anti-forgery check). Nothing was changed."
                                : "Dit formulier kwam niet van deze pagina (controle op vervalsing). Er is niets gewijzigd.");
  }
  const auto wanted = exchange.form.find("lang");
  if (wanted == exchange.form.end() || (wanted->second != "nl" && wanted->second != "en")) {
    return refused(400, lang, lang == "en" ? "Bad request" : "Ongeldig verzoek", "lang: not one of nl, en");
  }
  const auto next = exchange.form.find("next");
  HttpAnswer answer =
      redirect(next != exchange.form.end() && is_dashboard_path(next->second) ? next->second : "/dashboard");
  std::string cookie = std::string(kLanguageCookie) + "=" + wanted->second +
                       "; Path=/; Max-Age=31536000; HttpOnly; SameSite=" + settings_.cookie_samesite;
  if (settings_.cookie_secure) {
    cookie += "; Secure";
  }
  answer.set("Set-Cookie", cookie);
  return answer;
}

std::string Dashboard::pre_session_csrf(HttpExchange &exchange, HttpAnswer &answer) const {
  std::string token = exchange.cookie(kPreSessionCookie);
  if (token.size() != 64) {
    token = random_token();
    std::string cookie = std::string(kPreSessionCookie) + "=" + token + "; Path=/dashboard; HttpOnly; SameSite=" +
                         settings_.cookie_samesite;
    if (settings_.cookie_secure) {
      cookie += "; Secure";
    }
    answer.set("Set-Cookie", cookie);
  }
  return token;
}

HttpAnswer Dashboard::begin_session(const Session &who, std::int64_t not_after_ms, const std::string &next) {
  const Session session = sessions_.start(who, backend_.now_ms(), not_after_ms);
  HttpAnswer answer = redirect(is_dashboard_path(next) ? next : start_path(session.role));
  answer.set("Set-Cookie", session_cookie(session.id, false));
  return answer;
}

} // namespace hearth::dashboards
