// The demo generator on its own: determinism, counts, a plausible and consistent ground
// truth, and no personal data.
#include <map>
#include <set>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "demo/civil_date.hpp"
#include "demo/demo_json.hpp"
#include "demo/demo_random.hpp"
#include "demo/generator.hpp"
#include "demo/tenancy_story.hpp"

namespace {

using namespace hearth::demo;

// Everything a run sends, as text: the record batches and the signals.
struct Generated {
  std::vector<std::string> record_batches;
  std::string signals;
};

// Generates `tenancies` from `seed` and renders it as the runtime would receive it.
Generated render(std::uint32_t tenancies, std::uint64_t seed) {
  const DemoNeighbourhood neighbourhood = generate_neighbourhood(tenancies, seed);
  Generated out;
  for_each_record_batch(neighbourhood, 1000,
                        [&](const std::string &json, std::size_t) { out.record_batches.push_back(json); });
  out.signals = signals_json(neighbourhood, 0, neighbourhood.signals.size());
  return out;
}

// The records of `generated`, parsed.
std::vector<Poco::JSON::Object::Ptr> parse_records(const Generated &generated) {
  std::vector<Poco::JSON::Object::Ptr> records;
  for (const auto &batch : generated.record_batches) {
    const auto array = Poco::JSON::Parser().parse(batch).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) {
      records.push_back(array->getObject(static_cast<unsigned>(i)));
    }
  }
  return records;
}

// 64-bit FNV-1a of `text`.
std::uint64_t fnv1a(const std::string &text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const unsigned char c : text) {
    hash = (hash ^ c) * 0x100000001b3ULL;
  }
  return hash;
}

TEST(DemoRandom, UsesTheStandardMersenneTwister) {
  // The C++ standard fixes the 10000th output of a default-seeded std::mt19937_64.
  DemoRandom random(5489);
  std::uint64_t value = 0;
  for (int i = 0; i < 10000; ++i) {
    value = random.next();
  }
  EXPECT_EQ(value, 9981545732273789042ULL);
}

TEST(DemoRandom, StaysWithinItsBounds) {
  DemoRandom random(42);
  std::set<std::int64_t> seen;
  for (int i = 0; i < 10000; ++i) {
    const std::int64_t value = random.between(-3, 3);
    ASSERT_GE(value, -3);
    ASSERT_LE(value, 3);
    seen.insert(value);
    ASSERT_LT(random.below(7), 7U);
  }
  EXPECT_EQ(seen.size(), 7U);
  EXPECT_EQ(random.below(1), 0U);
}

TEST(DemoGenerator, SameSeedGivesByteIdenticalRecordsAndSignals) {
  const Generated first = render(400, 7);
  const Generated second = render(400, 7);
  ASSERT_FALSE(first.record_batches.empty());
  EXPECT_EQ(first.record_batches, second.record_batches);
  EXPECT_EQ(first.signals, second.signals);
}

TEST(DemoGenerator, KnownSeedGivesTheKnownData) {
  // A fingerprint of (20 tenancies, seed 1): the same on every platform and standard
  // library. It changes only when the generator is changed on purpose; update it then.
  const Generated generated = render(20, 1);
  std::string all;
  for (const auto &batch : generated.record_batches) {
    all += batch;
  }
  all += generated.signals;
  EXPECT_EQ(fnv1a(all), 5819228702345871098ULL) << "fingerprint of the generated data";
}

TEST(DemoGenerator, DifferentSeedGivesDifferentData) {
  const Generated one = render(200, 1);
  const Generated two = render(200, 2);
  EXPECT_NE(one.record_batches, two.record_batches);
  EXPECT_NE(one.signals, two.signals);
}

TEST(DemoGenerator, NTenanciesGiveNUnitsTenanciesAndOutcomes) {
  for (const std::uint32_t n : {1U, 37U, 500U}) {
    const auto records = parse_records(render(n, 3));
    std::map<std::string, std::size_t> kinds;
    std::set<std::string> tenancy_ids;
    std::set<std::string> outcome_tenancies;
    for (const auto &record : records) {
      const std::string kind = record->getValue<std::string>("kind");
      ++kinds[kind];
      if (kind == "tenancy") {
        tenancy_ids.insert(record->getValue<std::string>("id"));
        EXPECT_EQ(record->getValue<std::string>("portfolio_owner").rfind("consultant-", 0), 0U);
        EXPECT_EQ(record->getValue<std::string>("tenant_user").rfind("tenant-", 0), 0U);
      }
      if (kind == "outcome") {
        outcome_tenancies.insert(record->getValue<std::string>("tenancy_id"));
      }
      if (kind == "unit") {
        EXPECT_EQ(record->getValue<std::string>("neighbourhood_code").rfind("BU", 0), 0U);
        EXPECT_EQ(record->getValue<std::string>("neighbourhood_code").size(), 10U);
      }
    }
    EXPECT_EQ(kinds["unit"], n);
    EXPECT_EQ(kinds["tenancy"], n);
    EXPECT_EQ(kinds["outcome"], n);
    EXPECT_GE(kinds["person"], n);
    EXPECT_EQ(tenancy_ids.size(), n);
    EXPECT_EQ(outcome_tenancies, tenancy_ids);
  }
}

TEST(DemoGenerator, RefusesZeroAndTooManyTenancies) {
  EXPECT_THROW(generate_neighbourhood(0, 1), std::invalid_argument);
  EXPECT_THROW(generate_neighbourhood(max_demo_tenancies + 1, 1), std::invalid_argument);
}

TEST(DemoGenerator, OutcomeMixIsPlausible) {
  const DemoNeighbourhood neighbourhood = generate_neighbourhood(500, 1);
  std::map<OutcomeKind, std::size_t> mix;
  for (const auto &outcome : neighbourhood.outcomes) {
    ++mix[outcome.kind];
  }
  for (const auto kind : {OutcomeKind::stable, OutcomeKind::help_accepted, OutcomeKind::notice_to_quit,
                          OutcomeKind::eviction}) {
    EXPECT_GE(mix[kind], 1U) << outcome_name(kind);
  }
  EXPECT_GT(mix[OutcomeKind::stable], 500U * 7 / 10) << "most tenancies stay quiet";
  EXPECT_LT(mix[OutcomeKind::eviction], 500U / 20) << "evictions are a small minority";
  EXPECT_LT(mix[OutcomeKind::eviction], mix[OutcomeKind::notice_to_quit] + mix[OutcomeKind::help_accepted]);
}

TEST(DemoGenerator, HistoriesAreConsistentWithTheirOutcomes) {
  const DemoNeighbourhood neighbourhood = generate_neighbourhood(2000, 5);
  const std::size_t n = neighbourhood.tenancies.size();
  std::vector<std::size_t> escalation_signals(n, 0);
  std::vector<std::int64_t> last_signal_ms(n, 0);
  std::vector<bool> bailiff(n, false);
  const std::int64_t first_ms = history_first_day() * ms_per_day;
  const std::int64_t last_ms = (history_last_day() + 2) * ms_per_day;
  std::int64_t previous_ms = 0;
  for (const auto &signal : neighbourhood.signals) {
    ASSERT_GE(signal.occurred_at_ms, previous_ms) << "signals are in time order";
    previous_ms = signal.occurred_at_ms;
    ASSERT_GE(signal.occurred_at_ms, first_ms);
    ASSERT_LT(signal.occurred_at_ms, last_ms);
    const DemoTenancy &tenancy = neighbourhood.tenancies[signal.tenancy];
    ASSERT_GT(signal.occurred_at_ms, std::int64_t{tenancy.start_day} * ms_per_day) << external_id(signal);
    const bool escalation = signal.kind == SignalKind::arrears_reported || signal.kind == SignalKind::bailiff ||
                            signal.kind == SignalKind::arrangement_broken || signal.kind == SignalKind::noise ||
                            signal.kind == SignalKind::nuisance || signal.kind == SignalKind::hoarding;
    escalation_signals[signal.tenancy] += escalation ? 1 : 0;
    last_signal_ms[signal.tenancy] = std::max(last_signal_ms[signal.tenancy], signal.occurred_at_ms);
    bailiff[signal.tenancy] = bailiff[signal.tenancy] || signal.kind == SignalKind::bailiff;
    const bool finance = signal.kind == SignalKind::arrears_early || signal.kind == SignalKind::arrears_reported ||
                         signal.kind == SignalKind::bailiff || signal.kind == SignalKind::arrangement ||
                         signal.kind == SignalKind::arrangement_broken;
    EXPECT_EQ(signal.amount_cents > 0, finance) << external_id(signal);
    EXPECT_EQ(signal.reporter >= 0, signal.kind == SignalKind::noise || signal.kind == SignalKind::nuisance)
        << external_id(signal);
    EXPECT_NE(signal.reporter, static_cast<std::int32_t>(signal.tenancy)) << "nobody reports themselves";
  }
  std::map<OutcomeKind, std::size_t> escalation_total, tenancies_of;
  for (std::size_t i = 0; i < n; ++i) {
    const DemoOutcome &outcome = neighbourhood.outcomes[i];
    const DemoTenancy &tenancy = neighbourhood.tenancies[i];
    escalation_total[outcome.kind] += escalation_signals[i];
    ++tenancies_of[outcome.kind];
    EXPECT_LE(outcome.decided_day, history_last_day());
    if (outcome.kind == OutcomeKind::eviction) {
      EXPECT_EQ(tenancy.end_day, outcome.decided_day) << "an eviction ends the tenancy";
    } else {
      EXPECT_EQ(tenancy.end_day, -1);
    }
    if (outcome.kind != OutcomeKind::stable) {
      // Nothing happens after the decision: help ends the trouble, notice and eviction
      // are the last word.
      EXPECT_LT(last_signal_ms[i], std::int64_t{outcome.decided_day} * ms_per_day) << tenancy_id(i);
      EXPECT_GE(escalation_signals[i] + (last_signal_ms[i] > 0 ? 1 : 0), 1U) << tenancy_id(i);
    }
  }
  // Mean escalation signals per tenancy rise with the severity of the outcome.
  auto mean = [&](OutcomeKind kind) {
    return static_cast<double>(escalation_total[kind]) / static_cast<double>(std::max<std::size_t>(1, tenancies_of[kind]));
  };
  EXPECT_LT(mean(OutcomeKind::stable), mean(OutcomeKind::help_accepted));
  EXPECT_LT(mean(OutcomeKind::help_accepted), mean(OutcomeKind::notice_to_quit));
  EXPECT_LT(mean(OutcomeKind::notice_to_quit), mean(OutcomeKind::eviction));
}

TEST(DemoGenerator, CarriesNoBsnAndOnlyPseudonymousIds) {
  const auto records = parse_records(render(300, 9));
  for (const auto &record : records) {
    EXPECT_FALSE(record->has("bsn"));
    if (record->has("id")) {
      const std::string id = record->getValue<std::string>("id");
      EXPECT_TRUE(id.rfind("unit-", 0) == 0 || id.rfind("tenancy-", 0) == 0 || id.rfind("person-", 0) == 0) << id;
    }
  }
}

} // namespace
