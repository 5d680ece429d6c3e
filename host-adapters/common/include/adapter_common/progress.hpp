// Progress of long work (an import, a backtest): on a terminal one line redrawn in place
// with a bar, the count, the rate and the time left; otherwise (a log, a pipe) a plain
// line now and then. The one progress display of the `hearth` commands.
// Part of hearth_adapter_common. Since 0.1.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

namespace hearth::adapters {

// Reports progress to one stream. Not thread-safe: call from one thread.
class ProgressReporter {
public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `out` (borrowed, must outlive this) gets the lines; `terminal` picks the redrawn bar;
  // `total` is the number of records expected (0 when unknown: no bar and no ETA).
  // `clock` is for tests; the default is std::chrono::steady_clock::now.
  ProgressReporter(std::ostream &out, bool terminal, std::uint64_t total, Clock clock = {});

  // Starts a new unit of work (a file): the plain lines name it.
  void begin(const std::string &label, std::uint64_t total);
  // Records that `done` records of the current unit are processed. Redraws the bar at
  // most every 100 ms on a terminal; writes a plain line every 10% (or every 10,000
  // records when the total is unknown).
  void update(std::uint64_t done);
  // Ends the current unit with one final line (the bar is completed and ended by "\n").
  void finish();

  // The text shown for `done` of `total` after `elapsed` seconds, e.g.
  // "[#########...........] 4500/10000 45%  1500/s  ETA 0:04"; a rate below one per second
  // in tenths ("0.2/s", since 0.2). Exposed for tests.
  static std::string format_line(std::uint64_t done, std::uint64_t total, double elapsed_seconds, bool with_bar);
  // True when standard error is a terminal.
  static bool stderr_is_terminal();

private:
  std::ostream &out_;
  bool terminal_;
  Clock clock_;
  std::string label_;
  std::uint64_t total_ = 0, done_ = 0, last_plain_ = 0;
  std::chrono::steady_clock::time_point started_, last_draw_;
  bool drew_ = false;
};

} // namespace hearth::adapters
