// BSN redaction of log lines: the sink on its own, and the runtime's logger from
// make_logger (plugin-api/src/privacy/redacting_sink.hpp, runtime/logging.cpp).
#include "privacy/redacting_sink.hpp"

#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include "runtime/config.hpp"
#include "runtime/logging.hpp"

namespace {

using hearth::privacy::RedactingSink;

// A logger writing "<level> <message>" lines into `out` through a RedactingSink.
std::shared_ptr<spdlog::logger> redacting_logger(std::ostringstream &out) {
  auto sink = std::make_shared<RedactingSink>(
      std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  auto logger = std::make_shared<spdlog::logger>("privacy-test", sink);
  logger->set_pattern("%l %v");
  logger->set_level(spdlog::level::trace);
  return logger;
}

TEST(RedactingSink, RedactsAValidBsnAndKeepsTheRest) {
  std::ostringstream out;
  auto logger = redacting_logger(out);
  logger->info("case {} opened for {}", 42, "111222333");
  logger->flush();
  EXPECT_EQ(out.str(), "info case 42 opened for [BSN]\n");
}

TEST(RedactingSink, KeepsNumbersThatAreNotBsns) {
  std::ostringstream out;
  auto logger = redacting_logger(out);
  logger->info("ticket 123456789, order 1112223331");
  logger->flush();
  EXPECT_EQ(out.str(), "info ticket 123456789, order 1112223331\n");
}

TEST(RedactingSink, PassesThePatternToTheInnerSink) {
  std::ostringstream out;
  auto logger = redacting_logger(out);
  logger->set_pattern("[%n] %v");
  logger->error("bsn 111222333");
  logger->flush();
  EXPECT_EQ(out.str(), "[privacy-test] bsn [BSN]\n");
}

TEST(RedactingSink, RefusesANullInnerSink) {
  EXPECT_THROW(RedactingSink(nullptr), std::invalid_argument);
}

TEST(RuntimeLogger, WritesBsnsAsRedactedToStandardError) {
  const auto config = hearth::runtime::Config::load(std::nullopt);
  auto logger = hearth::runtime::make_logger(config);
  testing::internal::CaptureStderr();
  logger->error("tenant 111222333 at risk; case 7");
  logger->flush();
  const std::string written = testing::internal::GetCapturedStderr();
  EXPECT_NE(written.find("tenant [BSN] at risk; case 7"), std::string::npos) << written;
  EXPECT_EQ(written.find("111222333"), std::string::npos) << written;
}

} // namespace
