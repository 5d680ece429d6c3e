// Signing in: the demo persona picker (demo mode only) and the exchange of a CRM token
// for a session of the dashboards.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "dashboard.hpp"

namespace hearth::dashboards {
namespace {

void append_to_string(void *user_data, const char *data, std::uint64_t size) {
  static_cast<std::string *>(user_data)->append(data, static_cast<std::size_t>(size));
}

std::string text_of(const Poco::JSON::Object &object, const char *name) {
  return object.has(name) && !object.isNull(name) ? object.getValue<std::string>(name) : std::string();
}

} // namespace

HttpAnswer Dashboard::sign_in_page(HttpExchange &exchange, const std::string &lang) {
  const bool english = lang == "en";
  HttpAnswer cookie_holder;
  const std::string csrf = pre_session_csrf(exchange, cookie_holder);
  std::string body;
  if (demo_mode_ && settings_.demo_sign_in) {
    body += "<p>";
    body += english ? "This is a demonstration with made-up people. Choose whom you want to be."
                    : "Dit is een demonstratie met verzonnen mensen. Kies wie u wilt zijn.";
    body += "</p>\n<form method=\"post\" action=\"/dashboard/sign-in\" class=\"personas\" data-test=\"persona-form\">\n"
            "<input type=\"hidden\" name=\"csrf\" value=\"" +
            escape(csrf) + "\">\n<ul>\n";
    for (const char *const *role = demo_roles(); *role != nullptr; ++role) {
      if (settings_.demo_personas.count(*role) == 0) {
        continue;
      }
      body += "<li><button type=\"submit\" name=\"persona\" value=\"" + std::string(*role) +
              "\" data-test=\"persona\">" + escape(role_label(*role, lang)) + "</button></li>\n";
    }
    body += "</ul>\n</form>\n";
  } else {
    body += "<p data-test=\"open-from-crm\">";
    body += english ? "Open Hearth from your own system (CRM or case system): it signs you in."
                    : "Open Hearth vanuit uw eigen systeem (CRM of zaaksysteem): dat meldt u aan.";
    body += "</p>\n";
  }
  HttpAnswer answer = bare_page(200, lang, english ? "Sign in" : "Aanmelden", body, csrf);
  for (const auto &[name, value] : cookie_holder.headers) {
    answer.set(name, value);
  }
  return answer;
}

HttpAnswer Dashboard::demo_sign_in(HttpExchange &exchange, const std::string &lang) {
  const bool english = lang == "en";
  if (!demo_mode_ || !settings_.demo_sign_in) {
    return refused(403, lang, english ? "Refused" : "Geweigerd",
                   english ? "Demo sign-in is off. Open Hearth from your own system."
                           : "Aanmelden als demopersoon staat uit. Open Hearth vanuit uw eigen systeem.");
  }
  const auto given = exchange.form.find("csrf");
  if (given == exchange.form.end() || !same_secret(given->second, exchange.cookie("hearth_csrf"))) {
    return refused(403, lang, english ? "Refused" : "Geweigerd",
                   english ? "This form was not sent from this page (anti-forgery check). Nothing was changed."
                           : "Dit formulier kwam niet van deze pagina (controle op vervalsing). Er is niets gewijzigd.");
  }
  const auto persona = exchange.form.find("persona");
  const auto found =
      persona == exchange.form.end() ? settings_.demo_personas.end() : settings_.demo_personas.find(persona->second);
  if (found == settings_.demo_personas.end()) {
    return refused(400, lang, english ? "Bad request" : "Ongeldig verzoek",
                   "persona: not one of tenant, neighbour, housing_consultant, care_professional, coordinator, "
                   "auditor, administrator");
  }
  Session who;
  who.user = found->second.user;
  who.role = found->first;
  who.organisation = found->second.organisation;
  who.access_point = settings_.access_point + ":demo";
  host_->log(host_, HEARTH_LOG_INFO, ("demo session begun for role " + who.role).c_str());
  return begin_session(who, 0, "");
}

HttpAnswer Dashboard::token_sign_in(HttpExchange &exchange, const std::string &lang) {
  const bool english = lang == "en";
  const auto refuse = [&](int status, const std::string &why) {
    return refused(status, lang, english ? "Sign-in failed" : "Aanmelden mislukt", why);
  };
  std::string token;
  if (const auto field = exchange.form.find("token"); field != exchange.form.end()) {
    token = field->second;
  } else if (const std::string authorization = exchange.header("Authorization");
             authorization.rfind("Bearer ", 0) == 0) {
    token = authorization.substr(7);
  }
  if (token.empty()) {
    return refuse(400, "token: missing (form field token or Authorization: Bearer)");
  }
  if (credentials_ == nullptr) {
    return refuse(503, "the runtime offers no credential service (nl.hearth.credentials/1)");
  }
  std::string answer;
  const hearth_text_sink sink{sizeof(hearth_text_sink), 0, &answer, &append_to_string};
  const std::int32_t status = credentials_->authenticate(host_, token.c_str(), &sink);
  if (status != HEARTH_OK) {
    return refuse(401, "token: " + answer);
  }
  Poco::JSON::Object::Ptr actor;
  try {
    actor = Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception &) {
    return refuse(500, "the credential service answered no JSON object");
  }
  if (text_of(*actor, "kind") != "token") {
    host_->log(host_, HEARTH_LOG_INFO, "session refused: an API key is not a person's credential");
    return refuse(403, english ? "An API key is for systems, not for a person's session; sign in with a token."
                               : "Een API-sleutel is voor systemen, niet voor een persoonlijke sessie; meld u aan met een token.");
  }
  const std::int64_t expires_at_ms = actor->has("expires_at_ms") ? actor->getValue<std::int64_t>("expires_at_ms") : 0;
  if (expires_at_ms <= backend_.now_ms()) {
    return refuse(401, "token: expired or without an expiry");
  }
  Session who;
  who.user = text_of(*actor, "user");
  who.role = text_of(*actor, "role");
  who.organisation = text_of(*actor, "organisation");
  who.on_behalf_of = text_of(*actor, "on_behalf_of");
  who.access_point = text_of(*actor, "access_point");
  who.scope = text_of(*actor, "scope");
  if (who.access_point.empty()) {
    who.access_point = settings_.access_point;
  }
  if (who.user.empty() || who.role.empty() || who.organisation.empty() || who.role == HEARTH_ROLE_SYSTEM) {
    return refuse(403, "token: no person (user, role and organisation needed; the system role has no session)");
  }
  const auto next = exchange.form.find("next");
  return begin_session(who, expires_at_ms, next == exchange.form.end() ? std::string() : next->second);
}

} // namespace hearth::dashboards
