// Request reading, routing and response writing for the HTTP server.
#include "http/request_dispatcher.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <cctype>
#include <exception>
#include <istream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/String.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SocketAddress.h>

#include "http/connection_socket.hpp"
#include "runtime/logging.hpp"

namespace hearth::http {

namespace {

// How much of an oversized body is still read (and dropped) before answering 413.
constexpr std::size_t oversized_body_drain_bytes = 1u << 20;

// A JSON object {"error": message} as text.
std::string error_body(const std::string &message) {
  Poco::JSON::Object object;
  object.set("error", message);
  std::ostringstream text;
  object.stringify(text);
  return text.str();
}

// A JSON error response with `status`.
Response error_response(int status, const std::string &message) {
  Response response;
  response.status = status;
  response.body = error_body(message);
  return response;
}

// `text` in ASCII lower case.
std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Reads the body of `request` into a string, or returns nothing when it is longer than
// `max_bytes` (announced or actually sent).
std::optional<std::string> read_body(Poco::Net::HTTPServerRequest &request,
                                     std::size_t max_bytes) {
  if (request.hasContentLength() && request.getContentLength64() >= 0 &&
      static_cast<std::uint64_t>(request.getContentLength64()) > max_bytes) {
    return std::nullopt;
  }
  std::string body;
  std::istream &stream = request.stream();
  char buffer[8192];
  while (stream) {
    stream.read(buffer, sizeof buffer);
    const auto count = static_cast<std::size_t>(stream.gcount());
    if (body.size() + count > max_bytes) {
      return std::nullopt;
    }
    body.append(buffer, count);
  }
  return body;
}

// Reads and drops up to `limit` more bytes of the body of `request`, so that a client
// still sending an oversized body receives the 413 instead of a connection reset.
void discard_body(Poco::Net::HTTPServerRequest &request, std::size_t limit) {
  std::istream &stream = request.stream();
  char buffer[8192];
  std::size_t discarded = 0;
  while (stream && discarded < limit) {
    stream.read(buffer, sizeof buffer);
    discarded += static_cast<std::size_t>(stream.gcount());
  }
}

// The client's address as text ("127.0.0.1"). An IPv4 address is written straight from
// the four bytes of the socket address Poco already holds (Poco's IPAddress would allocate
// an object and build the text piece by piece, glibc's inet_ntop goes through sprintf, on
// every request); other families go through Poco, which also writes an IPv6 scope id.
std::string remote_address_of(const Poco::Net::SocketAddress &address) {
  const sockaddr *raw = address.addr();
  if (raw == nullptr || raw->sa_family != AF_INET) {
    return address.host().toString();
  }
  const auto &ipv4 = reinterpret_cast<const sockaddr_in *>(raw)->sin_addr;
  unsigned char bytes[4];
  std::memcpy(bytes, &ipv4.s_addr, sizeof bytes); // network order: the first number first
  char text[16];
  char *out = text;
  for (std::size_t i = 0; i < sizeof bytes; ++i) {
    if (i > 0) {
      *out++ = '.';
    }
    const unsigned number = bytes[i];
    if (number >= 100) {
      *out++ = static_cast<char>('0' + number / 100);
    }
    if (number >= 10) {
      *out++ = static_cast<char>('0' + number / 10 % 10);
    }
    *out++ = static_cast<char>('0' + number % 10);
  }
  return std::string(text, out);
}

// A body larger than this is not kept for the thread's next request.
constexpr std::size_t kept_body_capacity = 64u << 10;
// At most this many header entries are kept for the thread's next request.
constexpr std::size_t kept_header_entries = 32;

// The header entries of this worker thread's earlier requests, for reuse.
using HeaderEntry = std::map<std::string, std::string>::node_type;
std::vector<HeaderEntry> &spare_header_entries() {
  thread_local std::vector<HeaderEntry> spare;
  return spare;
}

// `text` in ASCII lower case, in place.
void lower_in_place(std::string &text) {
  for (char &c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
}

// Copies what a handler needs from `request` (but not the body) into `translated`, reusing
// its strings' memory and the header entries of the thread's earlier requests: a small
// request allocates nothing here once the thread has answered one like it.
void translate(const Poco::Net::HTTPServerRequest &request, Request &translated) {
  translated.method = request.getMethod();
  const std::string &target = request.getURI();
  const auto question_mark = target.find('?');
  translated.path.assign(target, 0, question_mark);
  translated.query.clear();
  if (question_mark != std::string::npos) {
    translated.query.assign(target, question_mark + 1);
  }
  auto &spare = spare_header_entries();
  while (!translated.headers.empty()) {
    HeaderEntry entry = translated.headers.extract(translated.headers.begin());
    if (spare.size() < kept_header_entries) {
      spare.push_back(std::move(entry));
    }
  }
  for (const auto &[name, value] : request) {
    if (spare.empty()) {
      translated.headers.insert_or_assign(lower_case(name), value); // a repeated name: the last value
      continue;
    }
    HeaderEntry entry = std::move(spare.back());
    spare.pop_back();
    entry.key().assign(name);
    lower_in_place(entry.key());
    entry.mapped().assign(value);
    auto inserted = translated.headers.insert(std::move(entry));
    if (!inserted.inserted) {
      inserted.position->second.swap(inserted.node.mapped()); // a repeated name: the last value
      spare.push_back(std::move(inserted.node));
    }
  }
  translated.remote_address = remote_address_of(request.clientAddress());
  translated.body.clear();
  translated.request_id.clear();
}

// The request of this worker thread, reused from one request to the next (see translate()).
// Only the thread itself touches it, and only while it answers one request.
Request &thread_request() {
  thread_local Request request;
  return request;
}

// Gives back the memory of a large body once its request is answered.
void release_large_body(Request &request) {
  if (request.body.capacity() > kept_body_capacity) {
    std::string().swap(request.body);
  }
}

// Runs the handler for `request`, mapping routing failures and exceptions to responses.
Response answer(const RouteTable &routes, const Handler &fallback, const Request &request,
                spdlog::logger &logger) {
  const RouteMatch match = routes.resolve(request.method, request.path);
  const Handler *handler = match.handler;
  switch (match.outcome) {
  case RouteOutcome::unknown_path:
    if (!fallback) {
      return error_response(404, "not found");
    }
    handler = &fallback;
    break;
  case RouteOutcome::method_not_allowed: {
    Response response = error_response(405, "method not allowed");
    response.headers.emplace_back("Allow", match.allowed);
    return response;
  }
  case RouteOutcome::found:
    break;
  }
  try {
    return (*handler)(request);
  } catch (const std::exception &failure) {
    // The request body and query may hold personal data: log only method, path and cause.
    logger.error("http: request {}: handler for {} {} failed: {}", request.request_id,
                 request.method, request.path, failure.what());
  } catch (...) {
    logger.error("http: request {}: handler for {} {} failed with a non-standard exception",
                 request.request_id, request.method, request.path);
  }
  return error_response(500, "internal server error");
}

// The length of a request id: 32 hex digits and 5 dashes.
constexpr std::size_t request_id_length = 37;

// Writes a fresh request id into `id`: a random (version 4) UUID, its last group split in two
// ("8-4-4-4-6-6"), so that no id holds a run of nine digits the log's BSN redaction would
// take for a citizen service number (request ids are logged, in JSON lines unredacted).
// The bits come from a per-thread generator seeded once from the system's entropy:
// Poco's UUIDGenerator::createRandom() opens and reads /dev/urandom on every call, a
// measurable share of a small request. Request ids correlate log lines; they are not
// secrets and grant nothing.
void new_request_id(std::string &id) {
  thread_local std::mt19937_64 bits = [] {
    std::random_device entropy;
    std::seed_seq seed{entropy(), entropy(), entropy(), entropy(), entropy(), entropy()};
    return std::mt19937_64(seed);
  }();
  std::array<unsigned char, 16> raw{};
  for (std::size_t i = 0; i < raw.size(); i += 8) {
    const std::uint64_t word = bits();
    std::memcpy(raw.data() + i, &word, 8);
  }
  raw[6] = static_cast<unsigned char>((raw[6] & 0x0F) | 0x40); // version 4: random
  raw[8] = static_cast<unsigned char>((raw[8] & 0x3F) | 0x80); // variant: RFC 4122
  // The bytes in order as lower-case hex, in groups of 4, 2, 2, 2, 3 and 3 bytes
  // (Poco::UUID's text with its last group split), written in one go.
  static constexpr char hex[] = "0123456789abcdef";
  static constexpr std::array<std::size_t, 6> group_bytes = {4, 2, 2, 2, 3, 3};
  id.assign(request_id_length, '-');
  std::size_t out = 0;
  std::size_t in = 0;
  for (const std::size_t bytes : group_bytes) {
    for (std::size_t i = 0; i < bytes; ++i, ++in) {
      id[out++] = hex[raw[in] >> 4];
      id[out++] = hex[raw[in] & 0x0F];
    }
    ++out; // the '-' already there
  }
}

// The connection of `request` when it is one of Hearth's own (ConnectionSocketImpl) and
// `answer` is too large for one write of Poco's 4 KiB stream buffer; else nullptr.
ConnectionSocketImpl *large_answer_connection(const Response &answer, Poco::Net::HTTPServerRequest &request) {
  constexpr std::size_t one_buffer = 3 * 1024; // leaves room for the head in 4 KiB
  if (answer.body.size() <= one_buffer) {
    return nullptr;
  }
  auto *served = dynamic_cast<Poco::Net::HTTPServerRequestImpl *>(&request);
  return served != nullptr ? dynamic_cast<ConnectionSocketImpl *>(served->socket().impl()) : nullptr;
}

// Sends `answer` with the headers every response carries.
void send(const Response &answer, const std::string &request_id, Poco::Net::HTTPServerRequest &request,
          Poco::Net::HTTPServerResponse &response) {
  response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
  response.setReason(Poco::Net::HTTPResponse::getReasonForStatus(
      static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status)));
  // The answer's own headers are added without a look-up each (the answer holds each name
  // once); the defaults below are added only where the answer did not set them.
  bool has_cache_control = false;
  bool has_referrer_policy = false;
  for (const auto &[name, value] : answer.headers) {
    if (Poco::icompare(name, "X-Content-Type-Options") == 0 || Poco::icompare(name, "X-Request-Id") == 0) {
      continue; // always Hearth's own, below
    }
    has_cache_control = has_cache_control || Poco::icompare(name, "Cache-Control") == 0;
    has_referrer_policy = has_referrer_policy || Poco::icompare(name, "Referrer-Policy") == 0;
    response.add(name, value);
  }
  if (!answer.content_type.empty()) {
    response.setContentType(answer.content_type);
  }
  // The names and fixed values as strings made once (Poco takes std::string).
  static const std::string nosniff_name = "X-Content-Type-Options", nosniff = "nosniff";
  static const std::string cache_control_name = "Cache-Control", no_store = "no-store";
  static const std::string referrer_policy_name = "Referrer-Policy", no_referrer = "no-referrer";
  static const std::string request_id_name = "X-Request-Id";
  response.add(nosniff_name, nosniff);
  if (!has_cache_control) {
    response.add(cache_control_name, no_store);
  }
  if (!has_referrer_policy) {
    response.add(referrer_policy_name, no_referrer);
  }
  response.add(request_id_name, request_id);
  ConnectionSocketImpl *connection = large_answer_connection(answer, request);
  if (connection != nullptr) {
    // sendBuffer() sets these two itself; set first, the head below is byte for byte the
    // one it writes.
    response.setContentLength64(static_cast<Poco::Int64>(answer.body.size()));
    response.setChunkedTransferEncoding(false);
    std::ostringstream head;
    response.write(head);
    const bool with_body = request.getMethod() != Poco::Net::HTTPRequest::HTTP_HEAD;
    connection->expect_answer_bytes(static_cast<std::size_t>(head.tellp()) + (with_body ? answer.body.size() : 0));
  }
  response.sendBuffer(answer.body.data(), answer.body.size());
  if (connection != nullptr) {
    connection->end_answer();
  }
}

} // namespace

RequestDispatcher::RequestDispatcher(const RouteTable &routes, const ServerOptions &options)
    : routes_(routes), options_(options) {}

void RequestDispatcher::handleRequest(Poco::Net::HTTPServerRequest &request,
                                      Poco::Net::HTTPServerResponse &response) {
  const auto started = std::chrono::steady_clock::now();
  Request &translated = thread_request();
  int status = 0;
  try {
    translate(request, translated);
    new_request_id(translated.request_id);
    std::optional<std::string> body = read_body(request, options_.max_body_bytes);
    if (!body) {
      // The rest of the body is still unread on the connection: do not reuse it.
      discard_body(request, oversized_body_drain_bytes);
      response.setKeepAlive(false);
      status = 413;
      send(error_response(413, "request body too large"), translated.request_id, request, response);
    } else {
      translated.body = std::move(*body);
      const runtime::RequestScope scope(translated.request_id); // JSON log lines carry it
      const Response answered = answer(routes_, options_.fallback, translated, *options_.logger);
      status = answered.status;
      send(answered, translated.request_id, request, response);
    }
  } catch (const std::exception &failure) {
    // Reading the request or writing the answer failed, usually a client that went away.
    options_.logger->warn("http: a {} request could not be answered: {}", request.getMethod(),
                 failure.what());
  }
  if (options_.observer && status != 0) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    options_.observer(translated, status, took.count());
  }
  release_large_body(translated);
}

RequestDispatcherFactory::RequestDispatcherFactory(const RouteTable &routes,
                                                   const ServerOptions &options)
    : routes_(routes), options_(options) {}

Poco::Net::HTTPRequestHandler *
RequestDispatcherFactory::createRequestHandler(const Poco::Net::HTTPServerRequest &request) {
  (void)request;
  return new RequestDispatcher(routes_, options_);
}

} // namespace hearth::http
