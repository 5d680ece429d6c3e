#include "isolation/isolated_plugin.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "hearth/metrics.h"
#include "hearth/status.h"
#include "isolation/child_process.hpp"
#include "isolation/frame.hpp"
#include "isolation/protocol.hpp"
#include "isolation/wire_values.hpp"
#include "metrics/metrics.hpp"

namespace hearth::isolation {
namespace {

using Clock = std::chrono::steady_clock;

// How often the memory of a child that works on a request is looked at.
constexpr std::chrono::milliseconds kMemoryCheckInterval{50};

long long milliseconds_between(Clock::time_point from, Clock::time_point to) {
  return std::max<long long>(0, std::chrono::ceil<std::chrono::milliseconds>(to - from).count());
}

// Thrown out of a wait for the child when the request's deadline passed.
struct ChildTimedOut {};
// Thrown out of a wait for the child when it grew past memory_limit_mb.
struct ChildOverMemory {
  std::string what;
};

// The frame field `name` as an array; an empty one when absent or null.
Poco::JSON::Array::Ptr array_field(const Poco::JSON::Object &frame, const std::string &name) {
  if (const auto array = frame.getArray(name)) {
    return array;
  }
  return new Poco::JSON::Array;
}

const char *failure_label(int kind) {
  static const char *const labels[] = {"crash", "timeout", "memory", "protocol", "start"};
  return labels[kind];
}

} // namespace

IsolatedPlugin::IsolatedPlugin(std::filesystem::path module, loader::DescriptorCopy descriptor,
                               IsolationSettings settings, const hearth_host *parent_host,
                               metrics::Registry *metrics, std::shared_ptr<spdlog::logger> logger)
    : module_(std::move(module)), descriptor_(std::move(descriptor)), settings_(std::move(settings)),
      parent_host_(parent_host), metrics_(metrics), logger_(std::move(logger)) {
  if (metrics_ != nullptr) {
    metrics_->describe("hearth_plugin_restarts_total", metrics::Kind::counter,
                       "Child processes of isolated plugins started again after a failure, by plugin.");
    metrics_->describe("hearth_plugin_failures_total", metrics::Kind::counter,
                       "Failures of isolated plugins' child processes, by plugin and reason "
                       "(crash, timeout, memory, protocol, start).");
  }
}

IsolatedPlugin::~IsolatedPlugin() {
  stop();
  // The bus subscription a request still running when stop() began may have made must
  // not outlive us.
  std::uint64_t leftover = 0;
  {
    std::lock_guard lock(subscriptions_mutex_);
    leftover = std::exchange(bus_subscription_, 0);
  }
  if (leftover != 0) {
    parent_host_->bus_unsubscribe(parent_host_, leftover);
  }
}

// The child is gone or going: forgets it and its subscriptions (remembering their event
// types after a failure, so that such an event starts it again). [call_mutex_]
void IsolatedPlugin::drop_child(bool remember_subscriptions) {
  child_.reset();
  std::lock_guard lock(subscriptions_mutex_);
  if (remember_subscriptions) {
    for (const auto &[id, event_type] : subscriptions_) {
      lost_subscriptions_.insert(event_type);
    }
  }
  subscriptions_.clear();
}

void IsolatedPlugin::count(const std::string &metric, const std::string &extra_labels) {
  if (metrics_ == nullptr) {
    return;
  }
  try {
    metrics_->add(metric, "plugin=" + descriptor_.id + extra_labels);
  } catch (const std::exception &failure) {
    logger_->warn("plugin {}: metric {} not counted: {}", descriptor_.id, metric, failure.what());
  }
}

std::int32_t IsolatedPlugin::start(std::string &failure) {
  std::lock_guard lock(call_mutex_);
  Failure kind = Failure::start;
  const std::int32_t status = start_child(failure, kind);
  if (status == HEARTH_OK) {
    logger_->info("plugin {} runs isolated in process {}", descriptor_.id, child_->pid());
  }
  return status;
}

// Starts a child, checks its hello and runs init(). On failure leaves child_ empty.
std::int32_t IsolatedPlugin::start_child(std::string &failure, Failure &kind) {
  kind = Failure::start;
  try {
    child_ = std::make_unique<ChildProcess>(settings_.host_executable, module_, ChildProcess::Mode::serve);
  } catch (const std::exception &error) {
    failure = error.what();
    return HEARTH_ERROR_IO;
  }
  const auto deadline = Clock::now() + settings_.start_timeout;
  try {
    const auto hello = read_frame(child_->socket(), deadline);
    if (!hello) {
      child_.reset();
      failure = "the plugin host did not start within " + std::to_string(settings_.start_timeout.count()) + " ms";
      return HEARTH_ERROR_TIMEOUT;
    }
    const ModuleDescription description = description_from_json(*hello);
    if (!description.accepted) {
      child_.reset();
      failure = "the plugin host refused the module: " + description.message;
      return description.status != HEARTH_OK ? description.status : HEARTH_ERROR_PLUGIN;
    }
    if (description.descriptor.id != descriptor_.id) {
      child_.reset();
      failure = "the module now says it is plugin '" + description.descriptor.id + "'";
      return HEARTH_ERROR_CONFLICT;
    }
  } catch (const ChannelClosed &) {
    child_->wait_for_exit(settings_.stop_timeout);
    child_->kill();
    failure = "the plugin host ended while starting: " + child_->ending();
    child_.reset();
    kind = Failure::crash;
    return HEARTH_ERROR_PLUGIN;
  } catch (const ProtocolError &error) {
    child_.reset();
    failure = error.what();
    kind = Failure::protocol;
    return HEARTH_ERROR_PLUGIN;
  }
  Poco::JSON::Object::Ptr init = new Poco::JSON::Object;
  init->set("type", std::string("init"));
  Exchange result;
  if (!exchange(init, std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()), "init()", result, failure,
                kind)) {
    return kind == Failure::timeout ? HEARTH_ERROR_TIMEOUT : HEARTH_ERROR_PLUGIN;
  }
  if (result.status != HEARTH_OK) {
    // The child ran deinit() itself; closing the socket ends it.
    child_->close_socket();
    child_->wait_for_exit(settings_.stop_timeout);
    drop_child(false);
    failure = "init() returned status " + std::to_string(result.status) +
              (result.text.empty() ? std::string() : ": " + result.text);
    kind = Failure::start;
    return result.status;
  }
  // The new child's init() subscribed to what it wants.
  std::lock_guard lock(subscriptions_mutex_);
  lost_subscriptions_.clear();
  return HEARTH_OK;
}

bool IsolatedPlugin::memory_exceeded(std::string &what) const {
  if (settings_.memory_limit_mb == 0 || !child_) {
    return false;
  }
  const auto resident = child_->resident_bytes();
  const std::uint64_t limit = settings_.memory_limit_mb << 20;
  if (!resident || *resident <= limit) {
    return false;
  }
  what = "used " + std::to_string(*resident >> 20) + " MB of memory, over its limit of " +
         std::to_string(settings_.memory_limit_mb) + " MB (memory_limit_mb): stopped";
  return true;
}

// Answers a request the child makes while it works on one of ours. A storage request may
// send the child nested requests (rows, a transaction's work) and so come back here.
void IsolatedPlugin::answer_child(const Poco::JSON::Object &frame) {
  const std::string type = text_field(frame, "type");
  if (type == "log") {
    parent_host_->log(parent_host_, frame.optValue<std::int32_t>("level", HEARTH_LOG_INFO),
                      text_field(frame, "message").c_str());
    return;
  }
  Poco::JSON::Object answer;
  answer.set("type", std::string("answer"));
  answer.set("id", frame.optValue<std::int64_t>("id", 0));
  if (type == "config_get") {
    const std::string key = text_field(frame, "key");
    const char *value = parent_host_->config_get(parent_host_, key.c_str());
    if (value != nullptr) {
      answer.set("value", std::string(value));
    } else {
      answer.set("value", Poco::Dynamic::Var());
    }
  } else if (type == "clock") {
    answer.set("value", parent_host_->clock_now_ms(parent_host_));
  } else if (type.starts_with("storage_")) {
    answer_storage(type, frame, answer);
  } else if (type.starts_with("bus_")) {
    answer_bus(type, frame, answer);
  } else if (type == "metrics") {
    answer_metrics(frame, answer);
  } else if (type == "extension") {
    // Whether the runtime offers an extension that the child forwards (metrics only).
    const std::string id = text_field(frame, "extension");
    answer.set("value", id == HEARTH_METRICS_EXTENSION_ID &&
                            parent_host_->get_extension(parent_host_, id.c_str()) != nullptr);
  } else {
    throw ProtocolError("the child sent a frame of unknown type '" + type + "'");
  }
  write_frame(child_->socket(), answer);
}

// Runs the child's storage request through the plugin's own host table, so that the
// checks, the plugin's migration bookkeeping and the transaction rules are the in-process
// ones. Rows and a transaction's work go back to the child as nested requests; a failure
// of the child meanwhile ends the statement (the transaction rolls back) and is rethrown.
void IsolatedPlugin::answer_storage(const std::string &type, const Poco::JSON::Object &frame,
                                    Poco::JSON::Object &answer) {
  char *error = nullptr;
  std::int32_t status = HEARTH_ERROR_UNSUPPORTED;
  NestedTarget target{this, frame.optValue<std::int64_t>("id", 0)};
  pending_failure_ = nullptr;
  if (type == "storage_migrate") {
    const MigrationsCopy migrations(*array_field(frame, "migrations"));
    const bool missing = frame.isNull("migrations");
    status = parent_host_->storage_migrate(parent_host_, missing ? nullptr : migrations.data(),
                                           missing ? frame.optValue<std::uint32_t>("count", 0) : migrations.size(),
                                           &error);
  } else if (type == "storage_execute") {
    const bool has_sql = frame.has("sql") && !frame.isNull("sql");
    const std::string sql = text_field(frame, "sql");
    const ValuesCopy params(*array_field(frame, "params"));
    const bool missing = frame.isNull("params");
    status = parent_host_->storage_execute(
        parent_host_, has_sql ? sql.c_str() : nullptr, missing ? nullptr : params.data(),
        missing ? frame.optValue<std::uint32_t>("count", 0) : params.size(),
        frame.optValue<bool>("rows", false) ? &IsolatedPlugin::forward_row : nullptr, &target, &error);
  } else if (type == "storage_transaction") {
    status = parent_host_->storage_transaction(parent_host_, &IsolatedPlugin::forward_work, &target, &error);
  } else {
    throw ProtocolError("the child sent a frame of unknown type '" + type + "'");
  }
  const std::string message = error != nullptr ? error : "";
  const bool has_error = error != nullptr;
  parent_host_->free(error);
  if (pending_failure_) {
    std::rethrow_exception(std::exchange(pending_failure_, nullptr));
  }
  answer.set("status", status);
  if (has_error) {
    answer.set("error", message);
  }
}

// Sends the child a nested request and returns the status it answered. [call_mutex_]
std::int32_t IsolatedPlugin::ask_child(Poco::JSON::Object::Ptr request) {
  const std::int64_t id = ++next_request_id_;
  request->set("id", id);
  write_frame(child_->socket(), *request);
  return await_result(id)->optValue<std::int32_t>("status", HEARTH_ERROR_PLUGIN);
}

// The row callback of a forwarded storage_execute: the child's callback answers whether
// to go on (0) or stop. Called by the runtime's storage code on the thread that serves the
// child.
int32_t IsolatedPlugin::forward_row(void *user_data, const hearth_value *columns, const char *const *names,
                                    uint32_t count) {
  auto &target = *static_cast<NestedTarget *>(user_data);
  auto &self = *target.self;
  if (self.pending_failure_) {
    return 1;
  }
  try {
    Poco::JSON::Object::Ptr row = new Poco::JSON::Object;
    row->set("type", std::string("row"));
    row->set("for", target.ask_id);
    row->set("columns", values_to_json(columns, count));
    row->set("names", names_to_json(names, count));
    return self.ask_child(row);
  } catch (...) {
    self.pending_failure_ = std::current_exception();
    return 1;
  }
}

// The work of a forwarded storage_transaction: runs the child's work while the runtime
// holds the transaction open; its status commits (HEARTH_OK) or rolls back. A child that
// fails meanwhile rolls it back.
int32_t IsolatedPlugin::forward_work(void *user_data) {
  auto &target = *static_cast<NestedTarget *>(user_data);
  auto &self = *target.self;
  if (self.pending_failure_) {
    return HEARTH_ERROR_PLUGIN;
  }
  try {
    Poco::JSON::Object::Ptr work = new Poco::JSON::Object;
    work->set("type", std::string("work"));
    work->set("for", target.ask_id);
    return self.ask_child(work);
  } catch (...) {
    self.pending_failure_ = std::current_exception();
    return HEARTH_ERROR_PLUGIN;
  }
}

// Publishes, subscribes or unsubscribes for the child. Publishing goes through the
// plugin's host table (the plugin is the event's source); the child's subscriptions are
// kept here and served by one "*" subscription of the plugin in the runtime's bus.
void IsolatedPlugin::answer_bus(const std::string &type, const Poco::JSON::Object &frame,
                                Poco::JSON::Object &answer) {
  if (type == "bus_publish") {
    char *error = nullptr;
    std::int32_t status = HEARTH_ERROR_INVALID_ARGUMENT;
    if (const auto event = frame.getObject("event")) {
      const EventCopy copy(*event);
      status = parent_host_->bus_publish(parent_host_, &copy.view(), &error);
    } else {
      status = parent_host_->bus_publish(parent_host_, nullptr, &error);
    }
    answer.set("status", status);
    if (error != nullptr) {
      answer.set("error", std::string(error));
    }
    parent_host_->free(error);
    return;
  }
  if (type == "bus_subscribe") {
    const std::string event_type = text_field(frame, "event_type");
    {
      std::lock_guard state(state_mutex_);
      if (stopped_) {
        answer.set("status", static_cast<std::int32_t>(HEARTH_ERROR_STATE));
        return;
      }
    }
    if (event_type.empty()) {
      answer.set("status", static_cast<std::int32_t>(HEARTH_ERROR_INVALID_ARGUMENT));
      return;
    }
    std::lock_guard lock(subscriptions_mutex_);
    if (bus_subscription_ == 0) {
      std::uint64_t id = 0;
      const std::int32_t status =
          parent_host_->bus_subscribe(parent_host_, "*", &IsolatedPlugin::on_bus_events, this, &id);
      if (status != HEARTH_OK) {
        answer.set("status", status);
        return;
      }
      bus_subscription_ = id;
    }
    const std::uint64_t id = next_subscription_++;
    subscriptions_.emplace(id, event_type);
    answer.set("status", static_cast<std::int32_t>(HEARTH_OK));
    answer.set("subscription", id);
    return;
  }
  if (type == "bus_unsubscribe") {
    std::lock_guard lock(subscriptions_mutex_);
    const bool found = subscriptions_.erase(frame.optValue<std::uint64_t>("subscription", 0)) != 0;
    answer.set("status", static_cast<std::int32_t>(found ? HEARTH_OK : HEARTH_ERROR_NOT_FOUND));
    return;
  }
  throw ProtocolError("the child sent a frame of unknown type '" + type + "'");
}

// Describes, adds to or sets a metric for the child through the runtime's metrics
// extension, called with the plugin's own host table (so its series carry its id).
void IsolatedPlugin::answer_metrics(const Poco::JSON::Object &frame, Poco::JSON::Object &answer) {
  const auto *metrics = static_cast<const hearth_metrics_extension *>(
      parent_host_->get_extension(parent_host_, HEARTH_METRICS_EXTENSION_ID));
  if (metrics == nullptr) {
    answer.set("status", static_cast<std::int32_t>(HEARTH_ERROR_UNSUPPORTED));
    return;
  }
  const auto optional_text = [&](const std::string &name, std::string &store) -> const char * {
    if (!frame.has(name) || frame.isNull(name)) {
      return nullptr;
    }
    store = text_field(frame, name);
    return store.c_str();
  };
  std::string name_text, help_text, labels_text;
  const char *name = optional_text("name", name_text);
  const std::string operation = text_field(frame, "operation");
  const ValuesCopy number(*array_field(frame, "number"));
  const double value = number.size() == 1 ? number.data()[0].real : 0.0;
  char *error = nullptr;
  std::int32_t status = HEARTH_ERROR_INVALID_ARGUMENT;
  if (operation == "describe") {
    status = metrics->describe(parent_host_, name, frame.optValue<std::uint32_t>("kind", 0),
                               optional_text("help", help_text), &error);
  } else if (operation == "add") {
    status = metrics->add(parent_host_, name, optional_text("labels", labels_text), value, &error);
  } else if (operation == "set") {
    status = metrics->set(parent_host_, name, optional_text("labels", labels_text), value, &error);
  } else {
    throw ProtocolError("the child asked for metrics operation '" + operation + "'");
  }
  answer.set("status", status);
  if (error != nullptr) {
    answer.set("error", std::string(error));
  }
  parent_host_->free(error);
}

// Reads frames until the result of request `id` arrives, serving the child's requests
// meanwhile. Throws ChildTimedOut past the request's deadline, ChildOverMemory, and what
// read_frame and answer_child throw. [call_mutex_]
Poco::JSON::Object::Ptr IsolatedPlugin::await_result(std::int64_t id) {
  for (;;) {
    const auto now = Clock::now();
    if (now >= deadline_) {
      throw ChildTimedOut{};
    }
    const auto frame = read_frame(child_->socket(), std::min(deadline_, now + kMemoryCheckInterval));
    if (!frame) {
      if (std::string what; memory_exceeded(what)) {
        throw ChildOverMemory{what};
      }
      continue;
    }
    if (text_field(*frame, "type") != "result") {
      answer_child(*frame);
      continue;
    }
    if (frame->optValue<std::int64_t>("id", -1) != id) {
      throw ProtocolError("a result for request " + std::to_string(frame->optValue<std::int64_t>("id", -1)) +
                          " came while " + std::to_string(id) + " was awaited");
    }
    return frame;
  }
}

// Sends `message` and waits up to `timeout` for its result, serving the child meanwhile.
// On failure the child is gone (killed and reaped, child_ empty), `failure` says what
// happened and `kind` how.
bool IsolatedPlugin::exchange(Poco::JSON::Object::Ptr message, std::chrono::milliseconds timeout,
                              const std::string &what, Exchange &out, std::string &failure, Failure &kind) {
  const std::int64_t id = ++next_request_id_;
  message->set("id", id);
  deadline_ = Clock::now() + timeout;
  pending_failure_ = nullptr;
  try {
    if (memory_exceeded(failure)) {
      kind = Failure::memory;
      drop_child(true);
      return false;
    }
    write_frame(child_->socket(), *message);
    const auto frame = await_result(id);
    out.status = frame->optValue<std::int32_t>("status", HEARTH_ERROR_PLUGIN);
    out.text = text_field(*frame, "text");
    out.has_handler = frame->optValue<bool>("handler", true);
    return true;
  } catch (const ChildTimedOut &) {
    kind = Failure::timeout;
    failure = "did not answer " + what + " within " + std::to_string(timeout.count()) +
              " ms (call_timeout_ms): stopped";
    drop_child(true);
    return false;
  } catch (const ChildOverMemory &over) {
    kind = Failure::memory;
    failure = over.what;
    drop_child(true);
    return false;
  } catch (const ChannelClosed &) {
    // Give a dying child the time to finish dying (a sanitizer report takes a moment).
    child_->wait_for_exit(settings_.stop_timeout);
    child_->kill();
    kind = Failure::crash;
    failure = "crashed: " + child_->ending();
    drop_child(true);
    return false;
  } catch (const ProtocolError &error) {
    kind = Failure::protocol;
    failure = std::string("broke the protocol: ") + error.what() + ": stopped";
    drop_child(true);
    return false;
  } catch (const Poco::Exception &error) {
    kind = Failure::protocol;
    failure = "broke the protocol: " + error.displayText() + ": stopped";
    drop_child(true);
    return false;
  }
}

// Counts a failure and decides what follows; returns the message for callers and listings.
std::string IsolatedPlugin::record_failure(Failure kind, const std::string &what) {
  count("hearth_plugin_failures_total", std::string(",reason=") + failure_label(static_cast<int>(kind)));
  std::lock_guard lock(state_mutex_);
  const auto now = Clock::now();
  ++failures_;
  ++consecutive_failures_;
  recent_failures_.push_back(now);
  while (!recent_failures_.empty() && now - recent_failures_.front() > settings_.crash_window) {
    recent_failures_.pop_front();
  }
  std::string message = "plugin " + descriptor_.id + " " + what;
  if (recent_failures_.size() >= settings_.crash_limit) {
    failed_ = true;
    message += "; failed " + std::to_string(recent_failures_.size()) + " times within " +
               std::to_string(settings_.crash_window.count() / 1000) +
               " s (crash_limit): marked failed, not restarted";
  } else {
    auto delay = settings_.restart_delay;
    for (std::uint32_t i = 1; i < consecutive_failures_ && delay < settings_.restart_delay_max; ++i) {
      delay *= 2;
    }
    delay = std::min(delay, settings_.restart_delay_max);
    restart_at_ = now + delay;
    message += "; restarting in " + std::to_string(delay.count()) + " ms";
  }
  message_ = message;
  logger_->error("{}", message);
  return message;
}

// True when a child runs (starting one when its restart is due); otherwise sets why not.
bool IsolatedPlugin::ensure_running(std::int32_t &status, std::string &answer) {
  {
    std::lock_guard lock(state_mutex_);
    if (stopped_) {
      status = HEARTH_ERROR_STATE;
      answer = "plugin " + descriptor_.id + " is stopped";
      return false;
    }
    if (failed_) {
      status = HEARTH_ERROR_STATE;
      answer = "plugin " + descriptor_.id + " is marked failed and not called: " + message_;
      return false;
    }
    if (child_) {
      return true;
    }
    const auto now = Clock::now();
    if (now < restart_at_) {
      status = HEARTH_ERROR_STATE;
      answer = "plugin " + descriptor_.id + " is not running; it restarts in " +
               std::to_string(milliseconds_between(now, restart_at_)) + " ms (after: " + message_ + ")";
      return false;
    }
  }
  std::string failure;
  Failure kind = Failure::start;
  status = start_child(failure, kind);
  if (status != HEARTH_OK) {
    answer = record_failure(kind, "could not be restarted: " + failure);
    status = HEARTH_ERROR_PLUGIN;
    return false;
  }
  count("hearth_plugin_restarts_total", "");
  std::lock_guard lock(state_mutex_);
  ++restarts_;
  logger_->info("plugin {} restarted in process {} (restart {})", descriptor_.id, child_->pid(), restarts_);
  return true;
}

// A request was answered: the plugin has recovered. A child that grew past its limit
// meanwhile is replaced before the next request. [call_mutex_]
void IsolatedPlugin::note_success() {
  {
    std::lock_guard state(state_mutex_);
    if (consecutive_failures_ != 0) {
      consecutive_failures_ = 0;
      message_.clear(); // recovered: the restarted child answered
    }
  }
  if (std::string overrun; memory_exceeded(overrun)) {
    drop_child(true);
    record_failure(Failure::memory, overrun);
  }
}

std::int32_t IsolatedPlugin::request(Poco::JSON::Object::Ptr message, const std::string &what,
                                     std::string &answer, bool &has_handler) {
  has_handler = true;
  const auto longest_hold = settings_.start_timeout + settings_.call_timeout + settings_.stop_timeout;
  std::unique_lock lock(call_mutex_, std::defer_lock);
  if (!lock.try_lock_for(longest_hold)) {
    answer = "plugin " + descriptor_.id + " is busy: other calls held it for " +
             std::to_string(longest_hold.count()) + " ms";
    return HEARTH_ERROR_STATE;
  }
  std::int32_t status = HEARTH_OK;
  if (!ensure_running(status, answer)) {
    return status;
  }
  Exchange result;
  std::string failure;
  Failure kind = Failure::crash;
  if (!exchange(std::move(message), settings_.call_timeout, what, result, failure, kind)) {
    answer = record_failure(kind, failure);
    return kind == Failure::timeout ? HEARTH_ERROR_TIMEOUT : HEARTH_ERROR_PLUGIN;
  }
  note_success();
  has_handler = result.has_handler;
  answer = std::move(result.text);
  return result.status;
}

std::int32_t IsolatedPlugin::call(const hearth_actor &actor, const std::string &operation,
                                  const std::string &args_json, std::string &answer, bool &has_handler) {
  Poco::JSON::Object::Ptr message = new Poco::JSON::Object;
  message->set("type", std::string("call"));
  message->set("actor", actor_to_json(actor));
  message->set("operation", operation);
  message->set("args", args_json);
  return request(message, "operation '" + operation + "'", answer, has_handler);
}

std::int32_t IsolatedPlugin::query(const std::string &name, const std::string &args_json, std::string &answer,
                                   bool &has_handler) {
  Poco::JSON::Object::Ptr message = new Poco::JSON::Object;
  message->set("type", std::string("query"));
  message->set("name", name);
  message->set("args", args_json);
  return request(message, "query '" + name + "'", answer, has_handler);
}

// True when an event in `events` matches a subscription of the child, or one a crashed
// child had. [any-thread]
bool IsolatedPlugin::wants_any(const hearth_event *const *events, uint32_t count) const {
  std::lock_guard lock(subscriptions_mutex_);
  const auto matches = [&](const std::string &event_type) {
    return std::any_of(events, events + count, [&](const hearth_event *event) {
      return event_type == "*" || event_type == event->type;
    });
  };
  return std::any_of(subscriptions_.begin(), subscriptions_.end(), [&](const auto &s) { return matches(s.second); }) ||
         std::any_of(lost_subscriptions_.begin(), lost_subscriptions_.end(), matches);
}

// The callback of the plugin's "*" subscription in the runtime's bus. [bus dispatcher]
int32_t IsolatedPlugin::on_bus_events(void *user_data, const hearth_event *const *events, uint32_t count) {
  auto &self = *static_cast<IsolatedPlugin *>(user_data);
  try {
    self.deliver_events(events, count);
  } catch (const std::exception &failure) {
    self.logger_->error("plugin {}: events not delivered: {}", self.descriptor_.id, failure.what());
  }
  return HEARTH_OK; // the child's own status is logged by deliver_events
}

// Delivers a batch from the bus to the child: one "event" request per subscription of the
// child that matches some of it, serialised with calls (call_mutex_), under call_timeout
// and with the same failure accounting as a call. A child that crashed with subscriptions
// is started again first when its restart is due. [bus dispatcher]
void IsolatedPlugin::deliver_events(const hearth_event *const *events, uint32_t count) {
  if (!wants_any(events, count)) {
    return;
  }
  const auto longest_hold = settings_.start_timeout + settings_.call_timeout + settings_.stop_timeout;
  std::unique_lock lock(call_mutex_, std::defer_lock);
  if (!lock.try_lock_for(longest_hold)) {
    logger_->warn("plugin {}: {} event(s) not delivered: other calls held it for {} ms", descriptor_.id, count,
                  longest_hold.count());
    return;
  }
  {
    std::lock_guard state(state_mutex_);
    if (stopped_ || failed_) {
      return;
    }
  }
  if (!child_) {
    std::int32_t status = HEARTH_OK;
    std::string why;
    if (!ensure_running(status, why)) {
      logger_->warn("plugin {}: {} event(s) not delivered: {}", descriptor_.id, count, why);
      return;
    }
  }
  std::vector<std::pair<std::uint64_t, std::string>> subscriptions;
  {
    std::lock_guard subscribed(subscriptions_mutex_);
    subscriptions.assign(subscriptions_.begin(), subscriptions_.end());
  }
  for (const auto &[id, event_type] : subscriptions) {
    Poco::JSON::Array::Ptr matching = new Poco::JSON::Array;
    for (uint32_t i = 0; i < count; ++i) {
      if (event_type == "*" || event_type == events[i]->type) {
        matching->add(event_to_json(*events[i], true));
      }
    }
    if (matching->size() == 0 || !child_) {
      continue;
    }
    {
      // Unsubscribed while an earlier subscription's events were delivered: skip it.
      std::lock_guard subscribed(subscriptions_mutex_);
      if (!subscriptions_.contains(id)) {
        continue;
      }
    }
    Poco::JSON::Object::Ptr message = new Poco::JSON::Object;
    message->set("type", std::string("event"));
    message->set("subscription", id);
    message->set("events", matching);
    Exchange result;
    std::string failure;
    Failure kind = Failure::crash;
    if (!exchange(message, settings_.call_timeout, "events of type '" + event_type + "'", result, failure, kind)) {
      record_failure(kind, failure);
      return;
    }
    if (result.status != HEARTH_OK) {
      logger_->warn("subscriber {} (subscription {}) returned status {} for {} event(s)", descriptor_.id, id,
                    result.status, matching->size());
    }
    note_success();
  }
}

void IsolatedPlugin::stop() {
  {
    std::lock_guard state(state_mutex_);
    if (stopped_) {
      return;
    }
    stopped_ = true;
  }
  // First the bus subscription, without call_mutex_: its callback may be waiting for it.
  std::uint64_t bus_subscription = 0;
  {
    std::lock_guard subscribed(subscriptions_mutex_);
    bus_subscription = std::exchange(bus_subscription_, 0);
  }
  if (bus_subscription != 0) {
    parent_host_->bus_unsubscribe(parent_host_, bus_subscription);
  }
  std::lock_guard lock(call_mutex_);
  if (!child_) {
    return;
  }
  Poco::JSON::Object::Ptr deinit = new Poco::JSON::Object;
  deinit->set("type", std::string("deinit"));
  Exchange result;
  std::string failure;
  Failure kind = Failure::crash;
  if (!exchange(deinit, settings_.stop_timeout, "deinit()", result, failure, kind)) {
    logger_->error("plugin {} {}", descriptor_.id, failure);
    return;
  }
  child_->close_socket();
  if (!child_->wait_for_exit(settings_.stop_timeout)) {
    logger_->warn("plugin {}: its process did not end within {} ms after deinit(); killed", descriptor_.id,
                  settings_.stop_timeout.count());
  }
  drop_child(false);
}

IsolatedPlugin::Health IsolatedPlugin::health() const {
  std::lock_guard lock(state_mutex_);
  return Health{failed_, message_, restarts_, failures_};
}

} // namespace hearth::isolation
