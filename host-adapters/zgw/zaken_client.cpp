#include "zaken_client.hpp"

#include <sstream>
#include <utility>

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include "adapter_common/retry.hpp"
#include "outbound_http.hpp"
#include "zgw_urls.hpp"

namespace hearth::adapters::zgw {
namespace {

Poco::JSON::Object::Ptr parse_object(const std::string &text, const std::string &what) {
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(64);
    const auto value = parser.parse(text);
    if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
      return value.extract<Poco::JSON::Object::Ptr>();
    }
  } catch (const Poco::Exception &) {
  } catch (const std::exception &) {
  }
  throw ZakenApiError(200, what + ": the answer is not a JSON object");
}

// The names of the invalid parameters of a ZGW ValidatieFout, e.g. " (invalid: zaaktype)".
std::string invalid_params(const std::string &body) {
  try {
    const auto fout = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    const auto params = fout->getArray("invalidParams");
    if (params.isNull() || params->size() == 0) {
      return {};
    }
    std::string names;
    for (std::size_t i = 0; i < params->size(); ++i) {
      const auto param = params->getObject(static_cast<unsigned>(i));
      if (!param.isNull()) {
        names += (names.empty() ? "" : ", ") + param->optValue<std::string>("name", "?");
      }
    }
    return " (invalid: " + names + ")";
  } catch (...) {
    return {};
  }
}

// The error for an answer with an unexpected status: transient as the status says, with
// the Retry-After the API sent.
ZakenApiError status_error(const OutboundAnswer &answer, const std::string &message, std::int64_t now_ms) {
  return ZakenApiError(answer.status, message, is_transient_status(answer.status),
                       parse_retry_after(answer.retry_after, now_ms));
}

} // namespace

ZakenApiError::ZakenApiError(int http_status, const std::string &message)
    : ZakenApiError(http_status, message, http_status > 0 && is_transient_status(http_status), std::nullopt) {}

ZakenApiError::ZakenApiError(int http_status, const std::string &message, bool transient,
                             std::optional<std::chrono::milliseconds> retry_after)
    : std::runtime_error(message), http_status_(http_status), transient_(transient), retry_after_(retry_after) {}

ZakenClient::ZakenClient(ZakenApiSettings settings, std::function<std::int64_t()> now_ms)
    : settings_(std::move(settings)), now_ms_(std::move(now_ms)) {
  if (!is_http_url(settings_.base_url)) {
    throw std::invalid_argument("zaken_api: is not an absolute http(s) URL");
  }
  tls_.settings = settings_.tls;
  tls_.server = "the Zaken API's";
  if (Poco::icompare(Poco::URI(settings_.base_url).getScheme(), "https") == 0) {
    tls_.context = make_tls_client_context(settings_.tls);
  }
}

OutboundRequest ZakenClient::request(const std::string &method, const std::string &url) const {
  OutboundRequest out;
  out.method = method;
  out.url = url;
  out.headers = {{"Authorization", authorization()}, {"Accept-Crs", "EPSG:4326"}, {"Content-Crs", "EPSG:4326"}};
  out.tls = &tls_;
  return out;
}

std::string ZakenClient::base() const {
  std::string out = settings_.base_url;
  while (!out.empty() && out.back() == '/') {
    out.pop_back();
  }
  return out;
}

std::string ZakenClient::authorization() const { return "Bearer " + make_zgw_token(settings_.credentials, now_ms_()); }

bool ZakenClient::owns(const std::string &url) const { return url_is_under(url, settings_.base_url); }

std::string ZakenClient::get(const std::string &url) const {
  if (!owns(url)) {
    throw std::invalid_argument("is not under the configured Zaken API");
  }
  OutboundAnswer answer;
  try {
    answer = send_request(request("GET", url), settings_.timeout, settings_.max_answer_bytes);
  } catch (const OutboundError &e) {
    throw ZakenApiError(0, e.what(), e.transient(), std::nullopt);
  }
  if (answer.status != 200) {
    throw status_error(answer, "GET " + last_path_segment(url) + ": the Zaken API answered " +
                                   std::to_string(answer.status), now_ms_());
  }
  return answer.body;
}

std::string ZakenClient::find_first(const std::string &collection,
                                    const std::vector<std::pair<std::string, std::string>> &query) const {
  Poco::URI uri(base() + "/" + collection);
  for (const auto &[name, value] : query) {
    uri.addQueryParameter(name, value);
  }
  const std::string what = "GET /" + collection;
  const auto page = parse_object(get(uri.toString()), what);
  const auto results = page->getArray("results");
  if (results.isNull()) {
    throw ZakenApiError(200, what + ": the answer has no results");
  }
  if (results->size() == 0) {
    return {};
  }
  const auto first = results->getObject(0);
  if (first.isNull() || first->optValue<std::string>("url", "").empty()) {
    throw ZakenApiError(200, what + ": a result has no url");
  }
  return first->getValue<std::string>("url");
}

CreatedResource ZakenClient::create(const std::string &collection, const Poco::JSON::Object &body) const {
  std::ostringstream text;
  body.stringify(text);
  OutboundRequest post = request("POST", base() + "/" + collection);
  post.body = text.str();
  const std::string what = "POST /" + collection;
  OutboundAnswer answer;
  try {
    answer = send_request(post, settings_.timeout, settings_.max_answer_bytes);
  } catch (const OutboundError &e) {
    throw ZakenApiError(0, e.what(), e.transient(), std::nullopt);
  }
  if (answer.status != 201) {
    throw status_error(answer, what + ": the Zaken API answered " + std::to_string(answer.status) +
                                   (answer.status == 400 ? invalid_params(answer.body) : std::string()),
                       now_ms_());
  }
  CreatedResource created;
  created.object = parse_object(answer.body, what);
  created.url = created.object->optValue<std::string>("url", "");
  if (created.url.empty() || !owns(created.url)) {
    throw ZakenApiError(answer.status, what + ": the answer has no url under the Zaken API");
  }
  return created;
}

} // namespace hearth::adapters::zgw
