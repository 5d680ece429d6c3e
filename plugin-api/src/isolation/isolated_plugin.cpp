#include "isolation/isolated_plugin.hpp"

#include <algorithm>

#include "hearth/status.h"
#include "isolation/child_process.hpp"
#include "isolation/frame.hpp"
#include "isolation/protocol.hpp"
#include "metrics/metrics.hpp"

namespace hearth::isolation {
namespace {

using Clock = std::chrono::steady_clock;

// How often the memory of a child that works on a request is looked at.
constexpr std::chrono::milliseconds kMemoryCheckInterval{50};

long long milliseconds_between(Clock::time_point from, Clock::time_point to) {
  return std::max<long long>(0, std::chrono::ceil<std::chrono::milliseconds>(to - from).count());
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

IsolatedPlugin::~IsolatedPlugin() { stop(); }

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
    child_.reset();
    failure = "init() returned status " + std::to_string(result.status) +
              (result.text.empty() ? std::string() : ": " + result.text);
    kind = Failure::start;
    return result.status;
  }
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

// Answers a request the child makes while it works on one of ours.
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
  } else {
    throw ProtocolError("the child sent a frame of unknown type '" + type + "'");
  }
  write_frame(child_->socket(), answer);
}

// Sends `message` and waits up to `timeout` for its result, serving the child meanwhile.
// On failure the child is gone (killed and reaped, child_ empty), `failure` says what
// happened and `kind` how.
bool IsolatedPlugin::exchange(Poco::JSON::Object::Ptr message, std::chrono::milliseconds timeout,
                              const std::string &what, Exchange &out, std::string &failure, Failure &kind) {
  const std::int64_t id = ++next_request_id_;
  message->set("id", id);
  const auto deadline = Clock::now() + timeout;
  try {
    if (memory_exceeded(failure)) {
      kind = Failure::memory;
      child_.reset();
      return false;
    }
    write_frame(child_->socket(), *message);
    for (;;) {
      const auto now = Clock::now();
      if (now >= deadline) {
        kind = Failure::timeout;
        failure = "did not answer " + what + " within " + std::to_string(timeout.count()) +
                  " ms (call_timeout_ms): stopped";
        child_.reset();
        return false;
      }
      const auto frame = read_frame(child_->socket(), std::min(deadline, now + kMemoryCheckInterval));
      if (!frame) {
        if (memory_exceeded(failure)) {
          kind = Failure::memory;
          child_.reset();
          return false;
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
      out.status = frame->optValue<std::int32_t>("status", HEARTH_ERROR_PLUGIN);
      out.text = text_field(*frame, "text");
      out.has_handler = frame->optValue<bool>("handler", true);
      return true;
    }
  } catch (const ChannelClosed &) {
    // Give a dying child the time to finish dying (a sanitizer report takes a moment).
    child_->wait_for_exit(settings_.stop_timeout);
    child_->kill();
    kind = Failure::crash;
    failure = "crashed: " + child_->ending();
    child_.reset();
    return false;
  } catch (const ProtocolError &error) {
    kind = Failure::protocol;
    failure = std::string("broke the protocol: ") + error.what() + ": stopped";
    child_.reset();
    return false;
  } catch (const Poco::Exception &error) {
    kind = Failure::protocol;
    failure = "broke the protocol: " + error.displayText() + ": stopped";
    child_.reset();
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
  {
    std::lock_guard state(state_mutex_);
    if (consecutive_failures_ != 0) {
      consecutive_failures_ = 0;
      message_.clear(); // recovered: the restarted child answered
    }
  }
  // The call finished; a child that grew past its limit meanwhile is replaced before the next.
  if (std::string overrun; memory_exceeded(overrun)) {
    child_.reset();
    record_failure(Failure::memory, overrun);
  }
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

void IsolatedPlugin::stop() {
  std::lock_guard lock(call_mutex_);
  {
    std::lock_guard state(state_mutex_);
    if (stopped_) {
      return;
    }
    stopped_ = true;
  }
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
  child_.reset();
}

IsolatedPlugin::Health IsolatedPlugin::health() const {
  std::lock_guard lock(state_mutex_);
  return Health{failed_, message_, restarts_, failures_};
}

} // namespace hearth::isolation
