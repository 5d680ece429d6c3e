#include "commands/backtest/progress_bar.hpp"

#include <cstdio>

#include <unistd.h>

namespace hearth::cli {

ProgressBar::ProgressBar(std::size_t total, std::string what)
    : total_(total == 0 ? 1 : total), what_(std::move(what)), enabled_(::isatty(STDERR_FILENO) == 1) {}

void ProgressBar::update(std::size_t done) {
  if (!enabled_) {
    return;
  }
  constexpr std::size_t width = 30;
  const std::size_t filled = done * width / total_;
  std::string bar(filled, '#');
  bar.append(width - filled, '.');
  std::fprintf(stderr, "\r[%s] %zu/%zu %s", bar.c_str(), done, total_, what_.c_str());
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (enabled_) {
    std::fputc('\n', stderr);
  }
}

} // namespace hearth::cli
