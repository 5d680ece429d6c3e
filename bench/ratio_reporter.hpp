// A console reporter that also remembers each benchmark's items_per_second and, at the
// end, prints every loop's rows/s as a fraction of the plain SOCI loop on the same
// database ("runtime_ingest/sqlite: 0.42 of plain_soci_insert/sqlite").
#pragma once

#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

namespace hearth::bench {

class RatioReporter : public benchmark::ConsoleReporter {
public:
  // The name of the baseline loop ("plain_soci_insert"); others are compared to it.
  explicit RatioReporter(std::string baseline) : baseline_(std::move(baseline)) {}

  // Prints the runs as the console reporter does and keeps their rates.
  void ReportRuns(const std::vector<Run> &reports) override;
  // Prints the ratio table after the console reporter's own end.
  void Finalize() override;

private:
  std::string baseline_;
  std::map<std::string, double> rates_; // "<loop>/<database>" -> rows per second
};

} // namespace hearth::bench
