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

// Makes the runtime's logger from [log] level. Throws ConfigError for an unknown level.
std::shared_ptr<spdlog::logger> make_logger(const Config &config);

// Maps a hearth_log_level (hearth/host_services.h) to spdlog's; out-of-range values are
// treated as errors so that they are seen.
spdlog::level::level_enum to_spdlog_level(int hearth_level);

} // namespace hearth::runtime
