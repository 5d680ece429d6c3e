#include "adapter_common/progress.hpp"

#include <cstdio>
#include <sstream>

#include <unistd.h>

namespace hearth::adapters {
namespace {

constexpr int kBarWidth = 24;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
constexpr std::uint64_t kPlainEveryUnknown = 10'000;

// "1:05:09" or "4:09" for a number of seconds.
std::string clock_text(double seconds) {
  const auto whole = static_cast<std::uint64_t>(seconds + 0.5);
  const std::uint64_t hours = whole / 3600, minutes = whole / 60 % 60, secs = whole % 60;
  char buffer[32];
  if (hours > 0) {
    std::snprintf(buffer, sizeof buffer, "%llu:%02llu:%02llu", static_cast<unsigned long long>(hours),
                  static_cast<unsigned long long>(minutes), static_cast<unsigned long long>(secs));
  } else {
    std::snprintf(buffer, sizeof buffer, "%llu:%02llu", static_cast<unsigned long long>(minutes),
                  static_cast<unsigned long long>(secs));
  }
  return buffer;
}

} // namespace

ProgressReporter::ProgressReporter(std::ostream &out, bool terminal, std::uint64_t total, Clock clock)
    : out_(out), terminal_(terminal), clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })),
      total_(total) {
  started_ = last_draw_ = clock_();
}

void ProgressReporter::begin(const std::string &label, std::uint64_t total) {
  label_ = label;
  total_ = total;
  done_ = last_plain_ = 0;
  drew_ = false;
  started_ = last_draw_ = clock_();
}

std::string ProgressReporter::format_line(std::uint64_t done, std::uint64_t total, double elapsed_seconds,
                                          bool with_bar) {
  std::ostringstream line;
  if (with_bar && total > 0) {
    const auto filled = static_cast<int>(std::min<std::uint64_t>(done, total) * kBarWidth / total);
    line << '[' << std::string(static_cast<std::size_t>(filled), '#')
         << std::string(static_cast<std::size_t>(kBarWidth - filled), '.') << "] ";
  }
  line << done;
  if (total > 0) {
    line << '/' << total << ' ' << (std::min<std::uint64_t>(done, total) * 100 / total) << '%';
  }
  const double rate = elapsed_seconds > 0 ? static_cast<double>(done) / elapsed_seconds : 0.0;
  if (rate > 0 && rate < 0.95) {
    // Slow work (a backtest's parts): tenths, so that the rate does not read as zero.
    char tenths[16];
    std::snprintf(tenths, sizeof tenths, "%.1f", rate);
    line << "  " << tenths << "/s";
  } else {
    line << "  " << static_cast<std::uint64_t>(rate + 0.5) << "/s";
  }
  if (total > 0 && rate > 0 && done < total) {
    line << "  ETA " << clock_text(static_cast<double>(total - done) / rate);
  }
  return line.str();
}

bool ProgressReporter::stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

void ProgressReporter::update(std::uint64_t done) {
  done_ = done;
  const auto now = clock_();
  const double elapsed = std::chrono::duration<double>(now - started_).count();
  if (terminal_) {
    if (drew_ && now - last_draw_ < kRedrawInterval) {
      return;
    }
    last_draw_ = now;
    drew_ = true;
    out_ << '\r' << label_ << ' ' << format_line(done, total_, elapsed, true) << "\x1b[K" << std::flush;
    return;
  }
  const std::uint64_t step = total_ > 0 ? std::max<std::uint64_t>(total_ / 10, 1) : kPlainEveryUnknown;
  if (done >= last_plain_ + step && done < total_) {
    last_plain_ = done - done % step;
    out_ << label_ << ": " << format_line(done, total_, elapsed, false) << '\n' << std::flush;
  } else if (total_ == 0 && done >= last_plain_ + step) {
    last_plain_ = done - done % step;
    out_ << label_ << ": " << format_line(done, total_, elapsed, false) << '\n' << std::flush;
  }
}

void ProgressReporter::finish() {
  const double elapsed = std::chrono::duration<double>(clock_() - started_).count();
  if (terminal_) {
    out_ << '\r' << label_ << ' ' << format_line(done_, total_, elapsed, true) << "\x1b[K\n" << std::flush;
  } else {
    out_ << label_ << ": " << format_line(done_, total_, elapsed, false) << " done\n" << std::flush;
  }
}

} // namespace hearth::adapters
