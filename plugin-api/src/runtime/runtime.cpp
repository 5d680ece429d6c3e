#include "runtime/runtime.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/StringTokenizer.h>
#include <boost/dll/runtime_symbol_info.hpp>

#include "audit/audit_log.hpp"
#include "data/dead_letters.hpp"
#include "data/event_log.hpp"
#include "data/ingestor.hpp"
#include "data/reads.hpp"
#include "data/records.hpp"
#include "data/retention.hpp"
#include "data/schema.hpp"
#include "default_config.hpp"
#include "auth/authenticator.hpp"
#include "http/plugin_routes.hpp"
#include "http/server.hpp"
#include "loader/policy_extension.hpp"
#include "loader/service_extensions.hpp"
#include "metrics/metrics.hpp"
#include "policy/abi_actor.hpp"
#include "privacy/field_cipher.hpp"
#include "runtime/logging.hpp"
#include "storage/store.hpp"

namespace hearth::runtime {
namespace {

const char *state_name(std::uint32_t state) {
  switch (state) {
  case HEARTH_PLUGIN_STATE_ACTIVE: return "active";
  case HEARTH_PLUGIN_STATE_REFUSED: return "refused";
  case HEARTH_PLUGIN_STATE_FAILED: return "failed";
  default: return "stopped";
  }
}

std::vector<std::string> split(const std::string &text, const char *separators) {
  std::vector<std::string> out;
  Poco::StringTokenizer tokens(text, separators,
                               Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  for (const auto &token : tokens) {
    out.push_back(token);
  }
  return out;
}

storage::StoreOptions store_options(const Config &config) {
  storage::StoreOptions options;
  const std::string backend = config.get("storage.backend", "sqlite");
  if (backend == "sqlite") {
    options.backend = storage::Backend::sqlite;
    std::filesystem::path path;
    if (auto configured = config.find("storage.sqlite_path")) {
      path = *configured;
    } else {
      path = std::filesystem::path(config.get("runtime.data_dir", "hearth-data")) / "hearth.db";
    }
    if (path.string() != ":memory:" && path.has_parent_path()) {
      std::error_code ec;
      std::filesystem::create_directories(path.parent_path(), ec);
      if (ec) {
        throw ConfigError(config.origin_of("runtime.data_dir") + ": runtime.data_dir: cannot create " +
                          path.parent_path().string() + ": " + ec.message());
      }
    }
    options.target = path.string();
  } else if (backend == "postgresql") {
    options.backend = storage::Backend::postgresql;
    auto target = config.find("storage.postgresql");
    if (!target) {
      throw ConfigError(config.origin_of("storage.backend") +
                        ": storage.postgresql: a connection string is required when "
                        "storage.backend is postgresql");
    }
    options.target = *target;
  } else {
    throw ConfigError(config.origin_of("storage.backend") + ": storage.backend: '" + backend +
                      "' is not one of sqlite, postgresql");
  }
  // PostgreSQL's pooled connections; SQLite's reader connections besides its one writer.
  options.pool_size = static_cast<std::size_t>(config.get_int("storage.pool_size", 4, 1, 256));
  return options;
}

// The site's policy.ini when the configuration folder has one, else the built-in default.
policy::Policy load_policy(const Config &config) {
  if (!config.directory().empty()) {
    const auto site = config.directory() / "policy.ini";
    std::error_code ec;
    if (std::filesystem::exists(site, ec)) {
      try {
        return policy::Policy::from_file(site);
      } catch (const std::invalid_argument &e) {
        throw ConfigError(e.what());
      }
    }
  }
  return policy::Policy::from_string(default_policy_ini, "built-in policy.ini");
}

std::set<std::string> list_of(const Config &config, const std::string &key) {
  const auto items = split(config.get(key, ""), ",");
  return {items.begin(), items.end()};
}

} // namespace

std::filesystem::path Runtime::bundled_plugin_folder() {
  // This code lives in libhearth (lib/) or, in white-box tests, in a program (bin/).
  const auto here = std::filesystem::path(boost::dll::this_line_location().string()).parent_path();
  for (const auto &candidate : {here / "hearth" / "plugins", here.parent_path() / "lib" / "hearth" / "plugins"}) {
    std::error_code ec;
    if (std::filesystem::is_directory(candidate, ec)) {
      return candidate;
    }
  }
  return here / "hearth" / "plugins";
}

std::unique_ptr<Runtime> Runtime::open(const std::optional<std::filesystem::path> &config_dir) {
  return std::unique_ptr<Runtime>(new Runtime(Config::load(config_dir)));
}

Runtime::Runtime(Config config) : config_(std::move(config)), policy_(load_policy(config_)) {
  logger_ = make_logger(config_);
  auto retention_rules = data::load_retention_rules(config_); // a bad period stops here, before the store opens
  const auto options = store_options(config_);
  store_ = storage::Store::open(options);
  store_->migrate(data::kCoreSchemaOwner, data::core_migrations());
  store_->migrate("nl.hearth.audit", audit::AuditLog::migrations());
  audit_ = std::make_unique<audit::AuditLog>(*store_);
  if (auto key = config_.find("privacy.field_key")) {
    try {
      cipher_ = std::make_unique<privacy::FieldCipher>(privacy::FieldCipher::from_base64_key(*key));
    } catch (const std::invalid_argument &e) {
      throw ConfigError(config_.origin_of("privacy.field_key") + ": " + e.what());
    }
  }
  bus_ = std::make_unique<EventBus>(logger_);

  data::EventLogFollower::Options follow;
  const std::string mode = config_.get("runtime.mode", "production");
  if (mode != "production" && mode != "demo") {
    throw ConfigError(config_.origin_of("runtime.mode") + ": runtime.mode: '" + mode +
                      "' is not one of production, demo");
  }
  const std::string start = config_.get("events.start", "beginning");
  if (start == "end") {
    follow.start_after = data::last_event_seq(*store_);
  } else if (start != "beginning") {
    throw ConfigError(config_.origin_of("events.start") + ": events.start: '" + start +
                      "' is not one of beginning, end");
  }
  if (options.backend == storage::Backend::postgresql) {
    follow.postgresql_target = options.target;
  }
  follow.poll_interval = std::chrono::milliseconds(config_.get_int("events.poll_ms", 1000, 10, 60000));
  follow.start_paused = true; // resumed by load_plugins(), load_plugin() or drain()
  follower_ = std::make_unique<data::EventLogFollower>(*store_, *bus_, logger_, follow);

  data::ValidationRules rules;
  rules.legal_bases = list_of(config_, "data.legal_bases");
  rules.purposes = list_of(config_, "data.purposes");
  ingestor_ = std::make_unique<data::Ingestor>(*store_, clock_, rules, *audit_, policy_, *follower_);
  records_ = std::make_unique<data::RecordStore>(*store_, clock_, *audit_, policy_, cipher_.get());
  reader_ = std::make_unique<data::Reader>(*store_, clock_, *audit_, policy_);
  retention_ = std::make_unique<data::RetentionService>(*store_, clock_, *audit_, std::move(retention_rules));
  retention_->on_erased([this](const std::string &subject, const std::string &payload) {
    // Plugins delete what they keep of the erased person or tenancy (HEARTH_EVENT_DATA_ERASED).
    hearth_event event{};
    event.struct_size = sizeof event;
    event.occurred_at_ms = clock_.now_ms();
    event.type = HEARTH_EVENT_DATA_ERASED;
    event.subject = subject.c_str();
    event.payload = payload.c_str();
    bus_->publish(event, "host");
  });

  services_.config = &config_;
  services_.policy = &policy_;
  services_.audit = audit_.get();
  services_.ingestor = ingestor_.get();
  services_.records = records_.get();
  services_.reader = reader_.get();
  dead_letters_ = std::make_unique<data::DeadLetterRecorder>(*store_, clock_);
  services_.dead_letters = dead_letters_.get();
  metrics_ = std::make_unique<metrics::Registry>();
  metrics_->describe("hearth_signals_total", metrics::Kind::counter,
                     "Signals offered for ingestion, by outcome (accepted, duplicate, rejected).");
  metrics_->describe("hearth_plugin_calls_total", metrics::Kind::counter,
                     "Calls into plugins (operations and routes), by plugin, kind and outcome.");
  metrics_->describe("hearth_http_requests_total", metrics::Kind::counter,
                     "HTTP requests answered, by route, method and status class.");
  metrics_->describe("hearth_http_request_duration_seconds", metrics::Kind::histogram,
                     "Time from reading a request to sending its answer, by route.");
  metrics_->describe("hearth_plugins", metrics::Kind::gauge, "Plugins known to this instance, by state.");
  services_.metrics = metrics_.get();
  services_.extensions[HEARTH_METRICS_EXTENSION_ID] = loader::metrics_extension();
  plugin_routes_ = std::make_unique<http::PluginRoutes>(metrics_.get());
  services_.routes = plugin_routes_.get();
  authenticator_ = std::make_unique<auth::Authenticator>(
      auth::Authenticator::from_config(config_, [this] { return clock_.now_ms(); }));
  services_.extensions[HEARTH_POLICY_EXTENSION_ID] = loader::policy_extension();
  services_.extensions[HEARTH_AUDIT_EXTENSION_ID] = loader::audit_extension();
  services_.extensions[HEARTH_DATA_EXTENSION_ID] = loader::data_extension();
  services_.extensions[HEARTH_HTTP_EXTENSION_ID] = loader::http_extension();
  services_.extensions[HEARTH_CALLS_EXTENSION_ID] = loader::calls_extension();
  services_.extensions[HEARTH_CREDENTIALS_EXTENSION_ID] = loader::credentials_extension();
  services_.authenticator = authenticator_.get();
  services_.logger = logger_;
  services_.clock = &clock_;
  services_.bus = bus_.get();
  services_.store = store_.get();
  registry_ = std::make_unique<loader::PluginRegistry>(services_);
  services_.registry = registry_.get();
  reader_->set_runtime_views([this] { return plugins_json(); }, [this] { return settings_json(); });
  logger_->info("runtime open: store {}, ABI {}.{}",
                store_->backend() == storage::Backend::sqlite ? "sqlite" : "postgresql",
                HEARTH_ABI_MAJOR, HEARTH_ABI_MINOR);
}

Runtime::~Runtime() {
  stop_http();
  drain(std::chrono::seconds(10));
  follower_->stop();
  registry_->shutdown();
  bus_->stop();
  registry_.reset();
  bus_.reset();
  store_.reset();
  logger_->flush();
}

bool Runtime::drain(std::chrono::milliseconds timeout) {
  follower_->resume();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  if (!follower_->wait_for(data::last_event_seq(*store_), timeout)) {
    return false;
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return bus_->drain(std::max(left, std::chrono::milliseconds(0)));
}

std::vector<std::filesystem::path> Runtime::plugin_folders() const {
  std::vector<std::filesystem::path> folders;
  if (config_.get_bool("plugins.bundled", true)) {
    folders.push_back(bundled_plugin_folder());
  }
  for (const auto &folder : split(config_.get("plugins.path", ""), ":")) {
    folders.emplace_back(folder);
  }
  return folders;
}

void Runtime::load_plugins() {
  const auto disabled_list = split(config_.get("plugins.disabled", ""), ",");
  registry_->load_folders(plugin_folders(), {disabled_list.begin(), disabled_list.end()});
  follower_->resume();
}

loader::PluginRegistry::Summary Runtime::load_plugin(const std::filesystem::path &path) {
  const std::size_t index = registry_->load_file(path);
  follower_->resume();
  return registry_->summaries().at(index);
}

namespace {

// True for a key whose value must never be shown: secrets, key digests, passwords and
// connection strings (which may carry a password).
bool is_secret_key(const std::string &key) {
  static const char *const markers[] = {"secret", "password", "sha256", "field_key", "token", "postgresql",
                                        "private", "credential"};
  for (const char *marker : markers) {
    if (key.find(marker) != std::string::npos) return true;
  }
  return false;
}

} // namespace

std::string Runtime::settings_json() const {
  Poco::JSON::Array entries;
  for (const auto &[key, value] : config_.entries()) {
    Poco::JSON::Object item;
    item.set("key", key);
    item.set("value", is_secret_key(key) ? std::string("(set)") : value);
    entries.add(item);
  }
  Poco::JSON::Object answer;
  answer.set("entries", entries);
  answer.set("abi", std::to_string(HEARTH_ABI_MAJOR) + "." + std::to_string(HEARTH_ABI_MINOR));
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(answer, out);
  return out.str();
}

std::string Runtime::plugins_json() const {
  Poco::JSON::Array list;
  for (const auto &plugin : registry_->summaries()) {
    Poco::JSON::Object item;
    item.set("id", plugin.descriptor.id);
    item.set("name", plugin.descriptor.name);
    item.set("vendor", plugin.descriptor.vendor);
    item.set("version", plugin.descriptor.version);
    item.set("kind", loader::kind_name(plugin.descriptor.kind));
    item.set("state", state_name(plugin.state));
    item.set("abi", plugin.abi_major == 0 ? std::string()
                                          : std::to_string(plugin.abi_major) + "." +
                                                std::to_string(plugin.abi_minor));
    item.set("file", plugin.path.filename().string());
    Poco::JSON::Array features;
    for (const auto &feature : plugin.descriptor.features) {
      features.add(feature);
    }
    item.set("features", features);
    if (!plugin.message.empty()) {
      item.set("message", plugin.message);
    }
    list.add(item);
  }
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(list, out);
  return out.str();
}

std::uint16_t Runtime::serve_http(const std::string &address, std::uint16_t port) {
  if (http_ && http_->running()) {
    throw std::logic_error("the HTTP server is already running");
  }
  http::ServerOptions options;
  options.address = address.empty() ? config_.get("http.address", "127.0.0.1") : address;
  options.port = port != 0 ? port
                           : static_cast<std::uint16_t>(config_.get_int("http.port", 8080, 0, 65535));
  options.max_threads = static_cast<int>(config_.get_int("http.threads", 16, 1, 1024));
  options.max_body_bytes = static_cast<std::size_t>(
      config_.get_int("http.max_body_bytes", 1L << 20, 1024, 1L << 30));
  options.logger = logger_;
  options.fallback = [this](const http::Request &request) { return answer_plugin_route(request); };
  options.observer = [this](const http::Request &request, int status, double seconds) {
    observe_request(request, status, seconds);
  };
  http_ = std::make_unique<http::Server>(options);
  http_->route("GET", "/healthz", [](const http::Request &) {
    return http::Response{200, "application/json", R"({"status":"ok"})", {}};
  });
  http_->route("GET", "/plugins", [this](const http::Request &) {
    return http::Response{200, "application/json", plugins_json(), {}};
  });
  http_->route("GET", "/readyz", [this](const http::Request &) {
    std::string detail;
    const bool is_ready = ready(detail);
    return http::Response{is_ready ? 200 : 503, "application/json", detail, {}};
  });
  http_->route("GET", "/metrics", [this](const http::Request &) { return answer_metrics(); });
  http_->route("POST", "/api/v1/*", [this](const http::Request &request) {
    return answer_api_call(request);
  });
  const auto bound = http_->start();
  logger_->info("HTTP server listening on {}:{}", options.address, bound);
  return bound;
}

void Runtime::stop_http() {
  if (http_) {
    http_->stop();
    http_.reset();
  }
}

namespace {

http::Response json_error(int status, const std::string &message) {
  Poco::JSON::Object body;
  body.set("error", message);
  std::ostringstream text;
  body.stringify(text);
  return http::Response{status, "application/json", text.str(), {}};
}

// The answer to a request whose credentials were missing or refused.
http::Response unauthorised(const std::string &reason) {
  auto response = json_error(401, reason);
  response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

int http_status_of(std::int32_t status) {
  switch (status) {
  case HEARTH_OK: return 200;
  case HEARTH_ERROR_INVALID_ARGUMENT: return 400;
  case HEARTH_ERROR_DENIED: return 403;
  case HEARTH_ERROR_NOT_FOUND: return 404;
  case HEARTH_ERROR_CONFLICT: return 409;
  case HEARTH_ERROR_STATE: return 503;
  default: return 500;
  }
}

} // namespace

http::Response Runtime::answer_api_call(const http::Request &request) const {
  constexpr std::string_view prefix = "/api/v1/";
  const std::string rest = request.path.size() > prefix.size() ? request.path.substr(prefix.size()) : "";
  const auto slash = rest.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size()) {
    return json_error(404, "not found: use POST /api/v1/<plugin id>/<operation>");
  }
  const std::string plugin_id = rest.substr(0, slash);
  const std::string operation = rest.substr(slash + 1);
  const auto who = authenticator_->authenticate(request.headers);
  if (who.kind == auth::Authentication::Kind::refused) {
    logger_->warn("api: request {}: credentials refused: {}", request.request_id, who.reason);
    return unauthorised(who.reason);
  }
  if (who.kind == auth::Authentication::Kind::anonymous) {
    return unauthorised("credentials: missing (X-API-KEY or Authorization: Bearer)");
  }
  std::string args = request.body.empty() ? std::string("{}") : request.body;
  try {
    Poco::JSON::Parser parser;
    if (parser.parse(args).type() != typeid(Poco::JSON::Object::Ptr)) {
      return json_error(400, "body: not a JSON object");
    }
  } catch (const Poco::Exception &) {
    return json_error(400, "body: not valid JSON");
  }
  const hearth_actor actor = policy::actor_to_abi(who.actor);
  std::string answer;
  const std::int32_t status = registry_->call(plugin_id, actor, operation, args, answer);
  const int http_status = http_status_of(status);
  logger_->info("api: request {}: {} {} -> {}", request.request_id, plugin_id, operation, http_status);
  if (status == HEARTH_OK) {
    return http::Response{200, "application/json", answer.empty() ? std::string("{}") : answer, {}};
  }
  if (http_status >= 500) {
    // The plugin's text may describe internals; the log has it, the caller gets the id.
    logger_->error("api: request {}: {} {} failed: {}", request.request_id, plugin_id, operation,
                   answer);
    return json_error(http_status, "the operation failed; request id " + request.request_id);
  }
  return json_error(http_status, answer.empty() ? std::string("the operation was refused") : answer);
}

bool Runtime::ready(std::string &detail) const {
  Poco::JSON::Object answer;
  bool store_ok = true;
  try {
    store_->execute("SELECT 1");
    answer.set("store", "ok");
  } catch (const std::exception &failure) {
    store_ok = false;
    answer.set("store", "unreachable");
    logger_->warn("readyz: the store does not answer: {}", failure.what());
  }
  Poco::JSON::Array failed;
  for (const auto &plugin : registry_->summaries()) {
    if (plugin.state == HEARTH_PLUGIN_STATE_FAILED) {
      failed.add(plugin.descriptor.id);
    }
  }
  answer.set("failed_plugins", failed);
  const bool is_ready = store_ok && failed.size() == 0;
  answer.set("status", is_ready ? "ready" : "not ready");
  std::ostringstream text;
  answer.stringify(text);
  detail = text.str();
  return is_ready;
}

http::Response Runtime::answer_metrics() const {
  std::map<std::string, int> by_state{{"active", 0}, {"refused", 0}, {"failed", 0}, {"stopped", 0}};
  for (const auto &plugin : registry_->summaries()) {
    ++by_state[state_name(plugin.state)];
  }
  for (const auto &[state, count] : by_state) {
    metrics_->set("hearth_plugins", "state=" + state, count);
  }
  return http::Response{200, "text/plain; version=0.0.4; charset=utf-8", metrics_->render(), {}};
}

void Runtime::observe_request(const http::Request &request, int status, double seconds) const {
  // Route labels come from a fixed set, so that no id or address ever becomes a label.
  static constexpr std::array<std::string_view, request_routes> routes = {
      "/healthz", "/readyz", "/metrics", "/plugins", "/api/v1", "plugin", "unknown"};
  static constexpr std::array<std::string_view, request_methods> methods = {
      "GET", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS", "other"};
  std::size_t route = 5; // plugin
  if (const auto own = std::find(routes.begin(), routes.begin() + 4, request.path); own != routes.begin() + 4) {
    route = static_cast<std::size_t>(own - routes.begin());
  } else if (request.path.rfind("/api/v1/", 0) == 0) {
    route = 4;
  } else if (status == 404) {
    route = 6;
  }
  const auto method = static_cast<std::size_t>(
      std::find(methods.begin(), methods.end() - 1, request.method) - methods.begin());
  const auto status_class = static_cast<std::size_t>(std::clamp(status / 100, 1, 5) - 1);
  try {
    // Resolved once per label set (a benign race resolves the same series twice), then
    // updated without building or parsing label strings: this runs on every request.
    auto &counter = request_counters_[(route * request_methods + method) * status_classes + status_class];
    auto *counter_series = counter.load(std::memory_order_acquire);
    if (counter_series == nullptr) {
      counter_series = metrics_->series("hearth_http_requests_total", metrics::Kind::counter,
                                        "route=" + std::string(routes[route]) + ",method=" +
                                            std::string(methods[method]) + ",code=" +
                                            std::to_string(status_class + 1) + "xx");
      counter.store(counter_series, std::memory_order_release);
    }
    auto &latency = request_latencies_[route];
    auto *latency_series = latency.load(std::memory_order_acquire);
    if (latency_series == nullptr) {
      latency_series = metrics_->series("hearth_http_request_duration_seconds", metrics::Kind::histogram,
                                        "route=" + std::string(routes[route]));
      latency.store(latency_series, std::memory_order_release);
    }
    metrics_->add(counter_series);
    metrics_->observe(latency_series, seconds);
  } catch (const std::exception &failure) {
    logger_->error("metrics: {}", failure.what());
  }
}

http::Response Runtime::answer_plugin_route(const http::Request &request) const {
  const auto who = authenticator_->authenticate(request.headers);
  if (who.kind == auth::Authentication::Kind::refused) {
    logger_->warn("http: request {}: credentials refused: {}", request.request_id, who.reason);
    return unauthorised(who.reason);
  }
  std::optional<hearth_actor> actor;
  if (who.kind == auth::Authentication::Kind::actor) {
    actor = policy::actor_to_abi(who.actor);
  }
  auto response = plugin_routes_->answer(request, actor ? &*actor : nullptr);
  if (!response) {
    return json_error(404, "not found");
  }
  return std::move(*response);
}

} // namespace hearth::runtime
