// The runtime's metrics, served at /metrics in the Prometheus text format (0.0.4):
// counters and gauges with labels, and request-latency histograms. Names and labels are
// checked, values never carry personal data (ids only where a metric needs them, and
// none today).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace hearth::metrics {

enum class Kind { counter, gauge, histogram };

class Registry {
public:
  Registry();

  // Declares metric `name` of `kind` with `help`. Declaring it again with the same kind is
  // harmless; with another kind throws std::invalid_argument. Throws std::invalid_argument
  // for a name outside [a-zA-Z_:][a-zA-Z0-9_:]*. [any-thread]
  void describe(const std::string &name, Kind kind, const std::string &help);

  // Adds `delta` (>= 0) to counter `name` with `labels` ("k=v,k2=v2", values without ','
  // or '='; may be empty). An undeclared name is declared as a counter without help.
  // Throws std::invalid_argument for a bad name, labels, a negative delta, or a name
  // declared as another kind. [any-thread]
  void add(const std::string &name, const std::string &labels, double delta = 1.0);

  // Sets gauge `name` with `labels` to `value`. As add() otherwise. [any-thread]
  void set(const std::string &name, const std::string &labels, double value);

  // Records one observation of histogram `name` (seconds) with `labels`. [any-thread]
  void observe(const std::string &name, const std::string &labels, double seconds);

  // Everything, in the Prometheus text exposition format. [any-thread]
  std::string render() const;

  // One series (a name with one label set), resolved once for a hot path such as the
  // HTTP server's per-request counters: updating through it skips the name and label
  // checks and look-ups. Opaque; valid as long as the registry lives (series are never
  // removed).
  struct Series;
  using SeriesHandle = Series *;

  // The series of `name` (declared as `kind` if new) with `labels`, created at zero when
  // absent. Throws std::invalid_argument as add(). [any-thread]
  SeriesHandle series(const std::string &name, Kind kind, const std::string &labels);
  // Adds `delta` (>= 0) to a counter's series. [any-thread]
  void add(SeriesHandle series, double delta = 1.0);
  // Records one observation of a histogram's series. [any-thread]
  void observe(SeriesHandle series, double seconds);

  struct Series {
    double value = 0;                    // counter, gauge: the value; histogram: the sum
    std::uint64_t count = 0;             // histogram: observations
    std::vector<std::uint64_t> buckets;  // histogram: cumulative per bound
  };

private:
  struct Family {
    Kind kind = Kind::counter;
    std::string help;
    std::map<std::string, Series> series; // by rendered label set: {k="v",...}
  };

  Family &family(const std::string &name, Kind kind);
  // Adds one observation to a histogram's series; the caller holds mutex_.
  void record(Series &series, double seconds);
  static std::string label_set(const std::string &labels);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
  std::vector<double> bounds_; // histogram bucket bounds in seconds
};

} // namespace hearth::metrics
