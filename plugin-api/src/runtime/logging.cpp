#include "runtime/logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "hearth/host_services.h"
#include "privacy/redacting_sink.hpp"
#include "runtime/config.hpp"

namespace hearth::runtime {

std::shared_ptr<spdlog::logger> make_logger(const Config &config) {
  const std::string level_name = config.get("log.level", "info");
  const auto level = spdlog::level::from_str(level_name);
  if (level == spdlog::level::off && level_name != "off") {
    throw ConfigError(config.origin_of("log.level") + ": log.level: '" + level_name +
                      "' is not one of trace, debug, info, warn, error, off");
  }
  // Every line passes through redact_bsns before it reaches standard error or the file.
  std::vector<spdlog::sink_ptr> sinks{
      std::make_shared<privacy::RedactingSink>(std::make_shared<spdlog::sinks::stderr_sink_mt>())};
  if (const auto file = config.find("log.file")) {
    try {
      sinks.push_back(std::make_shared<privacy::RedactingSink>(
          std::make_shared<spdlog::sinks::basic_file_sink_mt>(*file, false)));
    } catch (const spdlog::spdlog_ex &e) {
      throw ConfigError(config.origin_of("log.file") + ": log.file: cannot be opened: " + e.what());
    }
  }
  auto logger = std::make_shared<spdlog::logger>("hearth", sinks.begin(), sinks.end());
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l [%n] %v");
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  return logger;
}

spdlog::level::level_enum to_spdlog_level(int hearth_level) {
  switch (hearth_level) {
  case HEARTH_LOG_TRACE: return spdlog::level::trace;
  case HEARTH_LOG_DEBUG: return spdlog::level::debug;
  case HEARTH_LOG_INFO: return spdlog::level::info;
  case HEARTH_LOG_WARN: return spdlog::level::warn;
  default: return spdlog::level::err;
  }
}

} // namespace hearth::runtime
