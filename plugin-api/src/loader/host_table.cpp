#include "loader/host_table.hpp"

#include <cstdlib>
#include <string_view>
#include <vector>

#include "runtime/clock.hpp"
#include "runtime/config.hpp"
#include "runtime/errors.hpp"
#include "runtime/event_bus.hpp"
#include "runtime/logging.hpp"
#include "storage/store.hpp"

namespace hearth::loader {
namespace {

// Thrown inside a storage transaction when the plugin's work returns a status: rolls the
// transaction back and carries the status out.
struct WorkDeclined {
  int32_t status;
};

storage::Value to_value(const hearth_value &in, uint32_t index) {
  switch (in.type) {
  case HEARTH_VALUE_NULL: return std::monostate{};
  case HEARTH_VALUE_INT64: return in.int64;
  case HEARTH_VALUE_DOUBLE: return in.real;
  case HEARTH_VALUE_TEXT:
    if (in.data == nullptr) {
      throw std::invalid_argument("params[" + std::to_string(index) + "]: TEXT value without data");
    }
    return std::string(in.data, in.size != 0 ? in.size : std::char_traits<char>::length(in.data));
  case HEARTH_VALUE_BLOB: {
    if (in.data == nullptr && in.size != 0) {
      throw std::invalid_argument("params[" + std::to_string(index) + "]: BLOB value without data");
    }
    const auto *bytes = reinterpret_cast<const std::uint8_t *>(in.data);
    return storage::Blob{std::vector<std::uint8_t>(bytes, bytes + in.size)};
  }
  default:
    throw std::invalid_argument("params[" + std::to_string(index) + "].type: unknown value type " +
                                std::to_string(in.type));
  }
}

hearth_value from_value(const storage::Value &in) {
  hearth_value out{};
  if (const auto *i = std::get_if<std::int64_t>(&in)) {
    out.type = HEARTH_VALUE_INT64;
    out.int64 = *i;
  } else if (const auto *d = std::get_if<double>(&in)) {
    out.type = HEARTH_VALUE_DOUBLE;
    out.real = *d;
  } else if (const auto *s = std::get_if<std::string>(&in)) {
    out.type = HEARTH_VALUE_TEXT;
    out.data = s->c_str();
    out.size = s->size();
  } else if (const auto *b = std::get_if<storage::Blob>(&in)) {
    out.type = HEARTH_VALUE_BLOB;
    out.data = reinterpret_cast<const char *>(b->bytes.data());
    out.size = b->bytes.size();
  } else {
    out.type = HEARTH_VALUE_NULL;
  }
  return out;
}

} // namespace

PluginContext::PluginContext(std::string plugin_id, runtime::Services &services)
    : plugin_id_(std::move(plugin_id)), services_(services) {
  table_.struct_size = sizeof(hearth_host);
  table_.abi_major = HEARTH_ABI_MAJOR;
  table_.abi_minor = HEARTH_ABI_MINOR;
  table_.host_data = this;
  table_.log = &PluginContext::log;
  table_.config_get = &PluginContext::config_get;
  table_.clock_now_ms = &PluginContext::clock_now_ms;
  table_.bus_publish = &PluginContext::bus_publish;
  table_.bus_subscribe = &PluginContext::bus_subscribe;
  table_.bus_unsubscribe = &PluginContext::bus_unsubscribe;
  table_.storage_migrate = &PluginContext::storage_migrate;
  table_.storage_execute = &PluginContext::storage_execute;
  table_.storage_transaction = &PluginContext::storage_transaction;
  table_.get_extension = &PluginContext::get_extension;
  table_.free = &std::free;
}

PluginContext &PluginContext::from(const hearth_host *host) {
  return *static_cast<PluginContext *>(host->host_data);
}

void PluginContext::log(const hearth_host *host, int32_t level, const char *message) {
  if (host == nullptr || message == nullptr) {
    return;
  }
  auto &self = from(host);
  self.services_.logger->log(runtime::to_spdlog_level(level), "[{}] {}", self.plugin_id_, message);
  if (level >= HEARTH_LOG_WARN) {
    std::lock_guard lock(self.problem_mutex_);
    self.last_problem_ = message;
  }
}

std::string PluginContext::last_problem() const {
  std::lock_guard lock(problem_mutex_);
  return last_problem_;
}

const char *PluginContext::config_get(const hearth_host *host, const char *key) {
  if (host == nullptr || key == nullptr) {
    return nullptr;
  }
  auto &self = from(host);
  std::lock_guard lock(self.config_mutex_);
  auto it = self.config_cache_.find(key);
  if (it == self.config_cache_.end()) {
    it = self.config_cache_
             .emplace(key, std::string_view(key) == "runtime.mode"
                               // Since 1.2: the one runtime-wide key a plugin reads (demo or
                               // production), so demo-only features stay off in production.
                               ? std::optional<std::string>(self.services_.config->get("runtime.mode", "production"))
                               : self.services_.config->find("plugin." + self.plugin_id_ + "." + key))
             .first;
  }
  return it->second ? it->second->c_str() : nullptr;
}

int64_t PluginContext::clock_now_ms(const hearth_host *host) {
  return from(host).services_.clock->now_ms();
}

int32_t PluginContext::bus_publish(const hearth_host *host, const hearth_event *event, char **error) {
  if (host == nullptr || event == nullptr) {
    runtime::set_error(error, "event: missing");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  try {
    auto &self = from(host);
    self.services_.bus->publish(*event, self.plugin_id_);
    return HEARTH_OK;
  } catch (...) {
    return runtime::status_from_current_exception(error);
  }
}

int32_t PluginContext::bus_subscribe(const hearth_host *host, const char *event_type,
                                     hearth_event_callback callback, void *user_data,
                                     uint64_t *subscription) {
  if (host == nullptr || event_type == nullptr || callback == nullptr || subscription == nullptr) {
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  try {
    auto &self = from(host);
    *subscription = self.services_.bus->subscribe(event_type, callback, user_data, self.plugin_id_);
    return HEARTH_OK;
  } catch (...) {
    return runtime::status_from_current_exception(nullptr);
  }
}

int32_t PluginContext::bus_unsubscribe(const hearth_host *host, uint64_t subscription) {
  if (host == nullptr) {
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  return from(host).services_.bus->unsubscribe(subscription) ? HEARTH_OK : HEARTH_ERROR_NOT_FOUND;
}

int32_t PluginContext::storage_migrate(const hearth_host *host,
                                       const hearth_migration *const *migrations, uint32_t count,
                                       char **error) {
  if (host == nullptr || (migrations == nullptr && count != 0)) {
    runtime::set_error(error, "migrations: missing");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  try {
    auto &self = from(host);
    std::vector<storage::Migration> list;
    list.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      const hearth_migration *m = migrations[i];
      const std::string where = "migrations[" + std::to_string(i) + "]";
      if (m == nullptr || m->struct_size < offsetof(hearth_migration, sql_postgresql) + sizeof(void *)) {
        throw std::invalid_argument(where + ": missing or struct_size too small");
      }
      if (m->version == 0) {
        throw std::invalid_argument(where + ".version: must be 1 or more");
      }
      if (m->sql == nullptr || *m->sql == '\0') {
        throw std::invalid_argument(where + ".sql: missing");
      }
      storage::Migration migration;
      migration.version = m->version;
      migration.description = m->description != nullptr ? m->description : "";
      migration.sql = m->sql;
      if (m->sql_postgresql != nullptr) {
        migration.sql_postgresql = m->sql_postgresql;
      }
      list.push_back(std::move(migration));
    }
    self.services_.store->migrate(self.plugin_id_, list);
    return HEARTH_OK;
  } catch (...) {
    return runtime::status_from_current_exception(error);
  }
}

int32_t PluginContext::storage_execute(const hearth_host *host, const char *sql,
                                       const hearth_value *params, uint32_t count,
                                       hearth_row_callback on_row, void *user_data, char **error) {
  if (host == nullptr || sql == nullptr || (params == nullptr && count != 0)) {
    runtime::set_error(error, sql == nullptr ? "sql: missing" : "params: missing");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  try {
    auto &self = from(host);
    std::vector<storage::Value> values;
    values.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      values.push_back(to_value(params[i], i));
    }
    storage::RowCallback forward;
    std::vector<hearth_value> columns;
    std::vector<const char *> names;
    if (on_row != nullptr) {
      forward = [&](const storage::Row &row) {
        columns.clear();
        names.clear();
        for (std::size_t i = 0; i < row.values.size(); ++i) {
          columns.push_back(from_value(row.values[i]));
          names.push_back(row.names[i].c_str());
        }
        return on_row(user_data, columns.data(), names.data(),
                      static_cast<uint32_t>(columns.size())) == 0;
      };
    }
    self.services_.store->execute(sql, values, forward);
    return HEARTH_OK;
  } catch (...) {
    return runtime::status_from_current_exception(error);
  }
}

int32_t PluginContext::storage_transaction(const hearth_host *host, hearth_transaction_fn work,
                                           void *user_data, char **error) {
  if (host == nullptr || work == nullptr) {
    runtime::set_error(error, "work: missing");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  try {
    from(host).services_.store->transaction([&] {
      const int32_t status = work(user_data);
      if (status != HEARTH_OK) {
        throw WorkDeclined{status};
      }
    });
    return HEARTH_OK;
  } catch (const WorkDeclined &declined) {
    runtime::set_error(error, "the transaction was rolled back: its work returned status " +
                                  std::to_string(declined.status));
    return declined.status;
  } catch (...) {
    return runtime::status_from_current_exception(error);
  }
}

const void *PluginContext::get_extension(const hearth_host *host, const char *extension_id) {
  if (host == nullptr || extension_id == nullptr) {
    return nullptr;
  }
  const auto &extensions = from(host).services_.extensions;
  const auto it = extensions.find(extension_id);
  return it != extensions.end() ? it->second : nullptr;
}

} // namespace hearth::loader
