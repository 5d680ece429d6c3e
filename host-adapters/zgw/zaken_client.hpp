// A client of one Zaken API 1.x (fixtures/zgw/zaken-api-1.5.1.yaml): reads the objects a
// notification points to and creates zaken, statussen and rollen, with ZGW JWT auth and
// the CRS headers the API requires. It only ever talks to URLs under its configured base,
// so a notification cannot make it fetch from elsewhere. Part of hearth_adapter_zgw.
// Since 0.1.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <Poco/JSON/Object.h>

#include "adapter_common/tls_client.hpp"
#include "outbound_http.hpp"
#include "zgw_token.hpp"

namespace hearth::adapters::zgw {

// How to reach the Zaken API.
struct ZakenApiSettings {
  std::string base_url;        // e.g. "https://zaken.gemeente.example/zaken/api/v1"
  ZgwCredentials credentials;  // for the JWT on every call
  std::chrono::milliseconds timeout{10000};
  std::size_t max_answer_bytes = 1024u * 1024u;
  // For an https base_url (since 0.3): zaken_ca_file and zaken_verify (adapter_common's
  // tls_client; default: the system's authorities, strict).
  TlsClientSettings tls;
};

// A call that did not give the expected answer. `http_status` is the answer's status, or
// 0 when there was none (no connection, timeout, oversize answer). The message names the
// operation and the status, never the answer's body (it may hold personal data).
// transient() (since 0.2): sending the same call again may succeed (a 408, 425, 429 or
// 5xx answer; no connection, a reset or dropped connection, a timeout); retry_after()
// is the wait the API asked for in a Retry-After header, if any.
class ZakenApiError : public std::runtime_error {
public:
  // Transient exactly when hearth::adapters::is_transient_status(http_status) and an
  // answer came (http_status > 0); a failure without an answer is not transient.
  ZakenApiError(int http_status, const std::string &message);
  // All said explicitly (for transport failures and answers with Retry-After).
  ZakenApiError(int http_status, const std::string &message, bool transient,
                std::optional<std::chrono::milliseconds> retry_after);
  int http_status() const { return http_status_; }
  bool transient() const { return transient_; }
  std::optional<std::chrono::milliseconds> retry_after() const { return retry_after_; }

private:
  int http_status_;
  bool transient_;
  std::optional<std::chrono::milliseconds> retry_after_;
};

// What a create call returned.
struct CreatedResource {
  std::string url;                 // the new resource's `url`
  Poco::JSON::Object::Ptr object;  // the whole answer
};

// Thread-safe: every call opens its own connection.
class ZakenClient {
public:
  // `now_ms` is the clock for the token's iat (the runtime clock in a plugin). Throws
  // std::invalid_argument naming the setting for a base_url that is not absolute http(s)
  // and, for an https one, a CA file that cannot be loaded (since 0.3).
  ZakenClient(ZakenApiSettings settings, std::function<std::int64_t()> now_ms);

  const ZakenApiSettings &settings() const { return settings_; }

  // True when `url` lies under the configured base URL.
  bool owns(const std::string &url) const;

  // GETs the object at `url` (must be under the base: otherwise std::invalid_argument)
  // and returns its text, which is expected to be a JSON object. Throws ZakenApiError
  // for a status other than 200 (404 included) and for transport failures.
  std::string get(const std::string &url) const;

  // GET <base>/<collection>?<query>: the `url` of the first result of the page, "" when
  // the page is empty, e.g. find_first("zaken", {{"identificatie", "HEARTH-C-1"}}).
  // Throws ZakenApiError as above, and for an answer that is not a page of results.
  std::string find_first(const std::string &collection,
                         const std::vector<std::pair<std::string, std::string>> &query) const;

  // POSTs `body` (a JSON object) to <base>/<collection> ("zaken", "statussen", "rollen")
  // and returns the created resource. Throws ZakenApiError for a status other than 201
  // (the message carries the API's `invalidParams` names for a 400) and for an answer
  // without a `url`.
  CreatedResource create(const std::string &collection, const Poco::JSON::Object &body) const;

private:
  std::string base() const; // base_url without a trailing '/'
  std::string authorization() const;

  OutboundRequest request(const std::string &method, const std::string &url) const;

  ZakenApiSettings settings_;
  std::function<std::int64_t()> now_ms_;
  OutboundTls tls_; // context null for an http base_url
};

} // namespace hearth::adapters::zgw
