// Texts the framework prints on more than one page (since 0.1.0).
#ifndef HEARTH_DASHBOARDS_PAGE_TEXTS_HPP
#define HEARTH_DASHBOARDS_PAGE_TEXTS_HPP

#include <string>

namespace hearth::dashboards {

// The title of the one "not found" page (missing, forbidden and unknown alike).
std::string not_found_title(const std::string &lang);
// Its body HTML (static text, nothing from the request).
std::string not_found_body_html(const std::string &lang);

} // namespace hearth::dashboards

#endif // HEARTH_DASHBOARDS_PAGE_TEXTS_HPP
