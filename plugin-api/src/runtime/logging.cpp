#include "runtime/logging.hpp"

#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <spdlog/details/fmt_helper.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "hearth/host_services.h"
#include "privacy/redacting_sink.hpp"
#include "runtime/config.hpp"

namespace hearth::runtime {

namespace {

thread_local std::string request_id_of_thread;

// One JSON object per line: time (UTC, ISO 8601 with milliseconds), level, message, and
// when known the plugin that logged it and the request being answered. The message passes
// through the redacting sink first like every text line; Poco writes the JSON.
class JsonLineFormatter final : public spdlog::formatter {
public:
  void format(const spdlog::details::log_msg &msg, spdlog::memory_buf_t &dest) override {
    std::string_view text(msg.payload.data(), msg.payload.size());
    Poco::JSON::Object line(Poco::JSON_PRESERVE_KEY_ORDER);
    line.set("time", time_text(msg.time));
    line.set("level", std::string(spdlog::level::to_string_view(msg.level).data(),
                                  spdlog::level::to_string_view(msg.level).size()));
    // Plugins' lines arrive as "[<plugin id>] message" (loader/host_table.cpp).
    if (text.size() > 2 && text.front() == '[') {
      const auto end = text.find("] ");
      if (end != std::string_view::npos && text.find(' ') > end) {
        line.set("plugin", std::string(text.substr(1, end - 1)));
        text.remove_prefix(end + 2);
      }
    }
    line.set("message", std::string(text));
    if (!request_id_of_thread.empty()) {
      line.set("request_id", request_id_of_thread);
    }
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(line, out);
    const std::string json = out.str();
    dest.append(json.data(), json.data() + json.size());
    dest.push_back('\n');
  }

  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonLineFormatter>(); }

private:
  static std::string time_text(spdlog::log_clock::time_point at) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    const auto used = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    return std::string(text, used) + "." + std::to_string(1000 + ms % 1000).substr(1) + "Z";
  }
};

} // namespace

RequestScope::RequestScope(const std::string &request_id) : previous_(request_id_of_thread) {
  request_id_of_thread = request_id;
}

RequestScope::~RequestScope() { request_id_of_thread = previous_; }

const std::string &current_request_id() { return request_id_of_thread; }

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
  const std::string format = config.get("log.format", "text");
  if (format == "json") {
    logger->set_formatter(std::make_unique<JsonLineFormatter>());
  } else if (format == "text") {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l [%n] %v");
  } else {
    throw ConfigError(config.origin_of("log.format") + ": log.format: '" + format +
                      "' is not one of text, json");
  }
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
