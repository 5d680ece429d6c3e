// The plugin's scoring in a real runtime on SQLite and PostgreSQL: incremental scores
// equal a full rescore and a restart; the switches (off, per neighbourhood, pilot); the
// rule loader's refusals stop the plugin with the reason; a changed rule set needs a new
// version and never rewrites old flags.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include <hearth/event.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "ew_runtime.hpp"
#include "history_generator.hpp"
#include "rule_files.hpp"

using namespace hearth::test;
using namespace hearth::test::early_warning;

namespace {

std::string read_file(const std::filesystem::path &file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every tenancy's current level and score, and its flags' ids and statuses, as a
// consultant who owns them all sees them.
std::string snapshot(EwRuntime &runtime, std::size_t tenancies) {
  const auto consultant = person("housing_consultant", "consultant-1");
  std::string out;
  for (std::size_t t = 1; t <= tenancies; ++t) {
    const auto answer =
        object_of(runtime.ok(consultant, "flags.for-tenancy", R"({"tenancy_id":"T-)" + std::to_string(t) + R"("})"));
    out += "T-" + std::to_string(t) + ":";
    if (!answer->isNull("current")) {
      out += answer->getObject("current")->getValue<std::string>("level") + "/" +
             std::to_string(answer->getObject("current")->getValue<std::int64_t>("score"));
    }
    const auto flags = answer->getArray("flags");
    for (std::size_t i = 0; i < flags->size(); ++i) {
      out += " " + flags->getObject(static_cast<unsigned>(i))->getValue<std::string>("id");
    }
    out += "\n";
  }
  return out;
}

class EarlyWarningScoring : public EwTest {
protected:
  void SetUp() override {
    if (!open_store()) {
      return;
    }
  }
  hearth::test::ScratchDir files_;
  hearth_actor admin_ = person("administrator", "admin-1");
  hearth_actor consultant_ = person("housing_consultant", "consultant-1");
};

} // namespace

TEST_P(EarlyWarningScoring, IncrementalEqualsFullRescoreAndRestartOnGeneratedHistories) {
  constexpr std::size_t tenancies = 30;
  std::string before;
  // Every flag the episode rule raises is kept here, however old, so that the restart
  // below must find the same ones.
  const std::string keep_all = "flag_max_age_days = 3650";
  {
    EwRuntime runtime(store_->store(), keep_all);
    for (std::size_t t = 1; t <= tenancies; ++t) {
      runtime.add_tenancy("T-" + std::to_string(t), "consultant-1", "tenant-" + std::to_string(t));
    }
    // Two years of history ending now, arriving in batches of 50, times out of order.
    auto history = generate_history(7, tenancies, 1'500);
    std::int64_t last = 0;
    for (const auto &s : history) {
      last = std::max(last, s.input.occurred_at_ms);
    }
    std::vector<SignalSpec> batch;
    std::int64_t ingested = 0;
    for (const auto &s : history) {
      if (s.input.type == "ONB") {
        continue; // care data: the system role may not create it, and no rule set reads it
      }
      ++ingested;
      SignalSpec signal = spec(s.tenancy, "g-" + std::to_string(s.input.seq), s.input.type, s.input.detail, 0,
                               s.input.amount_cents, s.input.severity);
      signal.occurred_at_ms = s.input.occurred_at_ms - last + kNowMs;
      batch.push_back(signal);
      if (batch.size() == 50) {
        runtime.ingest(batch);
        batch.clear();
      }
    }
    runtime.ingest(batch);
    before = snapshot(runtime, tenancies);
    const auto full = object_of(runtime.ok(admin_, "score.full"));
    EXPECT_EQ(full->getValue<std::int64_t>("changed"), 0) << "incremental and full scores differ";
    EXPECT_EQ(full->getValue<std::int64_t>("flags_stored"), 0) << "the full rescore found flags the increments missed";
    EXPECT_EQ(full->getValue<std::int64_t>("signals"), ingested);
    EXPECT_GT(full->getValue<std::int64_t>("raises"), 0);
    EXPECT_EQ(snapshot(runtime, tenancies), before);
    const auto verified = object_of(runtime.ok(person("auditor", "auditor-1"), "flags.verify"));
    EXPECT_GT(verified->getValue<std::int64_t>("flags"), 30) << before;
    EXPECT_EQ(verified->getArray("mismatches")->size(), 0u);
  }
  // A new instance rebuilds every score from the stored signals: the same state, and no
  // flag twice.
  EwRuntime restarted(store_->store(), keep_all);
  EXPECT_EQ(snapshot(restarted, tenancies), before);
}

TEST_P(EarlyWarningScoring, RescoreIsForAdministratorsAndAudited) {
  EwRuntime runtime(store_->store());
  const auto refused = runtime.call(consultant_, "score.full");
  EXPECT_EQ(refused.status, HEARTH_ERROR_DENIED);
  EXPECT_EQ(refused.text, "role 'housing_consultant' may not use this operation");
  runtime.ok(admin_, "score.full");
  EXPECT_EQ(audit_lines(store_->store(), "early-warning:rescore"),
            (std::vector<std::string>{"update denied consultant-1 housing_consultant", "update allowed admin-1 administrator"}));
}

TEST_P(EarlyWarningScoring, ScoringOffRaisesNothingButKeepsFlagsReadable) {
  {
    EwRuntime runtime(store_->store());
    runtime.add_tenancy("T-1", "consultant-1", "tenant-1");
    runtime.ingest({spec("T-1", "a-1", "SCH", "DEU", 1, 300'000), spec("T-1", "a-2", "X-BTR", "VBR", 0, 1'000)});
    EXPECT_EQ(object_of(runtime.ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-1"})"))->getArray("flags")->size(),
              1u);
  }
  EwRuntime off(store_->store(), "scoring = off");
  std::string message;
  ASSERT_EQ(off.plugin_state(message), HEARTH_PLUGIN_STATE_ACTIVE) << message;
  off.add_tenancy("T-2", "consultant-1", "tenant-2");
  off.ingest({spec("T-2", "b-1", "SCH", "DEU", 1, 300'000), spec("T-2", "b-2", "X-BTR", "VBR", 0, 1'000)});
  const auto t2 = object_of(off.ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-2"})"));
  EXPECT_EQ(t2->getValue<std::string>("scoring"), "off");
  EXPECT_TRUE(t2->isNull("current"));
  EXPECT_EQ(t2->getArray("flags")->size(), 0u);
  const auto t1 = object_of(off.ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-1"})"));
  EXPECT_EQ(t1->getArray("flags")->size(), 1u) << "earlier flags stay readable and decidable";
  const auto rescore = off.call(admin_, "score.full");
  EXPECT_EQ(rescore.status, HEARTH_ERROR_CONFLICT);
  EXPECT_EQ(rescore.text, "scoring is switched off (plugin.nl.hearth.early-warning.scoring = off)");
  EXPECT_EQ(object_of(off.ok(consultant_, "status"))->getValue<std::string>("scoring"), "off");
}

TEST_P(EarlyWarningScoring, NeighbourhoodSwitchAndPilot) {
  const std::vector<std::pair<std::string, std::vector<bool>>> settings = {
      {"neighbourhoods.off = BU00000002", {true, false, true}},
      {"neighbourhoods.only = BU00000002, BU00000003", {false, true, true}},
      {"neighbourhoods.only = BU00000002, BU00000003\nneighbourhoods.off = BU00000003", {false, true, false}},
  };
  int round = 0;
  for (const auto &[ini, scored] : settings) {
    TestStore store(GetParam());
    EwRuntime runtime(store.store(), ini);
    for (int b = 1; b <= 3; ++b) {
      const std::string id = "T-" + std::to_string(b);
      runtime.add_tenancy(id, "consultant-1", "tenant-" + std::to_string(b), "BU0000000" + std::to_string(b));
      runtime.ingest({spec(id, "r" + std::to_string(round) + "-" + id + "-1", "SCH", "DEU", 1, 300'000),
                      spec(id, "r" + std::to_string(round) + "-" + id + "-2", "X-BTR", "VBR", 0, 1'000)});
    }
    for (int b = 1; b <= 3; ++b) {
      const auto answer = object_of(runtime.ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-)" + std::to_string(b) + R"("})"));
      const bool on = scored[static_cast<std::size_t>(b - 1)];
      EXPECT_EQ(answer->getValue<std::string>("scoring"), on ? "on" : "off-neighbourhood") << ini << " T-" << b;
      EXPECT_EQ(answer->getArray("flags")->size(), on ? 1u : 0u) << ini << " T-" << b;
    }
    ++round;
  }
}

TEST_P(EarlyWarningScoring, ProtectedAttributeInTheRuleFileStopsThePlugin) {
  const auto rules = files_.path() / "rules.ini";
  std::ofstream(rules) << small_rule_text("[category.origin]\nlabel.nl = geboorteland\n");
  EwRuntime runtime(store_->store(), "rule_set = " + rules.string());
  std::string message;
  EXPECT_EQ(runtime.plugin_state(message), HEARTH_PLUGIN_STATE_FAILED) << message;
  // init() has no message out-parameter: the reason is in the log.
  EXPECT_NE(runtime.log_text().find(rules.string() + ": category.origin.label.nl: 'geboorteland' is a protected "
                                                     "attribute or a proxy of one (proxy for ethnicity and nationality "
                                                     "(country of birth))"),
            std::string::npos);
}

TEST_P(EarlyWarningScoring, BadSettingsStopThePluginNamingTheKey) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"scoring = maybe", "plugin.nl.hearth.early-warning.scoring: 'maybe' is not on or off"},
      {"flag_max_age_days = 0", "plugin.nl.hearth.early-warning.flag_max_age_days: '0' is not a whole number from 1 to 3650"},
      {"decide_roles = neighbour", "plugin.nl.hearth.early-warning.decide_roles: 'neighbour' may not decide on flags"},
      {"register.status = live", "plugin.nl.hearth.early-warning.register.status: 'live' is not one of in_development, "
                                 "in_use, out_of_use"},
      {"rule_set = " + (files_.path() / "none.ini").string(), (files_.path() / "none.ini").string() + ": cannot read the rule file"},
      {"protected_attributes = " + (files_.path() / "none.txt").string(),
       (files_.path() / "none.txt").string() + ": cannot read the list of protected attributes"},
  };
  for (const auto &[ini, expected] : cases) {
    EwRuntime runtime(store_->store(), ini);
    std::string message;
    EXPECT_EQ(runtime.plugin_state(message), HEARTH_PLUGIN_STATE_FAILED) << ini;
    EXPECT_NE(runtime.log_text().find(expected), std::string::npos) << expected;
  }
}

TEST_P(EarlyWarningScoring, ChangedRuleSetNeedsANewVersionAndNeverRewritesOldFlags) {
  const auto original = read_file(scoring_dir() / "default.ini");
  std::string old_flag;
  {
    EwRuntime runtime(store_->store());
    runtime.add_tenancy("T-1", "consultant-1", "tenant-1");
    runtime.ingest({spec("T-1", "a-1", "SCH", "DEU", 1, 300'000), spec("T-1", "a-2", "X-BTR", "VBR", 0, 1'000)});
    old_flag = object_of(runtime.ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-1"})"))
                   ->getArray("flags")->getObject(0)->getValue<std::string>("id");
  }
  // The same version with other points: refused.
  auto changed = original;
  const std::string bailiff = "points = 25\nhalf_life_days = 180\ncap = 25";
  changed.replace(changed.find(bailiff), bailiff.size(), "points = 35\nhalf_life_days = 180\ncap = 35");
  const auto same_version = files_.path() / "same-version.ini";
  std::ofstream(same_version) << changed;
  {
    EwRuntime runtime(store_->store(), "rule_set = " + same_version.string());
    std::string message;
    EXPECT_EQ(runtime.plugin_state(message), HEARTH_PLUGIN_STATE_FAILED);
    EXPECT_NE(runtime.log_text().find("rule_set.version: '" + default_rules().version +
                                      "' was used before for a different file (sha256 " + default_rules().short_hash() +
                                      "); give the changed rule set a new version"),
              std::string::npos);
  }
  // With a new version it runs; the old flag keeps its rule set, score and explanation,
  // and a rescore under the new rules adds a flag of its own.
  changed.replace(changed.find("version = " + default_rules().version), 10 + default_rules().version.size(),
                  "version = 2099.1");
  const auto new_version = files_.path() / "new-version.ini";
  std::ofstream(new_version) << changed;
  EwRuntime runtime(store_->store(), "rule_set = " + new_version.string());
  std::string message;
  ASSERT_EQ(runtime.plugin_state(message), HEARTH_PLUGIN_STATE_ACTIVE) << message;
  const auto flags = object_of(runtime.ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-1","lang":"en"})"))
                         ->getArray("flags");
  ASSERT_EQ(flags->size(), 2u);
  // Under the new rules the bailiff alone is amber: the new flag has an earlier trigger.
  const auto fresh = flags->getObject(0);
  const auto old = flags->getObject(1);
  EXPECT_EQ(old->getValue<std::string>("id"), old_flag);
  EXPECT_EQ(old->getObject("rule_set")->getValue<std::string>("version"), default_rules().version);
  EXPECT_EQ(old->getValue<std::int64_t>("score"), 40);
  EXPECT_EQ(old->getObject("explanation")->getArray("lines")->getElement<std::string>(0), "bailiff called in: +25");
  EXPECT_EQ(fresh->getObject("rule_set")->getValue<std::string>("version"), "2099.1");
  EXPECT_EQ(fresh->getValue<std::int64_t>("score"), 35);
  EXPECT_EQ(fresh->getObject("explanation")->getArray("lines")->getElement<std::string>(0), "bailiff called in: +35");
  EXPECT_EQ(object_of(runtime.ok(person("auditor", "auditor-1"), "flags.verify"))->getArray("mismatches")->size(), 0u);
}

TEST_P(EarlyWarningScoring, FlagsGoWithTheirSignalsOnErasure) {
  EwRuntime runtime(store_->store());
  runtime.add_tenancy("T-1", "consultant-1", "tenant-1");
  runtime.add_tenancy("T-2", "consultant-1", "tenant-2");
  for (const char *tenancy : {"T-1", "T-2"}) {
    const std::string prefix = std::string("e-") + tenancy;
    runtime.ingest({spec(tenancy, prefix + "-1", "SCH", "DEU", 1, 300'000), spec(tenancy, prefix + "-2", "X-BTR", "VBR", 0, 1'000)});
  }
  const auto auditor = person("auditor", "auditor-1");
  ASSERT_EQ(object_of(runtime.ok(auditor, "flags.verify"))->getValue<std::int64_t>("flags"), 2);
  std::string flag_t1 = object_of(runtime.ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-1"})"))
                            ->getArray("flags")->getObject(0)->getValue<std::string>("id");

  // An erasure request deletes T-1's signals; the next rescore takes its flag with them
  // (when the erasure event has not done so already: erasure_test.cpp).
  char *result = nullptr;
  char *error = nullptr;
  ASSERT_EQ(hearth_runtime_command(runtime.runtime(), &admin_, "erase-tenancy", R"({"tenancy_id":"T-1"})", &result, &error),
            HEARTH_OK)
      << (error != nullptr ? error : "");
  hearth_free(result);
  hearth_free(error);
  ASSERT_EQ(hearth_runtime_drain(runtime.runtime(), 30'000), HEARTH_OK);
  const auto rescored = object_of(runtime.ok(admin_, "score.full"));
#ifdef HEARTH_EVENT_DATA_ERASED
  EXPECT_EQ(rescored->getValue<std::int64_t>("flags_removed"), 0) << "the erasure event removed it at once";
#else
  EXPECT_EQ(rescored->getValue<std::int64_t>("flags_removed"), 1);
#endif
  EXPECT_EQ(object_of(runtime.ok(auditor, "flags.verify"))->getValue<std::int64_t>("flags"), 1);
  const auto lines = audit_lines(store_->store(), "flag:" + flag_t1);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "delete allowed nl.hearth.early-warning system"), lines.end());
  // T-2 keeps its flag; a second rescore and a restart remove nothing more.
  EXPECT_EQ(object_of(runtime.ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-2"})"))->getArray("flags")->size(),
            1u);
  EXPECT_EQ(object_of(runtime.ok(admin_, "score.full"))->getValue<std::int64_t>("flags_removed"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, EarlyWarningScoring, testing::Values(Backend::sqlite, Backend::postgresql),
                         backend_name);
