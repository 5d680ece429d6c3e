#include "plugin_server.hpp"

#include <cstdlib>
#include <iostream>

#include <unistd.h>

#include "hearth/query.h"
#include "hearth/service.h"
#include "isolation/frame.hpp"
#include "isolation/protocol.hpp"
#include "runtime/errors.hpp"

namespace hearth::plugin_host {
namespace {

using isolation::text_field;

// The exit status when the runtime went away while the plugin needed it.
constexpr int kRuntimeGone = 1;
constexpr int kProtocolBroken = 2;

void append_to_string(void *user_data, const char *data, uint64_t size) {
  if (data != nullptr) {
    static_cast<std::string *>(user_data)->append(data, static_cast<std::size_t>(size));
  }
}

int32_t unsupported(char **error, const char *function) {
  runtime::set_error(error, std::string(function) +
                                ": not available to a plugin that runs with isolation = process");
  return HEARTH_ERROR_UNSUPPORTED;
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
}

int PluginServer::run() {
  for (;;) {
    Poco::JSON::Object::Ptr request;
    try {
      request = isolation::read_frame(socket_);
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
      send(*answer);
    } catch (const std::exception &) {
      return kRuntimeGone;
    }
    if (type == "deinit") {
      return 0;
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

Poco::Dynamic::Var PluginServer::ask(Poco::JSON::Object &request) {
  std::lock_guard lock(ask_mutex_);
  const std::int64_t id = ++next_ask_id_;
  request.set("id", id);
  try {
    send(request);
    const auto answer = isolation::read_frame(socket_);
    if (text_field(*answer, "type") != "answer" || answer->optValue<std::int64_t>("id", -1) != id) {
      std::cerr << "hearth-plugin-host: the runtime answered another request than " << id << '\n';
      std::_Exit(kProtocolBroken);
    }
    return answer->get("value");
  } catch (const std::exception &) {
    // Without the runtime the plugin cannot go on; it has no one left to answer either.
    std::_Exit(kRuntimeGone);
  }
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
    const Poco::Dynamic::Var value = self.ask(request);
    it = self.config_cache_
             .emplace(key, value.isEmpty() ? std::nullopt : std::optional<std::string>(value.convert<std::string>()))
             .first;
  }
  return it->second ? it->second->c_str() : nullptr;
}

int64_t PluginServer::clock_now_ms(const hearth_host *host) {
  Poco::JSON::Object request;
  request.set("type", std::string("clock"));
  return from(host).ask(request).convert<std::int64_t>();
}

int32_t PluginServer::bus_publish(const hearth_host *, const hearth_event *, char **error) {
  return unsupported(error, "bus_publish");
}

int32_t PluginServer::bus_subscribe(const hearth_host *, const char *, hearth_event_callback, void *, uint64_t *) {
  return HEARTH_ERROR_UNSUPPORTED;
}

int32_t PluginServer::bus_unsubscribe(const hearth_host *, uint64_t) { return HEARTH_ERROR_UNSUPPORTED; }

int32_t PluginServer::storage_migrate(const hearth_host *, const hearth_migration *const *, uint32_t, char **error) {
  return unsupported(error, "storage_migrate");
}

int32_t PluginServer::storage_execute(const hearth_host *, const char *, const hearth_value *, uint32_t,
                                      hearth_row_callback, void *, char **error) {
  return unsupported(error, "storage_execute");
}

int32_t PluginServer::storage_transaction(const hearth_host *, hearth_transaction_fn, void *, char **error) {
  return unsupported(error, "storage_transaction");
}

const void *PluginServer::get_extension(const hearth_host *, const char *) { return nullptr; }

} // namespace hearth::plugin_host
