#include "ratio_reporter.hpp"

#include <cstdio>

namespace hearth::bench {
namespace {

// "runtime_ingest/sqlite/iterations:10/real_time" -> "runtime_ingest/sqlite".
std::string short_name(const std::string &name) {
  const auto first = name.find('/');
  if (first == std::string::npos) {
    return name;
  }
  const auto second = name.find('/', first + 1);
  return name.substr(0, second);
}

} // namespace

void RatioReporter::ReportRuns(const std::vector<Run> &reports) {
  benchmark::ConsoleReporter::ReportRuns(reports);
  for (const Run &run : reports) {
    if (run.error_occurred || run.run_type != Run::RT_Iteration) {
      continue;
    }
    const auto rate = run.counters.find("items_per_second");
    if (rate != run.counters.end()) {
      rates_[short_name(run.benchmark_name())] = rate->second.value;
    }
  }
}

void RatioReporter::Finalize() {
  benchmark::ConsoleReporter::Finalize();
  std::printf("\nrows/s relative to %s on the same database (target for runtime_ingest: >= 0.50)\n",
              baseline_.c_str());
  for (const auto &[name, rate] : rates_) {
    const auto slash = name.find('/');
    const std::string database = slash == std::string::npos ? "" : name.substr(slash + 1);
    const auto baseline = rates_.find(baseline_ + "/" + database);
    if (baseline == rates_.end() || baseline->second <= 0) {
      continue;
    }
    std::printf("  %-32s %10.0f rows/s  %5.2f x %s/%s (%.0f rows/s)\n", name.c_str(), rate,
                rate / baseline->second, baseline_.c_str(), database.c_str(), baseline->second);
  }
  std::fflush(stdout);
}

} // namespace hearth::bench
