// Decoding a request (query, urlencoded form, cookies) and sending the answer.
#include "http_exchange.hpp"

#include <stdexcept>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/URI.h>

namespace hearth::dashboards {
namespace {

std::string decoded(std::string_view text) {
  if (text.find_first_of("%+") == std::string_view::npos) {
    return std::string(text); // nothing to decode (the usual id or code)
  }
  std::string plus_as_space(text);
  for (char &c : plus_as_space) {
    if (c == '+') {
      c = ' ';
    }
  }
  std::string out;
  try {
    Poco::URI::decode(plus_as_space, out);
  } catch (const Poco::Exception &) {
    throw std::invalid_argument("a form or query value has a bad percent escape");
  }
  return out;
}

} // namespace

void decode_form(std::string_view text, std::map<std::string, std::string> &into) {
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('&', start), text.size());
    const std::string_view pair = text.substr(start, end - start);
    if (!pair.empty()) {
      const std::size_t equals = pair.find('=');
      const std::string name = decoded(pair.substr(0, equals));
      const std::string value = equals == std::string_view::npos ? std::string() : decoded(pair.substr(equals + 1));
      into.emplace(name, value);
    }
    start = end + 1;
  }
}

std::string query_value(std::string_view query, std::string_view name) {
  std::size_t start = 0;
  while (start <= query.size()) {
    const std::size_t end = std::min(query.find('&', start), query.size());
    const std::string_view pair = query.substr(start, end - start);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=') {
      return decoded(pair.substr(name.size() + 1));
    }
    start = end + 1;
  }
  return {};
}

HttpExchange::HttpExchange(const hearth_http_request &request)
    : raw(request), method(request.method != nullptr ? request.method : ""),
      path(request.path != nullptr ? request.path : "") {
  decode_form(request.query != nullptr ? request.query : "", query);
  const std::string type = header("Content-Type");
  if (request.body != nullptr && request.body_size > 0 &&
      type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    decode_form(std::string_view(request.body, static_cast<std::size_t>(request.body_size)), form);
  }
  const std::string cookie_header = header("Cookie");
  if (!cookie_header.empty()) {
    Poco::Net::HTTPRequest parser;
    parser.set("Cookie", cookie_header);
    Poco::Net::NameValueCollection values;
    parser.getCookies(values);
    for (const auto &[name, value] : values) {
      cookies.emplace(name, value);
    }
  }
}

std::string HttpExchange::header(const char *name) const {
  const char *value = raw.header != nullptr ? raw.header(&raw, name) : nullptr;
  return value != nullptr ? value : "";
}

std::string HttpExchange::cookie(const std::string &name) const {
  const auto found = cookies.find(name);
  return found == cookies.end() ? std::string() : found->second;
}

void HttpAnswer::set(const std::string &name, std::string value) {
  for (auto &[n, v] : headers) {
    if (n == name) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(name, std::move(value));
}

void send(const hearth_http_response &response, const HttpAnswer &answer) {
  response.set_status(&response, answer.status);
  for (const auto &[name, value] : answer.headers) {
    response.set_header(&response, name.c_str(), value.c_str());
  }
  if (!answer.body.empty()) {
    response.write(&response, answer.body.data(), answer.body.size());
  }
}

} // namespace hearth::dashboards
