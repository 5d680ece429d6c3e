// The BSN-redacting spdlog sink (see redacting_sink.hpp).
#include "privacy/redacting_sink.hpp"

#include <stdexcept>
#include <utility>

#include "privacy/bsn.hpp"

namespace hearth::privacy {

RedactingSink::RedactingSink(spdlog::sink_ptr inner) : inner_(std::move(inner)) {
  if (!inner_) {
    throw std::invalid_argument("RedactingSink: the inner sink is null");
  }
}

void RedactingSink::log(const spdlog::details::log_msg &msg) {
  // Only the payload is redacted: the pattern's own fields (time, level, logger name)
  // carry no personal data.
  const std::string redacted =
      redact_bsns(std::string_view(msg.payload.data(), msg.payload.size()));
  spdlog::details::log_msg copy = msg;
  copy.payload = spdlog::string_view_t(redacted.data(), redacted.size());
  inner_->log(copy);
}

void RedactingSink::flush() { inner_->flush(); }

void RedactingSink::set_pattern(const std::string &pattern) { inner_->set_pattern(pattern); }

void RedactingSink::set_formatter(std::unique_ptr<spdlog::formatter> sink_formatter) {
  inner_->set_formatter(std::move(sink_formatter));
}

} // namespace hearth::privacy
