#include "metrics/metrics.hpp"

#include <cctype>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace hearth::metrics {
namespace {

bool valid_name(const std::string &name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const bool ok = std::isalpha(c) || c == '_' || c == ':' || (i > 0 && std::isdigit(c));
    if (!ok) return false;
  }
  return true;
}

bool valid_label_name(const std::string &name) {
  return valid_name(name) && name.find(':') == std::string::npos && name.rfind("__", 0) != 0;
}

std::string escaped(const std::string &value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out.push_back(c);
  }
  return out;
}

std::string number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  std::ostringstream out;
  out << std::setprecision(15) << value;
  return out.str();
}

const char *kind_name(Kind kind) {
  switch (kind) {
  case Kind::counter: return "counter";
  case Kind::gauge: return "gauge";
  default: return "histogram";
  }
}

// `label_set` ("{a="1"}" or "") with one more label appended.
std::string with_label(const std::string &label_set, const std::string &name, const std::string &value) {
  const std::string extra = name + "=\"" + value + "\"";
  if (label_set.empty()) return "{" + extra + "}";
  return label_set.substr(0, label_set.size() - 1) + "," + extra + "}";
}

} // namespace

Registry::Registry() : bounds_{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10} {}

std::string Registry::label_set(const std::string &labels) {
  if (labels.empty()) return {};
  std::map<std::string, std::string> pairs;
  std::istringstream in(labels);
  for (std::string pair; std::getline(in, pair, ',');) {
    const auto equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw std::invalid_argument("labels: '" + pair + "' is not name=value");
    }
    const std::string name = pair.substr(0, equals);
    if (!valid_label_name(name)) {
      throw std::invalid_argument("labels: '" + name + "' is not a label name");
    }
    pairs[name] = pair.substr(equals + 1);
  }
  std::string out = "{";
  for (const auto &[name, value] : pairs) {
    if (out.size() > 1) out += ",";
    out += name + "=\"" + escaped(value) + "\"";
  }
  return out + "}";
}

Registry::Family &Registry::family(const std::string &name, Kind kind) {
  if (!valid_name(name)) {
    throw std::invalid_argument("name: '" + name + "' is not a metric name");
  }
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) {
    it->second.kind = kind;
  } else if (it->second.kind != kind) {
    throw std::invalid_argument("name: '" + name + "' is a " + kind_name(it->second.kind) + ", not a " +
                                kind_name(kind));
  }
  return it->second;
}

void Registry::describe(const std::string &name, Kind kind, const std::string &help) {
  std::lock_guard lock(mutex_);
  auto &f = family(name, kind);
  std::string clean;
  for (const char c : help) clean.push_back(c == '\n' ? ' ' : c);
  f.help = clean;
}

void Registry::add(const std::string &name, const std::string &labels, double delta) {
  if (!(delta >= 0)) {
    throw std::invalid_argument("delta: a counter only goes up");
  }
  const std::string set = label_set(labels);
  std::lock_guard lock(mutex_);
  family(name, Kind::counter).series[set].value += delta;
}

void Registry::set(const std::string &name, const std::string &labels, double value) {
  const std::string set = label_set(labels);
  std::lock_guard lock(mutex_);
  family(name, Kind::gauge).series[set].value = value;
}

void Registry::observe(const std::string &name, const std::string &labels, double seconds) {
  const std::string set = label_set(labels);
  std::lock_guard lock(mutex_);
  record(family(name, Kind::histogram).series[set], seconds);
}

void Registry::record(Series &series, double seconds) {
  if (series.buckets.empty()) series.buckets.assign(bounds_.size(), 0);
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (seconds <= bounds_[i]) ++series.buckets[i];
  }
  ++series.count;
  series.value += seconds;
}

Registry::SeriesHandle Registry::series(const std::string &name, Kind kind, const std::string &labels) {
  const std::string set = label_set(labels);
  std::lock_guard lock(mutex_);
  return &family(name, kind).series[set]; // std::map nodes never move, and none is erased
}

void Registry::add(SeriesHandle series, double delta) {
  if (series == nullptr || !(delta >= 0)) {
    throw std::invalid_argument("delta: a counter only goes up");
  }
  std::lock_guard lock(mutex_);
  series->value += delta;
}

void Registry::observe(SeriesHandle series, double seconds) {
  if (series == nullptr) {
    throw std::invalid_argument("series: missing");
  }
  std::lock_guard lock(mutex_);
  record(*series, seconds);
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  for (const auto &[name, f] : families_) {
    if (!f.help.empty()) out << "# HELP " << name << ' ' << f.help << '\n';
    out << "# TYPE " << name << ' ' << kind_name(f.kind) << '\n';
    for (const auto &[labels, series] : f.series) {
      if (f.kind != Kind::histogram) {
        out << name << labels << ' ' << number(series.value) << '\n';
        continue;
      }
      for (std::size_t i = 0; i < bounds_.size(); ++i) {
        out << name << "_bucket" << with_label(labels, "le", number(bounds_[i])) << ' ' << series.buckets[i] << '\n';
      }
      out << name << "_bucket" << with_label(labels, "le", "+Inf") << ' ' << series.count << '\n';
      out << name << "_sum" << labels << ' ' << number(series.value) << '\n';
      out << name << "_count" << labels << ' ' << series.count << '\n';
    }
  }
  return out.str();
}

} // namespace hearth::metrics
