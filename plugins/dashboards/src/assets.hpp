// The static files of the dashboards: the style sheet and the little script (since
// 0.1.0). Served from /dashboard/assets/; nothing comes from a CDN.
#ifndef HEARTH_DASHBOARDS_ASSETS_HPP
#define HEARTH_DASHBOARDS_ASSETS_HPP

#include <string_view>

namespace hearth::dashboards {

struct Asset {
  std::string_view path, content_type, body;
};

// The asset served at `path`, or nullptr. The returned object is static. [any-thread]
const Asset *find_asset(std::string_view path);

} // namespace hearth::dashboards

#endif // HEARTH_DASHBOARDS_ASSETS_HPP
