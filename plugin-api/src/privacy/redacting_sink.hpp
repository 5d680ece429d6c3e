// An spdlog sink that removes BSNs from every message before another sink writes it, so
// that no log line carries a citizen service number, whoever logged it.
#pragma once

#include <memory>
#include <string>

#include <spdlog/sinks/sink.h>

namespace hearth::privacy {

class RedactingSink final : public spdlog::sinks::sink {
public:
  // Forwards to `inner` (which must not be null; throws std::invalid_argument otherwise).
  explicit RedactingSink(spdlog::sink_ptr inner);

  // Writes `msg` through the inner sink with its payload passed through redact_bsns.
  void log(const spdlog::details::log_msg &msg) override;
  // Flushes the inner sink.
  void flush() override;
  // Sets the inner sink's pattern (the logger calls this on every sink it owns).
  void set_pattern(const std::string &pattern) override;
  // Sets the inner sink's formatter.
  void set_formatter(std::unique_ptr<spdlog::formatter> sink_formatter) override;

private:
  spdlog::sink_ptr inner_;
};

} // namespace hearth::privacy
