// The typed flag lookup (hearth/early_warning.h) through hearth_runtime_plugin_factory:
// readers per actor, policy per tenancy (forbidden answers like unknown), audit entries
// in batches, argument checks.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "ew_runtime.hpp"
#include "hearth/early_warning.h"

using namespace hearth::test;
using namespace hearth::test::early_warning;

namespace {

// The audit lines of `object` that record reads.
std::vector<std::string> reads_of(const DataRuntime::Store &store, const std::string &object) {
  std::vector<std::string> out;
  for (auto &line : audit_lines(store, object)) {
    if (line.rfind("read ", 0) == 0) {
      out.push_back(std::move(line));
    }
  }
  return out;
}

class EarlyWarningLookup : public EwTest {
protected:
  void SetUp() override {
    if (!open_runtime()) {
      return;
    }
    runtime_->add_tenancy("T-1", "consultant-1", "tenant-1");
    runtime_->add_tenancy("T-2", "consultant-2", "tenant-2");
    runtime_->add_tenancy("T-3", "consultant-1", "tenant-3");
    runtime_->ingest({spec("T-1", "a-1", "SCH", "DEU", 1, 300'000), spec("T-1", "a-2", "X-BTR", "VBR", 0, 1'000),
                      spec("T-2", "b-1", "OVE", "GEL", 0, 0, 2)});
    table_ = runtime_->lookup_table();
    ASSERT_NE(table_, nullptr);
  }

  hearth_ew_reader *open(const hearth_actor &who) { return runtime_->open_lookup_reader(who); }

  const hearth_ew_lookup_table *table_ = nullptr;
};

hearth_ew_flag_summary empty_summary() {
  hearth_ew_flag_summary summary{};
  summary.struct_size = sizeof summary;
  return summary;
}

} // namespace

TEST_P(EarlyWarningLookup, TableAndFactoryIds) {
  EXPECT_EQ(table_->struct_size, sizeof(hearth_ew_lookup_table));
  EXPECT_EQ(hearth_runtime_plugin_factory(runtime_->runtime(), HEARTH_EW_PLUGIN_ID, "nl.hearth.nothing/1"), nullptr);
  EXPECT_EQ(hearth_runtime_plugin_factory(runtime_->runtime(), "nl.hearth.nobody", HEARTH_EW_LOOKUP_FACTORY_ID), nullptr);
}

TEST_P(EarlyWarningLookup, OwnTenancyFoundOthersLookMissing) {
  hearth_ew_reader *reader = open(person("housing_consultant", "consultant-1"));
  ASSERT_NE(reader, nullptr);
  auto summary = empty_summary();
  ASSERT_EQ(table_->lookup(reader, "T-1", &summary), HEARTH_OK);
  EXPECT_EQ(summary.level, HEARTH_EW_LEVEL_AMBER);
  EXPECT_EQ(summary.score, 40);
  EXPECT_EQ(summary.as_of_ms, kNowMs);
  EXPECT_EQ(summary.flag_status, HEARTH_EW_FLAG_PROPOSED);
  EXPECT_EQ(summary.flag_level, HEARTH_EW_LEVEL_AMBER);
  EXPECT_EQ(summary.flag_score, 40);
  EXPECT_EQ(std::string(summary.flag_id).rfind("F", 0), 0u);

  // A tenancy without signals: no score yet, no flag.
  summary = empty_summary();
  ASSERT_EQ(table_->lookup(reader, "T-3", &summary), HEARTH_OK);
  EXPECT_EQ(summary.level, HEARTH_EW_LEVEL_NONE);
  EXPECT_EQ(summary.flag_status, HEARTH_EW_FLAG_NONE);
  EXPECT_STREQ(summary.flag_id, "");

  // Someone else's tenancy and an unknown one answer alike, and leave the summary alone.
  auto untouched = empty_summary();
  untouched.score = 12345;
  EXPECT_EQ(table_->lookup(reader, "T-2", &untouched), HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(table_->lookup(reader, "T-404", &untouched), HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(untouched.score, 12345);

  // Nothing is in the audit log until the batch is written...
  EXPECT_TRUE(reads_of(store_->store(), "tenancy:T-3").empty());
  char *error = nullptr;
  ASSERT_EQ(table_->flush(reader, &error), HEARTH_OK);
  table_->free(error);
  EXPECT_EQ(reads_of(store_->store(), "tenancy:T-3"), (std::vector<std::string>{"read allowed consultant-1 housing_consultant"}));
  const auto t2 = reads_of(store_->store(), "tenancy:T-2");
  EXPECT_NE(std::find(t2.begin(), t2.end(), "read denied consultant-1 housing_consultant"), t2.end());
  EXPECT_EQ(reads_of(store_->store(), "tenancy:unknown"),
            (std::vector<std::string>{"read denied consultant-1 housing_consultant"}))
      << "an unknown id is not written down, only that one was asked for";
  // ... and flushing again writes nothing new.
  ASSERT_EQ(table_->flush(reader, nullptr), HEARTH_OK);
  EXPECT_EQ(reads_of(store_->store(), "tenancy:T-3").size(), 1u);
  table_->close_reader(reader);
}

TEST_P(EarlyWarningLookup, ClosingAndFullBatchesWriteTheAuditLog) {
  // The entries are written on the plugin's own thread; flush() and close_reader() wait
  // for them. A batch ends after 1024 lookups: 1025 lookups and a flush give two entries.
  hearth_ew_reader *reader = open(person("tenant", "tenant-1"));
  auto summary = empty_summary();
  for (int i = 0; i < 1025; ++i) {
    ASSERT_EQ(table_->lookup(reader, "T-1", &summary), HEARTH_OK);
  }
  ASSERT_EQ(table_->flush(reader, nullptr), HEARTH_OK);
  auto lines = reads_of(store_->store(), "tenancy:T-1");
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "read allowed tenant-1 tenant"), 2);
  ASSERT_EQ(table_->lookup(reader, "T-1", &summary), HEARTH_OK);
  table_->close_reader(reader); // writes the rest, and waits for it
  lines = reads_of(store_->store(), "tenancy:T-1");
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "read allowed tenant-1 tenant"), 3);
  table_->close_reader(nullptr);
}

TEST_P(EarlyWarningLookup, BatchOlderThanFiveSecondsEndsOnALaterLookup) {
  // One lookup, then 63 more six seconds later: the 64th looks at the clock and ends the
  // batch; one more lookup and a flush give two entries.
  hearth_ew_reader *reader = open(person("tenant", "tenant-1"));
  auto summary = empty_summary();
  ASSERT_EQ(table_->lookup(reader, "T-1", &summary), HEARTH_OK);
  runtime_->set_now(kNowMs + 6'000);
  for (int i = 0; i < 64; ++i) {
    ASSERT_EQ(table_->lookup(reader, "T-1", &summary), HEARTH_OK);
  }
  char *error = nullptr;
  ASSERT_EQ(table_->flush(reader, &error), HEARTH_OK);
  table_->free(error);
  const auto lines = reads_of(store_->store(), "tenancy:T-1");
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "read allowed tenant-1 tenant"), 2);
  table_->close_reader(reader);
}

TEST_P(EarlyWarningLookup, DecisionShowsInTheNextLookup) {
  hearth_ew_reader *reader = open(person("housing_consultant", "consultant-1"));
  auto summary = empty_summary();
  ASSERT_EQ(table_->lookup(reader, "T-1", &summary), HEARTH_OK);
  const std::string id = summary.flag_id;
  runtime_->ok(person("housing_consultant", "consultant-1"), "flag.decide",
               R"({"flag_id":")" + id + R"(","decision":"override","level":"red","reason":"deurwaarder al in 2025"})");
  ASSERT_EQ(table_->lookup(reader, "T-1", &summary), HEARTH_OK);
  EXPECT_EQ(summary.flag_status, HEARTH_EW_FLAG_OVERRIDDEN);
  EXPECT_EQ(summary.flag_level, HEARTH_EW_LEVEL_RED);
  EXPECT_STREQ(summary.flag_id, id.c_str());
  table_->close_reader(reader);
}

TEST_P(EarlyWarningLookup, BadArgumentsAreRefused) {
  hearth_ew_reader *reader = nullptr;
  char *error = nullptr;
  auto incomplete = person("housing_consultant", "consultant-1");
  incomplete.access_point = nullptr;
  EXPECT_EQ(table_->open_reader(&incomplete, &reader, &error), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(error, "actor.access_point: missing");
  table_->free(error);
  error = nullptr;
  EXPECT_EQ(reader, nullptr);
  EXPECT_EQ(table_->open_reader(nullptr, &reader, &error), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(error, "actor: missing");
  table_->free(error);
  error = nullptr;
  const auto consultant = person("housing_consultant", "consultant-1");
  EXPECT_EQ(table_->open_reader(&consultant, nullptr, &error), HEARTH_ERROR_INVALID_ARGUMENT);
  table_->free(error);
  reader = open(consultant);
  auto summary = empty_summary();
  EXPECT_EQ(table_->lookup(reader, nullptr, &summary), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(table_->lookup(reader, "T-1", nullptr), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(table_->lookup(nullptr, "T-1", &summary), HEARTH_ERROR_INVALID_ARGUMENT);
  summary.struct_size = 8;
  EXPECT_EQ(table_->lookup(reader, "T-1", &summary), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(table_->flush(nullptr, &error), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(error, "reader: missing");
  table_->free(error);
  table_->close_reader(reader);
}

INSTANTIATE_TEST_SUITE_P(Backends, EarlyWarningLookup, testing::Values(Backend::sqlite, Backend::postgresql),
                         backend_name);
