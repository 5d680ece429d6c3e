// Texts the framework prints on more than one page.
#include "page_texts.hpp"

namespace hearth::dashboards {

std::string not_found_title(const std::string &lang) { return lang == "en" ? "Not found" : "Niet gevonden"; }

std::string not_found_body_html(const std::string &lang) {
  return lang == "en" ? "<p data-test=\"not-found\">There is nothing here, or nothing you may see.</p>"
                        "<p><a href=\"/dashboard\">Back to the start page</a></p>"
                      : "<p data-test=\"not-found\">Hier staat niets, of niets dat u mag zien.</p>"
                        "<p><a href=\"/dashboard\">Terug naar de startpagina</a></p>";
}

} // namespace hearth::dashboards
