#include "engine/backtest.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <tuple>

#include <Poco/JSON/Array.h>

#include "engine/scorer.hpp"

namespace hearth::early_warning {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

// Days from 1970-01-01 to the civil date (proleptic Gregorian), Howard Hinnant's method.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

double ratio(std::int64_t part, std::int64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

double rounded(double value) { return std::round(value * 10000.0) / 10000.0; }

// Confusion counts when every tenancy with a score of at least `threshold` is flagged.
struct Confusion {
  std::int64_t tp = 0, fp = 0, fn = 0, tn = 0;
};

Confusion confusion_at(const Evidence &evidence, std::int64_t threshold) {
  Confusion c;
  for (const auto &[score, counts] : evidence.scores) {
    if (score >= threshold) {
      c.tp += counts.first;
      c.fp += counts.second;
    } else {
      c.fn += counts.first;
      c.tn += counts.second;
    }
  }
  return c;
}

Poco::JSON::Object::Ptr confusion_json(const Confusion &c) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  out->set("true_positives", c.tp);
  out->set("false_positives", c.fp);
  out->set("false_negatives", c.fn);
  out->set("true_negatives", c.tn);
  out->set("precision", rounded(ratio(c.tp, c.tp + c.fp)));
  out->set("recall", rounded(ratio(c.tp, c.tp + c.fn)));
  out->set("false_positive_rate", rounded(ratio(c.fp, c.fp + c.tn)));
  return out;
}

std::int64_t integer(const Poco::JSON::Object::Ptr &json, const char *key) {
  if (!json->has(key) || !json->get(key).isInteger()) {
    throw std::invalid_argument(std::string("evidence.") + key + ": missing or not a whole number");
  }
  return json->getValue<std::int64_t>(key);
}

} // namespace

bool is_adverse(const std::string &outcome) { return outcome == "notice_to_quit" || outcome == "eviction"; }

std::int64_t parse_date_ms(const std::string &date) {
  unsigned y = 0, m = 0, d = 0;
  char tail = 0;
  if (date.size() != 10 || date[4] != '-' || date[7] != '-' ||
      std::sscanf(date.c_str(), "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1) {
    throw std::invalid_argument("'" + date + "' is not a date like 2025-12-31");
  }
  static const unsigned month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > month_days[m - 1] + (m == 2 && leap ? 1 : 0)) {
    throw std::invalid_argument("'" + date + "' is not a date like 2025-12-31");
  }
  return days_from_civil(y, m, d) * kDayMs;
}

Verdict judge(const RuleSet &rules, const LabelledHistory &history, std::int64_t from_ms, std::int64_t to_ms) {
  Verdict verdict;
  if (history.decided_ms < from_ms) {
    return verdict;
  }
  verdict.included = true;
  verdict.adverse = is_adverse(history.outcome);
  std::vector<const SignalInput *> order;
  for (const auto &s : history.signals) {
    order.push_back(&s);
  }
  std::stable_sort(order.begin(), order.end(), [](const SignalInput *a, const SignalInput *b) {
    return a->occurred_at_ms != b->occurred_at_ms ? a->occurred_at_ms < b->occurred_at_ms : a->seq < b->seq;
  });
  // The window ends at its end or at the decision, whichever comes first.
  const std::int64_t end_ms = std::min(to_ms, history.decided_ms);
  Scorer scorer(std::shared_ptr<const RuleSet>(&rules, [](const RuleSet *) {}));
  const std::uint32_t t = scorer.add_tenancy(history.tenancy_id, 0, true);
  auto consider = [&](std::int64_t score, std::int64_t at_ms) {
    verdict.max_score = std::max(verdict.max_score, score);
    const Level level = rules.level_of(score);
    if (level >= Level::amber && verdict.first_amber_ms < 0) {
      verdict.first_amber_ms = at_ms;
    }
    if (level == Level::red && verdict.first_red_ms < 0) {
      verdict.first_red_ms = at_ms;
    }
  };
  bool window_opened = false;
  for (const SignalInput *s : order) {
    if (s->occurred_at_ms >= end_ms) {
      break;
    }
    if (!window_opened && s->occurred_at_ms >= from_ms) {
      window_opened = true;
      consider(scorer.score_at(t, minute_of(from_ms)), from_ms); // what was still there at the start
    }
    const Applied applied = scorer.apply(t, rules.category_of(s->type, s->detail), minute_of(s->occurred_at_ms),
                                         s->severity, s->amount_cents);
    if (s->occurred_at_ms >= from_ms && applied.counted) {
      consider(applied.score, s->occurred_at_ms);
    }
  }
  if (!window_opened && from_ms < end_ms) {
    consider(scorer.score_at(t, minute_of(from_ms)), from_ms);
  }
  return verdict;
}

void Evidence::add(const LabelledHistory &history, const Verdict &verdict) {
  if (!verdict.included) {
    ++excluded;
    return;
  }
  auto &counts = scores[verdict.max_score];
  (verdict.adverse ? counts.first : counts.second) += 1;
  const bool red = verdict.first_red_ms >= 0;
  if (verdict.adverse && red) {
    lead_days.push_back((history.decided_ms - verdict.first_red_ms) / kDayMs);
  }
  ++outcomes[history.outcome];
  if (red) {
    ++red_by_outcome[history.outcome];
  }
  auto &area = neighbourhoods[history.neighbourhood];
  ++area.tenancies;
  area.red += red ? 1 : 0;
  area.adverse += verdict.adverse ? 1 : 0;
}

void Evidence::merge(const Evidence &other) {
  for (const auto &[score, counts] : other.scores) {
    scores[score].first += counts.first;
    scores[score].second += counts.second;
  }
  lead_days.insert(lead_days.end(), other.lead_days.begin(), other.lead_days.end());
  for (const auto &[outcome, n] : other.outcomes) {
    outcomes[outcome] += n;
  }
  for (const auto &[outcome, n] : other.red_by_outcome) {
    red_by_outcome[outcome] += n;
  }
  for (const auto &[code, area] : other.neighbourhoods) {
    neighbourhoods[code].tenancies += area.tenancies;
    neighbourhoods[code].red += area.red;
    neighbourhoods[code].adverse += area.adverse;
  }
  excluded += other.excluded;
  if (amber_from == 0 && red_from == 0) {
    amber_from = other.amber_from;
    red_from = other.red_from;
  }
}

Poco::JSON::Object::Ptr Evidence::to_json() const {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  out->set("amber_from", amber_from);
  out->set("red_from", red_from);
  out->set("excluded", excluded);
  Poco::JSON::Array::Ptr score_list = new Poco::JSON::Array;
  for (const auto &[score, counts] : scores) {
    Poco::JSON::Array::Ptr row = new Poco::JSON::Array;
    row->add(score);
    row->add(counts.first);
    row->add(counts.second);
    score_list->add(row);
  }
  out->set("scores", score_list);
  Poco::JSON::Array::Ptr leads = new Poco::JSON::Array;
  for (const auto days : lead_days) {
    leads->add(days);
  }
  out->set("lead_days", leads);
  Poco::JSON::Object::Ptr outcome_counts = new Poco::JSON::Object;
  for (const auto &[outcome, n] : outcomes) {
    outcome_counts->set(outcome, n);
  }
  out->set("outcomes", outcome_counts);
  Poco::JSON::Object::Ptr red_counts = new Poco::JSON::Object;
  for (const auto &[outcome, n] : red_by_outcome) {
    red_counts->set(outcome, n);
  }
  out->set("red_by_outcome", red_counts);
  Poco::JSON::Object::Ptr areas = new Poco::JSON::Object;
  for (const auto &[code, area] : neighbourhoods) {
    Poco::JSON::Array::Ptr row = new Poco::JSON::Array;
    row->add(area.tenancies);
    row->add(area.red);
    row->add(area.adverse);
    areas->set(code, row);
  }
  out->set("neighbourhoods", areas);
  return out;
}

Evidence Evidence::from_json(const Poco::JSON::Object::Ptr &json) {
  if (json.isNull()) {
    throw std::invalid_argument("evidence: not an object");
  }
  Evidence e;
  e.amber_from = integer(json, "amber_from");
  e.red_from = integer(json, "red_from");
  e.excluded = integer(json, "excluded");
  try {
    const auto score_list = json->getArray("scores");
    for (std::size_t i = 0; score_list && i < score_list->size(); ++i) {
      const auto row = score_list->getArray(static_cast<unsigned>(i));
      auto &counts = e.scores[row->getElement<std::int64_t>(0)];
      counts.first += row->getElement<std::int64_t>(1);
      counts.second += row->getElement<std::int64_t>(2);
    }
    const auto leads = json->getArray("lead_days");
    for (std::size_t i = 0; leads && i < leads->size(); ++i) {
      e.lead_days.push_back(leads->getElement<std::int64_t>(static_cast<unsigned>(i)));
    }
    for (const char *key : {"outcomes", "red_by_outcome"}) {
      const auto counts = json->getObject(key);
      if (!counts) {
        continue;
      }
      for (const auto &[outcome, n] : *counts) {
        (std::string(key) == "outcomes" ? e.outcomes : e.red_by_outcome)[outcome] = n.convert<std::int64_t>();
      }
    }
    if (const auto areas = json->getObject("neighbourhoods")) {
      for (const auto &[code, value] : *areas) {
        const auto row = value.extract<Poco::JSON::Array::Ptr>();
        e.neighbourhoods[code] = {row->getElement<std::int64_t>(0), row->getElement<std::int64_t>(1),
                                  row->getElement<std::int64_t>(2)};
      }
    }
  } catch (const Poco::Exception &failure) {
    throw std::invalid_argument("evidence: malformed (" + failure.displayText() + ")");
  } catch (const std::bad_cast &) {
    throw std::invalid_argument("evidence: malformed");
  }
  return e;
}

Poco::JSON::Object::Ptr backtest_report(const Evidence &evidence, std::int64_t top_k) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  std::int64_t population = 0;
  std::int64_t adverse = 0;
  for (const auto &[score, counts] : evidence.scores) {
    population += counts.first + counts.second;
    adverse += counts.first;
  }
  out->set("tenancies", population);
  out->set("excluded_decided_before_window", evidence.excluded);
  out->set("adverse_outcomes", adverse);
  out->set("prevalence", rounded(ratio(adverse, population)));
  out->set("amber_from", evidence.amber_from);
  out->set("red_from", evidence.red_from);
  out->set("at_red", confusion_json(confusion_at(evidence, evidence.red_from)));
  out->set("at_amber", confusion_json(confusion_at(evidence, evidence.amber_from)));

  // Top k by score; a tie at the boundary counts in proportion.
  const std::int64_t k = std::min(top_k > 0 ? top_k : adverse, population);
  double taken = 0, hits = 0;
  for (auto it = evidence.scores.rbegin(); it != evidence.scores.rend() && taken < static_cast<double>(k); ++it) {
    const double band = static_cast<double>(it->second.first + it->second.second);
    const double share = std::min(1.0, (static_cast<double>(k) - taken) / band);
    taken += band * share;
    hits += static_cast<double>(it->second.first) * share;
  }
  Poco::JSON::Object::Ptr top = new Poco::JSON::Object;
  top->set("k", k);
  top->set("precision", rounded(k == 0 ? 0.0 : hits / static_cast<double>(k)));
  top->set("recall", rounded(adverse == 0 ? 0.0 : hits / static_cast<double>(adverse)));
  out->set("top_k", top);

  // Lead time from the first red to notice to quit or eviction.
  std::vector<std::int64_t> leads = evidence.lead_days;
  std::sort(leads.begin(), leads.end());
  Poco::JSON::Object::Ptr lead = new Poco::JSON::Object;
  lead->set("count", leads.size());
  if (leads.empty()) {
    lead->set("median_days", Poco::Dynamic::Var());
  } else {
    const std::size_t n = leads.size();
    lead->set("median_days", n % 2 == 1 ? static_cast<double>(leads[n / 2])
                                       : (static_cast<double>(leads[n / 2 - 1]) + static_cast<double>(leads[n / 2])) / 2.0);
  }
  Poco::JSON::Array::Ptr lead_bins = new Poco::JSON::Array;
  for (std::int64_t from = 0; from < 360; from += 30) {
    const bool last = from + 30 >= 360;
    Poco::JSON::Object::Ptr bin = new Poco::JSON::Object;
    bin->set("from_days", from);
    bin->set("to_days", last ? Poco::Dynamic::Var() : Poco::Dynamic::Var(from + 30));
    bin->set("count", std::count_if(leads.begin(), leads.end(),
                                   [&](std::int64_t d) { return d >= from && (last || d < from + 30); }));
    lead_bins->add(bin);
  }
  lead->set("histogram", lead_bins);
  out->set("lead_time", lead);

  // Calibration and distribution by score band of 10 points.
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> bands;
  for (const auto &[score, counts] : evidence.scores) {
    auto &band = bands[std::min<std::int64_t>(score / 10, 10)];
    band.first += counts.first;
    band.second += counts.second;
  }
  Poco::JSON::Array::Ptr calibration = new Poco::JSON::Array;
  for (const auto &[band, counts] : bands) {
    Poco::JSON::Object::Ptr row = new Poco::JSON::Object;
    row->set("from_score", band * 10);
    row->set("to_score", band == 10 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(band * 10 + 10));
    row->set("tenancies", counts.first + counts.second);
    row->set("adverse", counts.first);
    row->set("observed_rate", rounded(ratio(counts.first, counts.first + counts.second)));
    calibration->add(row);
  }
  out->set("calibration", calibration);
  Poco::JSON::Array::Ptr by_level = new Poco::JSON::Array;
  for (const auto &[name, low, high] : {std::tuple{"green", std::int64_t{0}, evidence.amber_from},
                                        std::tuple{"amber", evidence.amber_from, evidence.red_from},
                                        std::tuple{"red", evidence.red_from, INT64_MAX}}) {
    std::int64_t n = 0, a = 0;
    for (const auto &[score, counts] : evidence.scores) {
      if (score >= low && score < high) {
        n += counts.first + counts.second;
        a += counts.first;
      }
    }
    Poco::JSON::Object::Ptr row = new Poco::JSON::Object;
    row->set("level", name);
    row->set("tenancies", n);
    row->set("adverse", a);
    row->set("observed_rate", rounded(ratio(a, n)));
    by_level->add(row);
  }
  out->set("calibration_by_level", by_level);

  // Precision and recall at every threshold that changes them, highest first.
  Poco::JSON::Array::Ptr curve = new Poco::JSON::Array;
  std::int64_t tp = 0, fp = 0;
  for (auto it = evidence.scores.rbegin(); it != evidence.scores.rend(); ++it) {
    tp += it->second.first;
    fp += it->second.second;
    Poco::JSON::Object::Ptr point = new Poco::JSON::Object;
    point->set("threshold", it->first);
    point->set("precision", rounded(ratio(tp, tp + fp)));
    point->set("recall", rounded(ratio(tp, adverse)));
    curve->add(point);
  }
  out->set("precision_recall", curve);

  // Outcomes, and how many of each went red.
  Poco::JSON::Array::Ptr outcomes = new Poco::JSON::Array;
  for (const auto &[outcome, n] : evidence.outcomes) {
    Poco::JSON::Object::Ptr row = new Poco::JSON::Object;
    row->set("outcome", outcome);
    row->set("tenancies", n);
    const auto red = evidence.red_by_outcome.count(outcome) != 0 ? evidence.red_by_outcome.at(outcome) : 0;
    row->set("red", red);
    row->set("red_rate", rounded(ratio(red, n)));
    outcomes->add(row);
  }
  out->set("outcomes", outcomes);

  // Disparity: the red-flag rate per neighbourhood against the overall rate.
  std::int64_t all_red = 0;
  for (const auto &[code, area] : evidence.neighbourhoods) {
    all_red += area.red;
  }
  const double overall = ratio(all_red, population);
  Poco::JSON::Array::Ptr areas = new Poco::JSON::Array;
  for (const auto &[code, area] : evidence.neighbourhoods) {
    Poco::JSON::Object::Ptr row = new Poco::JSON::Object;
    row->set("neighbourhood", code);
    row->set("tenancies", area.tenancies);
    row->set("red", area.red);
    row->set("red_rate", rounded(ratio(area.red, area.tenancies)));
    row->set("adverse_rate", rounded(ratio(area.adverse, area.tenancies)));
    row->set("red_rate_ratio", rounded(overall == 0 ? 0.0 : ratio(area.red, area.tenancies) / overall));
    areas->add(row);
  }
  out->set("neighbourhoods", areas);
  out->set("overall_red_rate", rounded(overall));
  return out;
}

} // namespace hearth::early_warning
