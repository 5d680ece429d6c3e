// hearth/plugin.hpp — a header-only C++20 layer for plugin authors. Since 1.0.
//
// It wraps the C ABI (plugin.h, host_services.h, query.h) and guarantees that no C++
// exception crosses it: every call from the runtime into the plugin runs inside guard(),
// which turns exceptions into status codes and logs them through the host.
//
//   class Greeter : public hearth::Plugin {
//    public:
//     void init(hearth::Host host) override { host_ = host; host_.log_info("ready"); }
//     std::string query(std::string_view name, std::string_view args) override { ... }
//    private:
//     hearth::Host host_;
//   };
//   HEARTH_DEFINE_PLUGIN(Greeter, kGreeterDescriptor)
//
// Nothing here is part of the binary interface: a plugin compiled with this header still
// exports only hearth_get_plugin_entry() and speaks plain C to the runtime.
#ifndef HEARTH_PLUGIN_HPP
#define HEARTH_PLUGIN_HPP

#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "plugin.h"
#include "query.h"
#include "service.h"

namespace hearth {

// An error with a status code; thrown by Host's wrappers and by plugin code that wants a
// specific status at the boundary.
class Error : public std::runtime_error {
public:
  Error(std::int32_t status, const std::string &message) : std::runtime_error(message), status_(status) {}
  std::int32_t status() const noexcept { return status_; }

private:
  std::int32_t status_;
};

// A parameter or column value, owning its text.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

// A row as the storage service hands it over: borrowed for the callback.
struct RowView {
  const hearth_value *columns;
  const char *const *names;
  std::uint32_t count;

  std::int64_t int64(std::uint32_t i) const { return columns[i].int64; }
  double real(std::uint32_t i) const { return columns[i].real; }
  bool is_null(std::uint32_t i) const { return columns[i].type == HEARTH_VALUE_NULL; }
  std::string_view text(std::uint32_t i) const {
    return columns[i].data != nullptr ? std::string_view(columns[i].data, columns[i].size) : std::string_view();
  }
};

// The services of the runtime (hearth_host), as C++. Cheap to copy; valid from init()
// until deinit() returns. Thread rules are those of host_services.h.
class Host {
public:
  Host() = default;
  explicit Host(const hearth_host *host) : host_(host) {}
  const hearth_host *c_host() const { return host_; }

  void log(std::int32_t level, const std::string &message) const { host_->log(host_, level, message.c_str()); }
  void log_info(const std::string &message) const { log(HEARTH_LOG_INFO, message); }
  void log_warn(const std::string &message) const { log(HEARTH_LOG_WARN, message); }
  void log_error(const std::string &message) const { log(HEARTH_LOG_ERROR, message); }

  // The plugin's own setting `key`, or nullopt when absent.
  std::optional<std::string_view> config(const char *key) const {
    const char *value = host_->config_get(host_, key);
    return value != nullptr ? std::optional<std::string_view>(value) : std::nullopt;
  }

  std::int64_t now_ms() const { return host_->clock_now_ms(host_); }

  // Publishes an event; throws Error when the bus refuses it.
  void publish(const std::string &type, const std::string &subject, const std::string &payload_json,
               std::int64_t occurred_at_ms) const {
    hearth_event event{};
    event.struct_size = sizeof event;
    event.occurred_at_ms = occurred_at_ms;
    event.type = type.c_str();
    event.subject = subject.c_str();
    event.payload = payload_json.c_str();
    call([&](char **error) { return host_->bus_publish(host_, &event, error); });
  }

  // Runs `sql` with `params` bound to its `?` placeholders; `on_row` sees each row and
  // returns false to stop. Throws Error on failure.
  void execute(const std::string &sql, const std::vector<Value> &params = {},
               const std::function<bool(const RowView &)> &on_row = nullptr) const {
    std::vector<hearth_value> values(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      values[i] = to_c(params[i]);
    }
    struct Context {
      const std::function<bool(const RowView &)> *on_row;
      std::exception_ptr failure;
    } context{&on_row, nullptr};
    auto trampoline = [](void *user_data, const hearth_value *columns, const char *const *names,
                         std::uint32_t count) -> std::int32_t {
      auto *ctx = static_cast<Context *>(user_data);
      try {
        return (*ctx->on_row)(RowView{columns, names, count}) ? 0 : 1;
      } catch (...) {
        ctx->failure = std::current_exception();
        return 1;
      }
    };
    call([&](char **error) {
      return host_->storage_execute(host_, sql.c_str(), values.data(),
                                    static_cast<std::uint32_t>(values.size()),
                                    on_row ? +trampoline : nullptr, &context, error);
    });
    if (context.failure) {
      std::rethrow_exception(context.failure);
    }
  }

  // Runs `work` in one transaction; an exception from `work` rolls back and is rethrown.
  void transaction(const std::function<void()> &work) const {
    struct Context {
      const std::function<void()> *work;
      std::exception_ptr failure;
    } context{&work, nullptr};
    auto trampoline = [](void *user_data) -> std::int32_t {
      auto *ctx = static_cast<Context *>(user_data);
      try {
        (*ctx->work)();
        return HEARTH_OK;
      } catch (...) {
        ctx->failure = std::current_exception();
        return HEARTH_ERROR_PLUGIN;
      }
    };
    const std::int32_t status = invoke([&](char **error) {
      return host_->storage_transaction(host_, +trampoline, &context, error);
    });
    if (context.failure) {
      std::rethrow_exception(context.failure);
    }
    if (status != HEARTH_OK) {
      throw Error(status, last_error_);
    }
  }

  // Applies the plugin's migrations; throws Error on failure.
  void migrate(const std::vector<hearth_migration> &migrations) const {
    std::vector<const hearth_migration *> pointers;
    for (const auto &m : migrations) {
      pointers.push_back(&m);
    }
    call([&](char **error) {
      return host_->storage_migrate(host_, pointers.data(), static_cast<std::uint32_t>(pointers.size()), error);
    });
  }

private:
  static hearth_value to_c(const Value &value) {
    hearth_value out{};
    if (const auto *i = std::get_if<std::int64_t>(&value)) {
      out.type = HEARTH_VALUE_INT64;
      out.int64 = *i;
    } else if (const auto *d = std::get_if<double>(&value)) {
      out.type = HEARTH_VALUE_DOUBLE;
      out.real = *d;
    } else if (const auto *s = std::get_if<std::string>(&value)) {
      out.type = HEARTH_VALUE_TEXT;
      out.data = s->c_str();
      out.size = s->size();
    }
    return out;
  }

  template <class Call> std::int32_t invoke(Call &&c) const {
    char *error = nullptr;
    const std::int32_t status = c(&error);
    last_error_ = error != nullptr ? error : "";
    host_->free(error);
    return status;
  }
  template <class Call> void call(Call &&c) const {
    const std::int32_t status = invoke(std::forward<Call>(c));
    if (status != HEARTH_OK) {
      throw Error(status, last_error_.empty() ? "host call failed" : last_error_);
    }
  }

  const hearth_host *host_ = nullptr;
  mutable std::string last_error_;
};

// Runs `work`, turning every exception into a status and logging it through `host` (when
// set). Use around every entry point into plugin code.
// A refusal (an Error with INVALID_ARGUMENT, NOT_FOUND, DENIED or CONFLICT) from a call or
// query is an answer, not a fault: it is logged at debug level; everything else, and any
// failure of init(), at error level.
template <class Work> std::int32_t guard(const hearth_host *host, const char *where, Work &&work) noexcept {
  auto report = [&](const char *what, std::int32_t level = HEARTH_LOG_ERROR) {
    if (host != nullptr) {
      std::string line = std::string(where) + " failed: " + what;
      host->log(host, level, line.c_str());
    }
  };
  try {
    return work();
  } catch (const Error &e) {
    const std::int32_t status = e.status();
    const bool refusal = status == HEARTH_ERROR_INVALID_ARGUMENT || status == HEARTH_ERROR_NOT_FOUND ||
                         status == HEARTH_ERROR_DENIED || status == HEARTH_ERROR_CONFLICT;
    // init() failing is why a plugin does not run: always worth an error line.
    const bool in_init = std::strcmp(where, "init") == 0;
    report(e.what(), refusal && !in_init ? HEARTH_LOG_DEBUG : HEARTH_LOG_ERROR);
    return status;
  } catch (const std::exception &e) {
    report(e.what());
    return HEARTH_ERROR_PLUGIN;
  } catch (...) {
    report("unknown exception");
    return HEARTH_ERROR_PLUGIN;
  }
}

// Base class of a C++ plugin. One instance lives from init() to deinit().
class Plugin {
public:
  virtual ~Plugin() = default;
  // Starts the plugin; throw to fail init (the runtime then calls deinit()).
  virtual void init(Host host) = 0;
  // Stops it; called before destruction. Must not throw.
  virtual void deinit() noexcept {}
  // Answers a query with JSON; throw Error(HEARTH_ERROR_NOT_FOUND, ...) for unknown names.
  virtual std::string query(std::string_view name, std::string_view /*args_json*/) {
    throw Error(HEARTH_ERROR_NOT_FOUND, "unknown query '" + std::string(name) + "'");
  }
  // True when the plugin answers queries (exposes the query factory).
  virtual bool answers_queries() const { return false; }
  // Runs `operation` (hearth/service.h) for `actor` and returns its JSON answer; throw
  // Error(status, reason) to refuse: HEARTH_ERROR_NOT_FOUND for an unknown operation or a
  // record the actor may not see, HEARTH_ERROR_DENIED, _INVALID_ARGUMENT, _CONFLICT.
  // [any-thread] Since 1.1.
  virtual std::string call(const hearth_actor & /*actor*/, std::string_view operation,
                           std::string_view /*args_json*/) {
    throw Error(HEARTH_ERROR_NOT_FOUND, "unknown operation '" + std::string(operation) + "'");
  }
  // True when the plugin offers operations (exposes the service factory). Since 1.1.
  virtual bool offers_operations() const { return false; }
  // Other factories by id; nullptr when none.
  virtual const void *factory(const char * /*factory_id*/) { return nullptr; }
};

namespace detail {

// True when a host offering `host_major`.`host_minor` can load a plugin built for
// `major`.`minor` (a function, so that minor 0 does not trip -Wtype-limits).
constexpr bool host_can_load(std::uint32_t host_major, std::uint32_t host_minor, std::uint32_t major,
                             std::uint32_t minor) {
  return host_major == major && host_minor >= minor;
}

// The glue HEARTH_DEFINE_PLUGIN instantiates: one per plugin class.
template <class PluginClass> struct Glue {
  static inline std::unique_ptr<PluginClass> instance;
  static inline const hearth_host *host = nullptr;

  static std::int32_t init(const hearth_host *h) {
    return guard(h, "init", [&] {
      host = h;
      instance = std::make_unique<PluginClass>();
      try {
        instance->init(Host(h));
      } catch (...) {
        instance.reset();
        throw;
      }
      return static_cast<std::int32_t>(HEARTH_OK);
    });
  }
  static void deinit() {
    guard(host, "deinit", [&] {
      if (instance) {
        instance->deinit();
        instance.reset();
      }
      return static_cast<std::int32_t>(HEARTH_OK);
    });
  }
  // Answers a query; on failure the sink gets the reason instead of the answer.
  static std::int32_t query(const char *name, const char *args, const hearth_text_sink *result) {
    std::string answer;
    std::int32_t status = HEARTH_OK;
    const std::string query_name = name != nullptr ? name : "";
    status = guard(host, "query", [&] {
      try {
        if (!instance) {
          throw Error(HEARTH_ERROR_STATE, "plugin is not initialised");
        }
        answer = instance->query(query_name, args != nullptr ? args : "{}");
        return static_cast<std::int32_t>(HEARTH_OK);
      } catch (const std::exception &e) {
        answer = e.what(); // the reason goes back to the caller; guard() maps the status
        throw;
      }
    });
    if (status != HEARTH_OK && answer.empty()) {
      answer = "query '" + query_name + "' failed with status " + std::to_string(status);
    }
    result->write(result->user_data, answer.data(), answer.size());
    return status;
  }
  // Runs an operation; on failure the sink gets the reason instead of the answer.
  static std::int32_t call(const hearth_actor *actor, const char *operation, const char *args,
                           const hearth_text_sink *result) {
    std::string answer;
    const std::string name = operation != nullptr ? operation : "";
    const std::int32_t status = guard(host, "call", [&] {
      try {
        if (!instance) {
          throw Error(HEARTH_ERROR_STATE, "plugin is not initialised");
        }
        if (actor == nullptr) {
          throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "actor: missing");
        }
        answer = instance->call(*actor, name, args != nullptr ? args : "{}");
        return static_cast<std::int32_t>(HEARTH_OK);
      } catch (const std::exception &e) {
        answer = e.what(); // the reason goes back to the caller; guard() maps the status
        throw;
      }
    });
    if (status != HEARTH_OK && answer.empty()) {
      answer = "operation '" + name + "' failed with status " + std::to_string(status);
    }
    result->write(result->user_data, answer.data(), answer.size());
    return status;
  }
  static const void *get_factory(const char *id) {
    if (id == nullptr || !instance) {
      return nullptr;
    }
    static const hearth_query_handler handler{sizeof(hearth_query_handler), 0, &Glue::query};
    if (std::strcmp(id, HEARTH_QUERY_FACTORY_ID) == 0) {
      return instance->answers_queries() ? &handler : nullptr;
    }
    static const hearth_service_handler service{sizeof(hearth_service_handler), 0, &Glue::call};
    if (std::strcmp(id, HEARTH_SERVICE_FACTORY_ID) == 0) {
      return instance->offers_operations() ? &service : nullptr;
    }
    try {
      return instance->factory(id);
    } catch (...) {
      return nullptr;
    }
  }
};

} // namespace detail
} // namespace hearth

// Defines the exported entry of a plugin implemented by `PluginClass` (default
// constructible, derived from hearth::Plugin) and described by `descriptor` (a
// hearth_plugin_descriptor with static storage). Use once per module, at namespace scope.
#define HEARTH_DEFINE_PLUGIN(PluginClass, descriptor)                                             \
  HEARTH_PLUGIN_EXPORT const hearth_plugin_entry *hearth_get_plugin_entry(std::uint32_t host_major, \
                                                                          std::uint32_t host_minor) { \
    static const hearth_plugin_entry entry{HEARTH_PLUGIN_ENTRY_HEADER, &(descriptor),             \
                                           &::hearth::detail::Glue<PluginClass>::init,            \
                                           &::hearth::detail::Glue<PluginClass>::deinit,          \
                                           &::hearth::detail::Glue<PluginClass>::get_factory};    \
    if (!::hearth::detail::host_can_load(host_major, host_minor, HEARTH_ABI_MAJOR, HEARTH_ABI_MINOR)) { \
      return nullptr;                                                                             \
    }                                                                                             \
    return &entry;                                                                                \
  }

#endif // HEARTH_PLUGIN_HPP
