// The small helpers of view.hpp: sessions as actors, call results, the view registry,
// escaping and formatting.
#include "view.hpp"

#include <algorithm>
#include <ctime>
#include <stdexcept>

#include <Poco/JSON/Parser.h>

#include "page_texts.hpp"

namespace hearth::dashboards {

hearth_actor Session::actor() const {
  hearth_actor a{};
  a.struct_size = sizeof a;
  a.emergency = 0;
  a.user = user.c_str();
  a.role = role.c_str();
  a.organisation = organisation.c_str();
  a.on_behalf_of = on_behalf_of.empty() ? nullptr : on_behalf_of.c_str();
  a.access_point = access_point.c_str();
  return a;
}

bool CallResult::ok() const { return status == HEARTH_OK; }

Poco::JSON::Object::Ptr CallResult::object() const {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::string ViewRequest::t(const char *nl, const char *en) const { return session.lang == "en" ? en : nl; }

std::string ViewRequest::param(const std::string &name) const {
  const auto &source = method == "POST" ? form : query;
  const auto found = source.find(name);
  return found == source.end() ? std::string() : found->second;
}

ViewResponse ViewResponse::redirect_to(std::string path) {
  ViewResponse response;
  response.status = 303;
  response.redirect = std::move(path);
  return response;
}

ViewResponse ViewResponse::not_found(const ViewRequest &request) {
  ViewResponse response;
  response.status = 404;
  response.title = not_found_title(request.session.lang);
  response.body_html = not_found_body_html(request.session.lang);
  return response;
}

ViewResponse ViewResponse::bad_request(const ViewRequest &request, std::string reason_html) {
  ViewResponse response;
  response.status = 400;
  response.title = request.t("Dat ging niet", "That did not work");
  response.body_html = "<p role=\"alert\" data-test=\"error\">" + reason_html + "</p>";
  return response;
}

void ViewRegistry::add(ViewRoute route) {
  if (route.method != "GET" && route.method != "POST") {
    throw std::invalid_argument("view route " + route.path + ": method must be GET or POST");
  }
  if (route.path.rfind("/dashboard", 0) != 0) {
    throw std::invalid_argument("view route " + route.path + ": path must start with /dashboard");
  }
  if (route.roles.empty() || !route.handler) {
    throw std::invalid_argument("view route " + route.path + ": needs roles and a handler");
  }
  if (find(route.method, route.path) != nullptr) {
    throw std::invalid_argument("view route " + route.method + " " + route.path + ": registered twice");
  }
  routes_.push_back(std::move(route));
}

const ViewRoute *ViewRegistry::find(std::string_view method, std::string_view path) const {
  for (const auto &route : routes_) {
    if (route.method == method && route.path == path) {
      return &route;
    }
  }
  return nullptr;
}

std::vector<const ViewRoute *> ViewRegistry::nav_for(std::string_view role) const {
  std::vector<const ViewRoute *> out;
  for (const auto &route : routes_) {
    if (route.method == "GET" && !route.nav_label_nl.empty() &&
        std::find(route.roles.begin(), route.roles.end(), role) != route.roles.end()) {
      out.push_back(&route);
    }
  }
  return out;
}

const ViewRoute *ViewRegistry::start_for(std::string_view role) const {
  const auto nav = nav_for(role);
  return nav.empty() ? nullptr : nav.front();
}

bool ViewRegistry::has_path(std::string_view path) const {
  return std::any_of(routes_.begin(), routes_.end(), [&](const ViewRoute &r) { return r.path == path; });
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  append_escaped(out, text);
  return out;
}

void append_escaped(std::string &out, std::string_view text) {
  std::size_t plain = 0; // the start of the run of characters that need no entity
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char *entity = nullptr;
    switch (text[i]) {
    case '&': entity = "&amp;"; break;
    case '<': entity = "&lt;"; break;
    case '>': entity = "&gt;"; break;
    case '"': entity = "&quot;"; break;
    case '\'': entity = "&#39;"; break;
    default: continue;
    }
    out.append(text.data() + plain, i - plain);
    out += entity;
    plain = i + 1;
  }
  out.append(text.data() + plain, text.size() - plain);
}

bool scope_is_limited(const Session &session) { return !session.scope.empty() && session.scope != "portfolio"; }

bool in_scope(const Session &session, std::string_view tenancy_id) {
  if (!scope_is_limited(session)) {
    return true;
  }
  constexpr std::string_view prefix = "tenancy:";
  const std::string_view scope = session.scope;
  return scope.size() > prefix.size() && scope.substr(0, prefix.size()) == prefix &&
         scope.substr(prefix.size()) == tenancy_id;
}

std::string csrf_field(const Session &session) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(session.csrf_token) + "\">";
}

std::string url_encode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace {
std::tm utc_of(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return tm;
}
} // namespace

std::string format_date(std::int64_t ms, const std::string &lang) {
  const std::tm tm = utc_of(ms);
  char text[32];
  std::strftime(text, sizeof text, lang == "en" ? "%Y-%m-%d" : "%d-%m-%Y", &tm);
  return text;
}

std::string format_date_time(std::int64_t ms, const std::string &lang) {
  const std::tm tm = utc_of(ms);
  char text[40];
  std::strftime(text, sizeof text, lang == "en" ? "%Y-%m-%d %H:%M" : "%d-%m-%Y %H:%M", &tm);
  return text;
}

namespace {
struct RoleName {
  const char *role, *nl, *en;
};
const RoleName kRoleNames[] = {
    {"tenant", "Huurder", "Tenant"},
    {"neighbour", "Buurbewoner", "Neighbour"},
    {"housing_consultant", "Woonconsulent", "Housing consultant"},
    {"care_professional", "Zorgprofessional", "Care professional"},
    {"coordinator", "Regisseur", "Coordinator"},
    {"auditor", "Auditor", "Auditor"},
    {"administrator", "Beheerder", "Administrator"},
    {"system", "Systeem", "System"},
};

} // namespace

std::string role_label(const std::string &role, const std::string &lang) {
  for (const auto &r : kRoleNames) {
    if (role == r.role) {
      return lang == "en" ? r.en : r.nl;
    }
  }
  return role;
}

std::string level_label(const std::string &level, const std::string &lang) {
  const bool en = lang == "en";
  if (level == "red") {
    return en ? "red" : "rood";
  }
  if (level == "amber") {
    return en ? "amber" : "oranje";
  }
  if (level == "green") {
    return en ? "green" : "groen";
  }
  return en ? "none" : "geen";
}

std::string status_label(const std::string &status, const std::string &lang) {
  const bool en = lang == "en";
  if (status == "proposed") {
    return en ? "proposed" : "voorgesteld";
  }
  if (status == "accepted") {
    return en ? "accepted" : "overgenomen";
  }
  if (status == "overridden") {
    return en ? "overridden" : "aangepast";
  }
  if (status == "dismissed") {
    return en ? "dismissed" : "afgewezen";
  }
  return status;
}

} // namespace hearth::dashboards
