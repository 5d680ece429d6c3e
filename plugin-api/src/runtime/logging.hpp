// The runtime's log: one spdlog logger per runtime, writing to standard error. Plugins'
// lines are tagged with the plugin's id. Lines never carry personal data: callers log ids
// and counts, never names, BSNs or care details.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

namespace hearth::runtime {

class Config;

// Makes the runtime's logger from [log]: level, file, format (text | json). Throws
// ConfigError naming the key for an unknown level or format or a file that cannot be
// opened.
std::shared_ptr<spdlog::logger> make_logger(const Config &config);

// The id of the HTTP request the calling thread is answering, put into every JSON log line
// written meanwhile (field "request_id"). The HTTP dispatcher sets it for the duration of
// a request; RequestScope restores the previous value. [any-thread] (thread-local)
class RequestScope {
public:
  explicit RequestScope(const std::string &request_id);
  ~RequestScope();
  RequestScope(const RequestScope &) = delete;
  RequestScope &operator=(const RequestScope &) = delete;

private:
  std::string previous_;
};
// The calling thread's current request id, "" outside a request.
const std::string &current_request_id();

// Maps a hearth_log_level (hearth/host_services.h) to spdlog's; out-of-range values are
// treated as errors so that they are seen.
spdlog::level::level_enum to_spdlog_level(int hearth_level);

} // namespace hearth::runtime
