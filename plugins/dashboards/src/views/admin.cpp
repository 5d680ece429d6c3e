// The administrator's view: the loaded plugins and adapters with their versions and
// health (read view "runtime.plugins") and a summary of the configuration (read view
// "runtime.settings"; the runtime masks every secret before it leaves, in one place).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "view.hpp"

namespace hearth::dashboards {
namespace {

std::string text(const Poco::JSON::Object &object, const char *name) {
  if (!object.has(name) || object.isNull(name)) {
    return {};
  }
  return object.get(name).convert<std::string>();
}

std::string plugins_html(ViewRequest &request) {
  const CallResult result = request.backend.read(request.session, "runtime.plugins", Poco::JSON::Object());
  std::string html = "<h2>" + escape(request.t("Plugins en adapters", "Plugins and adapters")) + "</h2>\n";
  if (!result.ok()) {
    return html + "<p role=\"alert\" data-test=\"error\">" +
           escape(request.t("De lijst van plugins is nu niet te lezen.", "The list of plugins cannot be read now.")) +
           "</p>\n";
  }
  const auto list = Poco::JSON::Parser().parse(result.body).extract<Poco::JSON::Array::Ptr>();
  html += "<table data-test=\"plugin-table\"><caption>" +
          escape(request.t("Geladen plugins met versie en toestand", "Loaded plugins with version and health")) +
          "</caption><thead><tr><th scope=\"col\">" + escape(request.t("Naam", "Name")) + "</th><th scope=\"col\">Id</th>"
          "<th scope=\"col\">" + escape(request.t("Versie", "Version")) + "</th><th scope=\"col\">" +
          escape(request.t("Soort", "Kind")) + "</th><th scope=\"col\">" + escape(request.t("Toestand", "Health")) +
          "</th><th scope=\"col\">ABI</th><th scope=\"col\">" + escape(request.t("Melding", "Message")) +
          "</th></tr></thead><tbody>\n";
  for (unsigned i = 0; !list.isNull() && i < list->size(); ++i) {
    const auto p = list->getObject(i);
    html += "<tr data-test=\"plugin-row\"><th scope=\"row\">" + escape(text(*p, "name")) + "</th><td>" +
            escape(text(*p, "id")) + "</td><td data-test=\"plugin-version\">" + escape(text(*p, "version")) +
            "</td><td>" + escape(text(*p, "kind")) + "</td><td data-test=\"plugin-state\">" +
            escape(text(*p, "state")) + "</td><td>" + escape(text(*p, "abi")) + "</td><td>" +
            escape(text(*p, "message")) + "</td></tr>\n";
  }
  return html + "</tbody></table>\n";
}

std::string settings_html(ViewRequest &request) {
  const CallResult result = request.backend.read(request.session, "runtime.settings", Poco::JSON::Object());
  std::string html = "<h2>" + escape(request.t("Configuratie", "Configuration")) + "</h2>\n";
  if (!result.ok()) {
    return html + "<p role=\"alert\" data-test=\"error\">" +
           escape(request.t("De configuratie is nu niet te lezen.", "The configuration cannot be read now.")) +
           "</p>\n";
  }
  const auto answer = result.object();
  const auto entries = answer->getArray("entries");
  html += "<p>ABI " + escape(text(*answer, "abi")) + "</p>\n<table data-test=\"settings-table\"><caption>" +
          escape(request.t("Instellingen (geheimen verborgen)", "Settings (secrets hidden)")) +
          "</caption><thead><tr><th scope=\"col\">" + escape(request.t("Sleutel", "Key")) + "</th><th scope=\"col\">" +
          escape(request.t("Waarde", "Value")) + "</th></tr></thead><tbody>\n";
  for (unsigned i = 0; !entries.isNull() && i < entries->size(); ++i) {
    const auto e = entries->getObject(i);
    const std::string key = text(*e, "key");
    const std::string value = text(*e, "value");
    html += "<tr><th scope=\"row\">" + escape(key) + "</th><td>" + escape(value) + "</td></tr>\n";
  }
  return html + "</tbody></table>\n";
}

ViewResponse admin_page(ViewRequest &request) {
  ViewResponse response;
  response.title = request.t("Beheer", "Administration");
  response.body_html = plugins_html(request) + settings_html(request);
  return response;
}

} // namespace

void register_admin_views(ViewRegistry &registry) {
  registry.add({"GET", "/dashboard/admin", {HEARTH_ROLE_ADMINISTRATOR}, admin_page, "Beheer", "Administration"});
}

} // namespace hearth::dashboards
