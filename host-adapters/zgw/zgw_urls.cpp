#include "zgw_urls.hpp"

#include <vector>

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace hearth::adapters::zgw {
namespace {

bool parse_http(const std::string &text, Poco::URI &out) {
  try {
    out = Poco::URI(text);
  } catch (const Poco::Exception &) {
    return false;
  }
  const std::string scheme = Poco::toLower(out.getScheme());
  return (scheme == "http" || scheme == "https") && !out.getHost().empty();
}

bool has_dot_segments(const Poco::URI &uri) {
  std::vector<std::string> segments;
  uri.getPathSegments(segments);
  for (const auto &segment : segments) {
    if (segment == "." || segment == "..") {
      return true;
    }
  }
  return false;
}

} // namespace

bool is_http_url(const std::string &text) {
  Poco::URI uri;
  return parse_http(text, uri);
}

bool url_is_under(const std::string &url, const std::string &base) {
  Poco::URI candidate, root;
  if (!parse_http(url, candidate) || !parse_http(base, root) || has_dot_segments(candidate)) {
    return false;
  }
  if (Poco::icompare(candidate.getScheme(), root.getScheme()) != 0 ||
      Poco::icompare(candidate.getHost(), root.getHost()) != 0 || candidate.getPort() != root.getPort()) {
    return false;
  }
  std::string prefix = root.getPath();
  while (!prefix.empty() && prefix.back() == '/') {
    prefix.pop_back();
  }
  const std::string &path = candidate.getPath();
  return path == prefix || path.rfind(prefix + "/", 0) == 0;
}

std::string last_path_segment(const std::string &url) {
  try {
    std::vector<std::string> segments;
    Poco::URI(url).getPathSegments(segments);
    return segments.empty() ? std::string() : segments.back();
  } catch (const Poco::Exception &) {
    return {};
  }
}

} // namespace hearth::adapters::zgw
