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

private:
  struct Series {
    double value = 0;                    // counter, gauge: the value; histogram: the sum
    std::uint64_t count = 0;             // histogram: observations
    std::vector<std::uint64_t> buckets;  // histogram: cumulative per bound
  };
  struct Family {
    Kind kind = Kind::counter;
    std::string help;
    std::map<std::string, Series> series; // by rendered label set: {k="v",...}
  };

  Family &family(const std::string &name, Kind kind);
  static std::string label_set(const std::string &labels);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
  std::vector<double> bounds_; // histogram bucket bounds in seconds
};

} // namespace hearth::metrics
