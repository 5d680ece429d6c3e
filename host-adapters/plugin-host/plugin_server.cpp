#include "plugin_server.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

#include <unistd.h>

#include "hearth/query.h"
#include "hearth/service.h"
#include "isolation/frame.hpp"
#include "isolation/protocol.hpp"
#include "isolation/wire_values.hpp"
#include "runtime/errors.hpp"

namespace hearth::plugin_host {
namespace {

using isolation::text_field;

// The exit status when the runtime went away while the plugin needed it.
constexpr int kRuntimeGone = 1;
constexpr int kProtocolBroken = 2;
// How long the main loop reads the socket before it lets a plugin thread ask the runtime.
constexpr std::chrono::milliseconds kReaderTurn{20};

void append_to_string(void *user_data, const char *data, uint64_t size) {
  if (data != nullptr) {
    static_cast<std::string *>(user_data)->append(data, static_cast<std::size_t>(size));
  }
}

Poco::JSON::Object::Ptr result(std::int32_t status, const std::string &text, bool has_handler = true) {
  Poco::JSON::Object::Ptr frame = new Poco::JSON::Object;
  frame->set("type", std::string("result"));
  frame->set("status", status);
  frame->set("text", text);
  frame->set("handler", has_handler);
  return frame;
}

} // namespace

PluginServer::PluginServer(int socket, loader::AcceptedModule &module) : socket_(socket), module_(module) {
  table_.struct_size = sizeof(hearth_host);
  table_.abi_major = HEARTH_ABI_MAJOR;
  table_.abi_minor = HEARTH_ABI_MINOR;
  table_.host_data = this;
  table_.log = &PluginServer::log;
  table_.config_get = &PluginServer::config_get;
  table_.clock_now_ms = &PluginServer::clock_now_ms;
  table_.bus_publish = &PluginServer::bus_publish;
  table_.bus_subscribe = &PluginServer::bus_subscribe;
  table_.bus_unsubscribe = &PluginServer::bus_unsubscribe;
  table_.storage_migrate = &PluginServer::storage_migrate;
  table_.storage_execute = &PluginServer::storage_execute;
  table_.storage_transaction = &PluginServer::storage_transaction;
  table_.get_extension = &PluginServer::get_extension;
  table_.free = &std::free;
  metrics_table_.struct_size = sizeof(hearth_metrics_extension);
  metrics_table_.describe = &PluginServer::metrics_describe;
  metrics_table_.add = &PluginServer::metrics_add;
  metrics_table_.set = &PluginServer::metrics_set;
}

int PluginServer::run() {
  for (;;) {
    Poco::JSON::Object::Ptr request;
    try {
      request = next_request();
    } catch (const isolation::ChannelClosed &) {
      // The runtime closed its end (it stopped us, or it is gone): stop the plugin.
      if (initialised_) {
        module_.entry.deinit();
        initialised_ = false;
      }
      return 0;
    } catch (const isolation::ProtocolError &failure) {
      std::cerr << "hearth-plugin-host: " << failure.what() << '\n';
      return kProtocolBroken;
    }
    const std::string type = text_field(*request, "type");
    Poco::JSON::Object::Ptr answer = handle(*request);
    if (!answer) {
      std::cerr << "hearth-plugin-host: unknown request type '" << type << "'\n";
      return kProtocolBroken;
    }
    answer->set("id", request->optValue<std::int64_t>("id", 0));
    try {
      // Not while a plugin thread's request is being answered: the runtime, serving it,
      // may be waiting for that request's rows or work, not for this result.
      std::lock_guard lock(ask_mutex_);
      send(*answer);
    } catch (const std::exception &) {
      return kRuntimeGone;
    }
    if (type == "deinit") {
      return 0;
    }
  }
}

// The socket has one reader at a time (ask_mutex_): this loop while it waits, in short
// turns, so that a thread of the plugin can ask the runtime in between; a request of the
// runtime that such a thread read while it waited for its answer is taken from deferred_.
Poco::JSON::Object::Ptr PluginServer::next_request() {
  for (;;) {
    std::lock_guard lock(ask_mutex_);
    if (!deferred_.empty()) {
      auto request = deferred_.front();
      deferred_.pop_front();
      return request;
    }
    if (auto request = isolation::read_frame(socket_, std::chrono::steady_clock::now() + kReaderTurn)) {
      return request;
    }
    // A thread that waits to ask goes first (a mutex is not fair).
    while (askers_waiting_.load() > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
}

Poco::JSON::Object::Ptr PluginServer::handle(const Poco::JSON::Object &request) {
  const std::string type = text_field(request, "type");
  if (type == "init") {
    return run_init();
  }
  if (type == "call") {
    return run_call(request);
  }
  if (type == "query") {
    return run_query(request);
  }
  if (type == "event") {
    return run_event(request);
  }
  if (type == "deinit") {
    if (initialised_) {
      module_.entry.deinit();
      initialised_ = false;
    }
    return result(HEARTH_OK, "");
  }
  return nullptr;
}

Poco::JSON::Object::Ptr PluginServer::run_init() {
  std::int32_t status = HEARTH_ERROR_PLUGIN;
  std::string failure;
  try {
    status = module_.entry.init(&table_);
  } catch (const std::exception &error) {
    failure = std::string("init() threw an exception: ") + error.what();
  } catch (...) {
    failure = "init() threw an exception";
  }
  if (status == HEARTH_OK) {
    initialised_ = true;
    return result(HEARTH_OK, "");
  }
  if (failure.empty()) {
    std::lock_guard lock(problem_mutex_);
    failure = last_problem_;
  }
  // As in-process: a failed init is followed by deinit().
  try {
    module_.entry.deinit();
  } catch (...) {
  }
  return result(status, failure);
}

const void *PluginServer::factory(const char *factory_id) {
  if (!initialised_ || module_.entry.get_factory == nullptr) {
    return nullptr;
  }
  return module_.entry.get_factory(factory_id);
}

Poco::JSON::Object::Ptr PluginServer::run_call(const Poco::JSON::Object &request) {
  const std::string &id = module_.descriptor.id;
  const std::string operation = text_field(request, "operation");
  const void *table = nullptr;
  try {
    table = factory(HEARTH_SERVICE_FACTORY_ID);
  } catch (...) {
    return result(HEARTH_ERROR_PLUGIN, "plugin '" + id + "': get_factory() threw an exception");
  }
  const auto *handler = static_cast<const hearth_service_handler *>(table);
  if (handler == nullptr || handler->struct_size < offsetof(hearth_service_handler, call) + sizeof(void *) ||
      handler->call == nullptr) {
    return result(HEARTH_ERROR_NOT_FOUND, "plugin '" + id + "' offers no operations", false);
  }
  const auto actor_json = request.getObject("actor");
  if (!actor_json) {
    return result(HEARTH_ERROR_INVALID_ARGUMENT, "actor: missing");
  }
  const isolation::ActorCopy actor(*actor_json);
  const std::string args = text_field(request, "args");
  std::string answer;
  hearth_text_sink sink{sizeof(hearth_text_sink), 0, &answer, &append_to_string};
  try {
    const std::int32_t status = handler->call(&actor.actor, operation.c_str(), args.c_str(), &sink);
    return result(status, answer);
  } catch (const std::exception &error) {
    return result(HEARTH_ERROR_PLUGIN, "plugin '" + id + "': operation '" + operation + "' threw: " + error.what());
  } catch (...) {
    return result(HEARTH_ERROR_PLUGIN, "plugin '" + id + "': operation '" + operation + "' threw an exception");
  }
}

Poco::JSON::Object::Ptr PluginServer::run_query(const Poco::JSON::Object &request) {
  const std::string &id = module_.descriptor.id;
  const std::string name = text_field(request, "name");
  const void *table = nullptr;
  try {
    table = factory(HEARTH_QUERY_FACTORY_ID);
  } catch (...) {
    return result(HEARTH_ERROR_PLUGIN, "plugin '" + id + "': get_factory() threw an exception");
  }
  const auto *handler = static_cast<const hearth_query_handler *>(table);
  if (handler == nullptr || handler->struct_size < offsetof(hearth_query_handler, query) + sizeof(void *) ||
      handler->query == nullptr) {
    return result(HEARTH_ERROR_NOT_FOUND, "plugin '" + id + "' answers no queries", false);
  }
  const std::string args = text_field(request, "args");
  std::string answer;
  hearth_text_sink sink{sizeof(hearth_text_sink), 0, &answer, &append_to_string};
  try {
    const std::int32_t status = handler->query(name.c_str(), args.c_str(), &sink);
    return result(status, answer);
  } catch (const std::exception &error) {
    return result(HEARTH_ERROR_PLUGIN, "plugin '" + id + "': query '" + name + "' threw: " + error.what());
  } catch (...) {
    return result(HEARTH_ERROR_PLUGIN, "plugin '" + id + "': query '" + name + "' threw an exception");
  }
}

void PluginServer::send(const Poco::JSON::Object &frame) {
  std::lock_guard lock(write_mutex_);
  isolation::write_frame(socket_, frame);
}

Poco::JSON::Object::Ptr PluginServer::ask(Poco::JSON::Object &request, const Pending *pending) {
  ++askers_waiting_;
  std::lock_guard lock(ask_mutex_);
  --askers_waiting_;
  const std::int64_t id = ++next_ask_id_;
  request.set("id", id);
  if (pending != nullptr) {
    pending_[id] = *pending;
  }
  try {
    send(request);
    for (;;) {
      const auto frame = isolation::read_frame(socket_);
      const std::string type = text_field(*frame, "type");
      if (type == "row" || type == "work") {
        Poco::JSON::Object::Ptr reply = run_nested(*frame);
        reply->set("id", frame->optValue<std::int64_t>("id", 0));
        send(*reply);
        continue;
      }
      if (type == "init" || type == "call" || type == "query" || type == "event" || type == "deinit") {
        // A request for the main loop, sent before the runtime saw ours: it answers ours first.
        deferred_.push_back(frame);
        continue;
      }
      if (type != "answer" || frame->optValue<std::int64_t>("id", -1) != id) {
        std::cerr << "hearth-plugin-host: the runtime answered another request than " << id << '\n';
        std::_Exit(kProtocolBroken);
      }
      pending_.erase(id);
      return frame;
    }
  } catch (const std::exception &) {
    // Without the runtime the plugin cannot go on; it has no one left to answer either.
    std::_Exit(kRuntimeGone);
  }
}

// Runs a row callback or a transaction's work of a storage request in flight.
Poco::JSON::Object::Ptr PluginServer::run_nested(const Poco::JSON::Object &request) {
  const auto it = pending_.find(request.optValue<std::int64_t>("for", 0));
  const bool row = text_field(request, "type") == "row";
  if (it == pending_.end() || (row ? it->second.on_row == nullptr : it->second.work == nullptr)) {
    std::cerr << "hearth-plugin-host: the runtime sent a " << (row ? "row" : "work")
              << " for no storage request in flight\n";
    std::_Exit(kProtocolBroken);
  }
  const Pending pending = it->second;
  std::int32_t status = HEARTH_ERROR_PLUGIN;
  if (row) {
    const auto columns = request.getArray("columns");
    const auto names = request.getArray("names");
    if (!columns || !names || columns->size() != names->size()) {
      std::cerr << "hearth-plugin-host: a row without matching columns and names\n";
      std::_Exit(kProtocolBroken);
    }
    const isolation::ValuesCopy values(*columns);
    const isolation::NamesCopy column_names(*names);
    try {
      status = pending.on_row(pending.user_data, values.data(), column_names.data(), values.size());
    } catch (...) {
      status = 1; // stop reading rows, as a callback that cannot go on
    }
  } else {
    try {
      status = pending.work(pending.user_data);
    } catch (...) {
      status = HEARTH_ERROR_PLUGIN;
    }
  }
  return result(status, "");
}

// Delivers events of one subscription to the plugin's callback.
Poco::JSON::Object::Ptr PluginServer::run_event(const Poco::JSON::Object &request) {
  const std::uint64_t id = request.optValue<std::uint64_t>("subscription", 0);
  std::vector<std::unique_ptr<isolation::EventCopy>> copies;
  std::vector<const hearth_event *> events;
  if (const auto list = request.getArray("events")) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto event = list->getObject(static_cast<unsigned>(i));
      if (!event) {
        return result(HEARTH_ERROR_INVALID_ARGUMENT, "events[" + std::to_string(i) + "]: not an object");
      }
      try {
        copies.push_back(std::make_unique<isolation::EventCopy>(*event));
      } catch (const std::exception &failure) {
        return result(HEARTH_ERROR_INVALID_ARGUMENT, "events[" + std::to_string(i) + "]: " + failure.what());
      }
      events.push_back(&copies.back()->view());
    }
  }
  Subscription subscription{};
  {
    std::lock_guard lock(subscriptions_mutex_);
    const auto it = subscriptions_.find(id);
    if (it == subscriptions_.end()) {
      return result(HEARTH_OK, ""); // unsubscribed meanwhile
    }
    subscription = it->second;
    delivering_ = id;
    delivering_thread_ = std::this_thread::get_id();
  }
  std::int32_t status = HEARTH_ERROR_PLUGIN;
  try {
    status = subscription.callback(subscription.user_data, events.data(), static_cast<uint32_t>(events.size()));
  } catch (...) {
    status = HEARTH_ERROR_PLUGIN;
  }
  {
    std::lock_guard lock(subscriptions_mutex_);
    delivering_ = 0;
  }
  delivery_ended_.notify_all();
  return result(status, "");
}

int32_t PluginServer::finish(const Poco::JSON::Object &answer, char **error) {
  if (answer.has("error")) {
    runtime::set_error(error, text_field(answer, "error"));
  }
  return answer.optValue<std::int32_t>("status", HEARTH_ERROR_PLUGIN);
}

PluginServer &PluginServer::from(const hearth_host *host) { return *static_cast<PluginServer *>(host->host_data); }

void PluginServer::log(const hearth_host *host, int32_t level, const char *message) {
  if (host == nullptr || message == nullptr) {
    return;
  }
  auto &self = from(host);
  if (level >= HEARTH_LOG_WARN) {
    std::lock_guard lock(self.problem_mutex_);
    self.last_problem_ = message;
  }
  Poco::JSON::Object frame;
  frame.set("type", std::string("log"));
  frame.set("level", level);
  frame.set("message", std::string(message));
  try {
    self.send(frame);
  } catch (const std::exception &) {
    // The runtime is gone; the line has nowhere to go.
  }
}

const char *PluginServer::config_get(const hearth_host *host, const char *key) {
  if (host == nullptr || key == nullptr) {
    return nullptr;
  }
  auto &self = from(host);
  std::lock_guard lock(self.config_mutex_);
  auto it = self.config_cache_.find(key);
  if (it == self.config_cache_.end()) {
    Poco::JSON::Object request;
    request.set("type", std::string("config_get"));
    request.set("key", std::string(key));
    const Poco::Dynamic::Var value = self.ask(request)->get("value");
    it = self.config_cache_
             .emplace(key, value.isEmpty() ? std::nullopt : std::optional<std::string>(value.convert<std::string>()))
             .first;
  }
  return it->second ? it->second->c_str() : nullptr;
}

int64_t PluginServer::clock_now_ms(const hearth_host *host) {
  Poco::JSON::Object request;
  request.set("type", std::string("clock"));
  return from(host).ask(request)->get("value").convert<std::int64_t>();
}

// The storage and bus functions check what the runtime's table cannot see (a NULL host or
// callback) here, with the runtime's words, and forward the rest as it was given: the
// runtime's own table checks it and answers.

int32_t PluginServer::bus_publish(const hearth_host *host, const hearth_event *event, char **error) {
  if (host == nullptr || event == nullptr) {
    runtime::set_error(error, "event: missing");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  Poco::JSON::Object request;
  request.set("type", std::string("bus_publish"));
  request.set("event", isolation::event_to_json(*event, false));
  return finish(*from(host).ask(request), error);
}

int32_t PluginServer::bus_subscribe(const hearth_host *host, const char *event_type, hearth_event_callback callback,
                                    void *user_data, uint64_t *subscription) {
  if (host == nullptr || event_type == nullptr || callback == nullptr || subscription == nullptr) {
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  auto &self = from(host);
  Poco::JSON::Object request;
  request.set("type", std::string("bus_subscribe"));
  request.set("event_type", std::string(event_type));
  const auto answer = self.ask(request);
  const int32_t status = finish(*answer, nullptr);
  if (status == HEARTH_OK) {
    const std::uint64_t id = answer->optValue<std::uint64_t>("subscription", 0);
    std::lock_guard lock(self.subscriptions_mutex_);
    self.subscriptions_[id] = Subscription{callback, user_data};
    *subscription = id;
  }
  return status;
}

int32_t PluginServer::bus_unsubscribe(const hearth_host *host, uint64_t subscription) {
  if (host == nullptr) {
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  auto &self = from(host);
  {
    std::lock_guard lock(self.subscriptions_mutex_);
    self.subscriptions_.erase(subscription);
  }
  Poco::JSON::Object request;
  request.set("type", std::string("bus_unsubscribe"));
  request.set("subscription", subscription);
  const int32_t status = finish(*self.ask(request), nullptr);
  // As in-process: when it returns, the callback is not running (unless this thread runs it).
  std::unique_lock lock(self.subscriptions_mutex_);
  self.delivery_ended_.wait(lock, [&] {
    return self.delivering_ != subscription || self.delivering_thread_ == std::this_thread::get_id();
  });
  return status;
}

int32_t PluginServer::storage_migrate(const hearth_host *host, const hearth_migration *const *migrations,
                                      uint32_t count, char **error) {
  if (host == nullptr) {
    runtime::set_error(error, "migrations: missing");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  Poco::JSON::Object request;
  request.set("type", std::string("storage_migrate"));
  if (migrations != nullptr) {
    request.set("migrations", isolation::migrations_to_json(migrations, count));
  } else {
    request.set("migrations", Poco::Dynamic::Var());
  }
  request.set("count", count);
  return finish(*from(host).ask(request), error);
}

int32_t PluginServer::storage_execute(const hearth_host *host, const char *sql, const hearth_value *params,
                                      uint32_t count, hearth_row_callback on_row, void *user_data, char **error) {
  if (host == nullptr) {
    runtime::set_error(error, sql == nullptr ? "sql: missing" : "params: missing");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  Poco::JSON::Object request;
  request.set("type", std::string("storage_execute"));
  if (sql != nullptr) {
    request.set("sql", std::string(sql));
  }
  if (params != nullptr) {
    request.set("params", isolation::values_to_json(params, count));
  } else {
    request.set("params", Poco::Dynamic::Var());
  }
  request.set("count", count);
  request.set("rows", on_row != nullptr);
  const Pending pending{on_row, nullptr, user_data};
  return finish(*from(host).ask(request, on_row != nullptr ? &pending : nullptr), error);
}

int32_t PluginServer::storage_transaction(const hearth_host *host, hearth_transaction_fn work, void *user_data,
                                          char **error) {
  if (host == nullptr || work == nullptr) {
    runtime::set_error(error, "work: missing");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  Poco::JSON::Object request;
  request.set("type", std::string("storage_transaction"));
  const Pending pending{nullptr, work, user_data};
  return finish(*from(host).ask(request, &pending), error);
}

const void *PluginServer::get_extension(const hearth_host *host, const char *extension_id) {
  if (host == nullptr || extension_id == nullptr || std::string_view(extension_id) != HEARTH_METRICS_EXTENSION_ID) {
    return nullptr;
  }
  auto &self = from(host);
  std::lock_guard lock(self.extension_mutex_);
  if (!self.runtime_has_metrics_) {
    Poco::JSON::Object request;
    request.set("type", std::string("extension"));
    request.set("extension", std::string(extension_id));
    self.runtime_has_metrics_ = self.ask(request)->optValue<bool>("value", false);
  }
  return *self.runtime_has_metrics_ ? &self.metrics_table_ : nullptr;
}

int32_t PluginServer::forward_metric(const hearth_host *host, const char *operation, const char *name,
                                     const char *labels, double value, char **error) {
  if (host == nullptr) {
    return HEARTH_ERROR_INVALID_ARGUMENT; // as the runtime's metrics extension answers
  }
  Poco::JSON::Object request;
  request.set("type", std::string("metrics"));
  request.set("operation", std::string(operation));
  if (name != nullptr) {
    request.set("name", std::string(name));
  }
  if (labels != nullptr) {
    request.set("labels", std::string(labels));
  }
  hearth_value number{};
  number.type = HEARTH_VALUE_DOUBLE;
  number.real = value;
  request.set("number", isolation::values_to_json(&number, 1));
  return finish(*from(host).ask(request), error);
}

int32_t PluginServer::metrics_describe(const hearth_host *host, const char *name, uint32_t kind, const char *help,
                                       char **error) {
  if (host == nullptr) {
    return HEARTH_ERROR_INVALID_ARGUMENT; // as the runtime's metrics extension answers
  }
  Poco::JSON::Object request;
  request.set("type", std::string("metrics"));
  request.set("operation", std::string("describe"));
  if (name != nullptr) {
    request.set("name", std::string(name));
  }
  request.set("kind", kind);
  if (help != nullptr) {
    request.set("help", std::string(help));
  }
  return finish(*from(host).ask(request), error);
}

int32_t PluginServer::metrics_add(const hearth_host *host, const char *name, const char *labels, double delta,
                                  char **error) {
  return forward_metric(host, "add", name, labels, delta, error);
}

int32_t PluginServer::metrics_set(const hearth_host *host, const char *name, const char *labels, double value,
                                  char **error) {
  return forward_metric(host, "set", name, labels, value, error);
}

} // namespace hearth::plugin_host
