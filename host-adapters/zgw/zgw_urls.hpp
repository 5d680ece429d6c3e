// URL checks of the ZGW adapter: what counts as a usable URL in a ZGW message, and whether
// a URL lies inside the configured Zaken API (the adapter fetches nothing else, so a
// notification cannot send it to an arbitrary host). Part of hearth_adapter_zgw. Since 0.1.
#pragma once

#include <string>

namespace hearth::adapters::zgw {

// True when `text` is an absolute http or https URL with a host (Poco::URI).
bool is_http_url(const std::string &text);

// True when `url` has the scheme, host and port of `base` and its path starts with
// base's path followed by '/' (or equals it). Both must be absolute http(s) URLs; a URL
// with "." or ".." path segments is never inside. Case-insensitive for scheme and host.
bool url_is_under(const std::string &url, const std::string &base);

// The last path segment of `url` (a ZGW resource's uuid), "" when there is none.
std::string last_path_segment(const std::string &url);

} // namespace hearth::adapters::zgw
