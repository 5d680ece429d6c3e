#include "loader/plugin_registry.hpp"

#include <algorithm>
#include <map>

#include "hearth/query.h"
#include "hearth/service.h"
#include "http/plugin_routes.hpp"
#include "isolation/describe.hpp"
#include "isolation/isolated_plugin.hpp"
#include "isolation/settings.hpp"
#include "metrics/metrics.hpp"
#include "runtime/config.hpp"
#include "runtime/event_bus.hpp"

namespace hearth::loader {

PluginRecord::~PluginRecord() = default;

namespace {

// How long a child may take to describe one module (as `hearth plugins scan` allows).
constexpr std::chrono::milliseconds kDescribeTimeLimit{10'000};

// Not a hearth_status: what the call helpers return for a plugin without operations.
constexpr std::int32_t kNoOperations = 1;

std::filesystem::path normalised(const std::filesystem::path &path) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(path, ec);
  return ec ? path : canonical;
}

// Collects the query handler's answer.
void append_to_string(void *user_data, const char *data, uint64_t size) {
  if (data != nullptr) {
    static_cast<std::string *>(user_data)->append(data, static_cast<std::size_t>(size));
  }
}

// True on a thread that holds the registry for loading, initialising or stopping plugins:
// a plugin's init() or deinit() must not call into other plugins through the registry
// (it would wait for itself). Calls made then answer HEARTH_ERROR_STATE instead.
thread_local bool registry_busy_on_this_thread = false;

// Marks the calling thread busy for the life of the object.
class BusyThread {
public:
  BusyThread() : previous_(registry_busy_on_this_thread) { registry_busy_on_this_thread = true; }
  ~BusyThread() { registry_busy_on_this_thread = previous_; }
  BusyThread(const BusyThread &) = delete;
  BusyThread &operator=(const BusyThread &) = delete;

private:
  bool previous_;
};

// Starts `record` (isolated_mode, context set) in a child of its own; `failure` says why not.
std::int32_t start_isolated(PluginRecord &record, runtime::Services &services, std::string &failure) {
  try {
    record.isolated = std::make_unique<isolation::IsolatedPlugin>(
        record.path, record.descriptor, isolation::IsolationSettings::from_config(*services.config, record.descriptor.id),
        record.context->host(), services.metrics, services.logger);
  } catch (const std::exception &error) {
    failure = std::string("cannot run isolated: ") + error.what();
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  const std::int32_t status = record.isolated->start(failure);
  if (status != HEARTH_OK) {
    record.isolated.reset();
  }
  return status;
}

std::int32_t call_isolated(const PluginRecord &record, const hearth_actor &actor, const std::string &operation,
                           const std::string &args_json, std::string &answer) {
  bool has_handler = true;
  const std::int32_t status = record.isolated->call(actor, operation, args_json, answer, has_handler);
  return has_handler ? status : kNoOperations;
}

std::int32_t call_in_process(const PluginRecord &record, const hearth_actor &actor, const std::string &operation,
                             const std::string &args_json, std::string &answer) {
  const std::string &plugin_id = record.descriptor.id;
  const void *factory = nullptr;
  try {
    factory = record.module->entry.get_factory != nullptr
                  ? record.module->entry.get_factory(HEARTH_SERVICE_FACTORY_ID)
                  : nullptr;
  } catch (...) {
    answer = "plugin '" + plugin_id + "': get_factory() threw an exception";
    return HEARTH_ERROR_PLUGIN;
  }
  const auto *handler = static_cast<const hearth_service_handler *>(factory);
  if (handler == nullptr ||
      handler->struct_size < offsetof(hearth_service_handler, call) + sizeof(void *) ||
      handler->call == nullptr) {
    return kNoOperations;
  }
  hearth_text_sink sink{sizeof(hearth_text_sink), 0, &answer, &append_to_string};
  std::int32_t status = HEARTH_ERROR_PLUGIN;
  try {
    status = handler->call(&actor, operation.c_str(), args_json.c_str(), &sink);
  } catch (const std::exception &e) {
    answer = "plugin '" + plugin_id + "': operation '" + operation + "' threw: " + e.what();
  } catch (...) {
    answer = "plugin '" + plugin_id + "': operation '" + operation + "' threw an exception";
  }
  return status;
}

} // namespace

bool PluginRegistry::busy_on_this_thread() { return registry_busy_on_this_thread; }

PluginRegistry::PluginRegistry(runtime::Services &services) : services_(services) {}

PluginRegistry::~PluginRegistry() { shutdown(); }

void PluginRegistry::load_folders(const std::vector<std::filesystem::path> &folders,
                                  const std::set<std::string> &disabled) {
  std::unique_lock lock(mutex_);
  const BusyThread busy;
  std::vector<std::filesystem::path> files;
  for (const auto &folder : folders) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) {
      services_.logger->warn("plugin folder {} does not exist; skipped", folder.string());
      continue;
    }
    std::vector<std::filesystem::path> in_folder;
    for (const auto &item : std::filesystem::directory_iterator(folder, ec)) {
      if (item.path().extension() == ".so") {
        in_folder.push_back(item.path());
      }
    }
    std::sort(in_folder.begin(), in_folder.end());
    files.insert(files.end(), in_folder.begin(), in_folder.end());
  }

  const std::set<std::string> isolated = isolated_ids();
  std::vector<std::size_t> pending;
  for (const auto &file : files) {
    const auto path = normalised(file);
    const bool known = std::any_of(records_.begin(), records_.end(),
                                   [&](const auto &r) { return r->path == path; });
    if (known) {
      continue;
    }
    auto record = open_module(path, isolated);
    const bool accepted = record->module != nullptr || record->isolated_mode;
    if (accepted && disabled.contains(record->descriptor.id)) {
      record->state = HEARTH_PLUGIN_STATE_STOPPED;
      record->message = "disabled in the configuration (plugins.disabled)";
      record->module.reset();
      record->isolated_mode = false;
      records_.push_back(std::move(record));
      continue;
    }
    records_.push_back(std::move(record));
    if (accepted) {
      accept(pending, records_.size() - 1);
    }
  }
  initialise(pending);
}

std::size_t PluginRegistry::load_file(const std::filesystem::path &file) {
  std::unique_lock lock(mutex_);
  const BusyThread busy;
  auto record = open_module(normalised(file), isolated_ids());
  const bool accepted = record->module != nullptr || record->isolated_mode;
  records_.push_back(std::move(record));
  const std::size_t index = records_.size() - 1;
  if (accepted) {
    std::vector<std::size_t> pending;
    accept(pending, index);
    initialise(pending);
  }
  return index;
}

std::set<std::string> PluginRegistry::isolated_ids() const {
  return services_.config != nullptr ? isolation::isolated_plugin_ids(*services_.config) : std::set<std::string>{};
}

// A record for the module at `path`: refused (logged), loaded here (`module` set), or to be
// started isolated (`isolated_mode`). With any isolated plugin configured, the module is
// described in a child first, so that this process never loads a module meant for a child.
std::unique_ptr<PluginRecord> PluginRegistry::open_module(const std::filesystem::path &path,
                                                          const std::set<std::string> &isolated) {
  auto record = std::make_unique<PluginRecord>();
  record->path = path;
  if (!isolated.empty()) {
    const auto description =
        isolation::describe_module(isolation::find_plugin_host(*services_.config), path, kDescribeTimeLimit);
    record->abi_major = description.abi_major;
    record->abi_minor = description.abi_minor;
    record->descriptor = description.descriptor;
    if (!description.accepted) {
      record->status = description.status;
      record->message = description.message;
      services_.logger->warn("plugin refused: {}", record->message);
      return record;
    }
    if (isolated.contains(description.descriptor.id)) {
      record->isolated_mode = true;
      return record;
    }
  }
  auto outcome = load_module(path, HEARTH_ABI_MAJOR, HEARTH_ABI_MINOR);
  if (auto *refusal = std::get_if<Refusal>(&outcome)) {
    record->status = refusal->status;
    record->message = refusal->message;
    record->abi_major = refusal->abi_major;
    record->abi_minor = refusal->abi_minor;
    record->descriptor = refusal->descriptor;
    services_.logger->warn("plugin refused: {}", record->message);
    return record;
  }
  auto &module = std::get<std::unique_ptr<AcceptedModule>>(outcome);
  record->abi_major = module->abi_major;
  record->abi_minor = module->abi_minor;
  record->descriptor = module->descriptor;
  record->module = std::move(module);
  return record;
}

// Refuses a module whose id is taken; otherwise queues it for initialisation.
void PluginRegistry::accept(std::vector<std::size_t> &pending, std::size_t index) {
  auto &record = *records_[index];
  const std::string &id = record.descriptor.id;
  const PluginRecord *holder = find_active(id);
  for (std::size_t other : pending) {
    if (records_[other]->descriptor.id == id) {
      holder = records_[other].get();
    }
  }
  if (holder != nullptr) {
    record.isolated_mode = false;
    record.state = HEARTH_PLUGIN_STATE_REFUSED;
    record.status = HEARTH_ERROR_CONFLICT;
    record.message = record.path.string() + ": plugin id '" + id + "' is already loaded from " +
                     holder->path.string() + " (plugin ABI " + std::to_string(record.abi_major) +
                     "." + std::to_string(record.abi_minor) + ", host ABI " +
                     std::to_string(HEARTH_ABI_MAJOR) + "." + std::to_string(HEARTH_ABI_MINOR) + ")";
    record.module.reset();
    services_.logger->warn("plugin refused: {}", record.message);
    return;
  }
  pending.push_back(index);
}

void PluginRegistry::initialise(const std::vector<std::size_t> &pending_indexes) {
  std::vector<PluginRecord *> waiting;
  for (auto index : pending_indexes) {
    waiting.push_back(records_[index].get());
  }
  auto is_waiting = [&](const std::string &id) {
    return std::any_of(waiting.begin(), waiting.end(),
                       [&](const PluginRecord *r) { return r->descriptor.id == id; });
  };

  bool progress = true;
  while (!waiting.empty() && progress) {
    progress = false;
    for (auto it = waiting.begin(); it != waiting.end();) {
      PluginRecord &record = **it;
      std::string blocked_by;   // a dependency still waiting
      std::string missing;      // a dependency that is neither active nor waiting
      for (const auto &dependency : record.descriptor.dependencies) {
        if (find_active(dependency) != nullptr) {
          continue;
        }
        if (is_waiting(dependency) && dependency != record.descriptor.id) {
          blocked_by = dependency;
        } else {
          missing = dependency;
          break;
        }
      }
      if (!missing.empty()) {
        fail(record, HEARTH_ERROR_NOT_FOUND,
             "depends on plugin '" + missing + "', which is not active");
        it = waiting.erase(it);
        progress = true;
        continue;
      }
      if (!blocked_by.empty()) {
        ++it;
        continue;
      }
      // Every dependency is active: initialise this one now.
      record.context = std::make_unique<PluginContext>(record.descriptor.id, services_);
      int32_t status = HEARTH_OK;
      std::string failure;
      try {
        if (record.isolated_mode) {
          status = start_isolated(record, services_, failure);
        } else {
          status = record.module->entry.init(record.context->host());
        }
        if (status != HEARTH_OK && !record.isolated_mode) {
          failure = "init() returned status " + std::to_string(status);
          // The plugin's own words, when it logged why (plugin.hpp logs init's refusals).
          if (const std::string problem = record.context->last_problem(); !problem.empty()) {
            failure += ": " + problem;
          }
        }
      } catch (const std::exception &e) {
        status = HEARTH_ERROR_PLUGIN;
        failure = std::string("init() threw an exception: ") + e.what();
      } catch (...) {
        status = HEARTH_ERROR_PLUGIN;
        failure = "init() threw an exception";
      }
      if (status == HEARTH_OK) {
        record.state = HEARTH_PLUGIN_STATE_ACTIVE;
        record.status = HEARTH_OK;
        record.message.clear();
        init_order_.push_back(&record);
        services_.logger->info("plugin {} {} active ({}{})", record.descriptor.id,
                               record.descriptor.version, record.path.filename().string(),
                               record.isolated_mode ? ", isolation = process" : "");
      } else {
        fail(record, status == HEARTH_ERROR_PLUGIN ? HEARTH_ERROR_PLUGIN : status, failure);
      }
      it = waiting.erase(it);
      progress = true;
    }
  }
  for (PluginRecord *record : waiting) {
    fail(*record, HEARTH_ERROR_CONFLICT, "is part of a dependency cycle");
  }
}

// Marks a plugin failed, undoes what its init did, and unloads it.
void PluginRegistry::fail(PluginRecord &record, std::int32_t status, const std::string &cause) {
  record.state = HEARTH_PLUGIN_STATE_FAILED;
  record.status = status;
  record.message = record.path.string() + ": plugin '" + record.descriptor.id + "' " + cause;
  services_.logger->error("plugin failed: {}", record.message);
  if (record.context) {
    if (services_.routes != nullptr) {
      services_.routes->remove_owner(record.descriptor.id);
    }
    services_.bus->unsubscribe_all(record.descriptor.id);
    if (record.isolated) {
      record.isolated->stop();
      record.isolated.reset();
    } else if (record.module) {
      try {
        record.module->entry.deinit();
      } catch (...) {
        services_.logger->error("plugin {}: deinit() threw after a failed init", record.descriptor.id);
      }
    }
    services_.bus->unsubscribe_all(record.descriptor.id);
    record.context.reset();
  }
  record.module.reset();
}

void PluginRegistry::shutdown() {
  std::unique_lock lock(mutex_);
  const BusyThread busy;
  for (auto it = init_order_.rbegin(); it != init_order_.rend(); ++it) {
    PluginRecord &record = **it;
    if (services_.routes != nullptr) {
      services_.routes->remove_owner(record.descriptor.id);
    }
    services_.bus->unsubscribe_all(record.descriptor.id);
    if (record.isolated) {
      record.isolated->stop();
      record.isolated.reset();
    } else {
      try {
        record.module->entry.deinit();
      } catch (...) {
        services_.logger->error("plugin {}: deinit() threw", record.descriptor.id);
      }
    }
    services_.bus->unsubscribe_all(record.descriptor.id);
    record.state = HEARTH_PLUGIN_STATE_STOPPED;
    record.context.reset();
    services_.logger->info("plugin {} stopped", record.descriptor.id);
  }
  init_order_.clear();
  // Unload only after every plugin is deinitialised: a plugin may call into one it
  // depends on until its own deinit returns.
  for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
    (*it)->module.reset();
  }
}

std::vector<PluginRegistry::Summary> PluginRegistry::summaries() const {
  std::shared_lock lock(mutex_);
  std::vector<Summary> out;
  out.reserve(records_.size());
  for (const auto &r : records_) {
    out.push_back(Summary{r->path, r->state, r->status, r->message, r->abi_major, r->abi_minor,
                          r->descriptor});
    if (r->isolated && r->state == HEARTH_PLUGIN_STATE_ACTIVE) {
      const auto health = r->isolated->health();
      if (health.failed) {
        out.back().state = HEARTH_PLUGIN_STATE_FAILED;
        out.back().status = HEARTH_ERROR_PLUGIN;
      }
      out.back().message = health.message;
    }
  }
  return out;
}

PluginRecord *PluginRegistry::find_active(const std::string &id) {
  for (auto &r : records_) {
    if (r->state == HEARTH_PLUGIN_STATE_ACTIVE && r->descriptor.id == id) {
      return r.get();
    }
  }
  return nullptr;
}

const PluginRecord *PluginRegistry::find_active(const std::string &id) const {
  return const_cast<PluginRegistry *>(this)->find_active(id);
}

std::int32_t PluginRegistry::query(const std::string &plugin_id, const std::string &name,
                                   const std::string &args_json, std::string &answer) const {
  std::shared_lock lock(mutex_);
  const PluginRecord *record = find_active(plugin_id);
  if (record == nullptr) {
    throw std::out_of_range("plugin '" + plugin_id + "' is not active");
  }
  if (record->isolated) {
    bool has_handler = true;
    const std::int32_t status = record->isolated->query(name, args_json, answer, has_handler);
    if (!has_handler) {
      throw std::out_of_range("plugin '" + plugin_id + "' answers no queries");
    }
    return status;
  }
  const void *factory = nullptr;
  try {
    factory = record->module->entry.get_factory != nullptr
                  ? record->module->entry.get_factory(HEARTH_QUERY_FACTORY_ID)
                  : nullptr;
  } catch (...) {
    answer = "plugin '" + plugin_id + "': get_factory() threw an exception";
    return HEARTH_ERROR_PLUGIN;
  }
  const auto *handler = static_cast<const hearth_query_handler *>(factory);
  if (handler == nullptr ||
      handler->struct_size < offsetof(hearth_query_handler, query) + sizeof(void *) ||
      handler->query == nullptr) {
    throw std::out_of_range("plugin '" + plugin_id + "' answers no queries");
  }
  hearth_text_sink sink{sizeof(hearth_text_sink), 0, &answer, &append_to_string};
  try {
    return handler->query(name.c_str(), args_json.c_str(), &sink);
  } catch (const std::exception &e) {
    answer = "plugin '" + plugin_id + "': query '" + name + "' threw: " + e.what();
  } catch (...) {
    answer = "plugin '" + plugin_id + "': query '" + name + "' threw an exception";
  }
  return HEARTH_ERROR_PLUGIN;
}

bool PluginRegistry::depends_on(const std::string &plugin_id, const std::string &dependency) const {
  std::shared_lock lock(mutex_);
  const PluginRecord *record = find_active(plugin_id);
  if (record == nullptr) return false;
  const auto &needs = record->descriptor.dependencies;
  return std::find(needs.begin(), needs.end(), dependency) != needs.end();
}

const void *PluginRegistry::factory(const std::string &plugin_id, const std::string &factory_id) const {
  std::shared_lock lock(mutex_);
  const PluginRecord *record = find_active(plugin_id);
  if (record == nullptr || record->isolated || record->module->entry.get_factory == nullptr) {
    return nullptr;
  }
  try {
    return record->module->entry.get_factory(factory_id.c_str());
  } catch (...) {
    services_.logger->error("plugin {}: get_factory() threw", plugin_id);
    return nullptr;
  }
}

std::int32_t PluginRegistry::call(const std::string &plugin_id, const hearth_actor &actor,
                                  const std::string &operation, const std::string &args_json,
                                  std::string &answer) const {
  std::shared_lock lock(mutex_);
  const PluginRecord *record = find_active(plugin_id);
  if (record == nullptr) {
    answer = "plugin '" + plugin_id + "' is not active";
    return HEARTH_ERROR_NOT_FOUND;
  }
  const std::int32_t status = record->isolated ? call_isolated(*record, actor, operation, args_json, answer)
                                               : call_in_process(*record, actor, operation, args_json, answer);
  if (status == kNoOperations) {
    answer = "plugin '" + plugin_id + "' offers no operations";
    return HEARTH_ERROR_NOT_FOUND;
  }
  if (services_.metrics != nullptr) {
    // A refusal (invalid, denied, missing, conflict) is an answer; only the rest failed.
    const bool failed = status != HEARTH_OK && status != HEARTH_ERROR_INVALID_ARGUMENT &&
                        status != HEARTH_ERROR_DENIED && status != HEARTH_ERROR_NOT_FOUND &&
                        status != HEARTH_ERROR_CONFLICT;
    services_.metrics->add("hearth_plugin_calls_total",
                           "plugin=" + plugin_id + ",kind=operation,outcome=" + (failed ? "failed" : "ok"));
  }
  return status;
}

} // namespace hearth::loader
