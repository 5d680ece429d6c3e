// Erasure reaches the flags at once: when the erasure event of a tenancy is delivered, its
// flags leave the store and the flag board (typed lookup, flags.for-tenancy, flag.explain,
// flags.portfolio), audited, on SQLite and PostgreSQL; a repeated or unfounded erasure
// event deletes nothing.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "ew_runtime.hpp"
#include "hearth/early_warning.h"

using namespace hearth::test;
using namespace hearth::test::early_warning;

namespace {

class EarlyWarningErasure : public EwTest {
protected:
  void SetUp() override {
    if (!open_runtime()) {
      return;
    }
    runtime_->add_tenancy("T-1", "consultant-1", "tenant-1");
    runtime_->add_tenancy("T-2", "consultant-1", "tenant-2");
    for (const char *tenancy : {"T-1", "T-2"}) {
      const std::string prefix = std::string("e-") + tenancy;
      runtime_->ingest(
          {spec(tenancy, prefix + "-1", "SCH", "DEU", 1, 300'000), spec(tenancy, prefix + "-2", "X-BTR", "VBR", 0, 1'000)});
    }
    table_ = runtime_->lookup_table();
    ASSERT_NE(table_, nullptr);
  }

  hearth_ew_reader *open(const hearth_actor &who) { return runtime_->open_lookup_reader(who); }

  // The id of the tenancy's only flag.
  std::string flag_of(const std::string &tenancy) {
    const auto flags =
        object_of(runtime_->ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":")" + tenancy + R"("})"))->getArray("flags");
    EXPECT_EQ(flags->size(), 1u) << tenancy;
    return flags->size() == 1 ? flags->getObject(0)->getValue<std::string>("id") : "";
  }

  std::int64_t stored_flags(const std::string &tenancy) {
    return count_of(store_->store(), "SELECT COUNT(*) FROM ew_flag WHERE tenancy_id = ?", tenancy);
  }

  const hearth_ew_lookup_table *table_ = nullptr;
  hearth_actor consultant_ = person("housing_consultant", "consultant-1");
};

hearth_ew_flag_summary empty_summary() {
  hearth_ew_flag_summary summary{};
  summary.struct_size = sizeof summary;
  return summary;
}

} // namespace

TEST_P(EarlyWarningErasure, AnErasedTenancysFlagsLeaveTheBoardAtOnce) {
  const std::string flag_t1 = flag_of("T-1");
  const std::string flag_t2 = flag_of("T-2");
  ASSERT_FALSE(flag_t1.empty());
  // A reader that has looked T-1 up before the erasure (its policy answer is remembered).
  hearth_ew_reader *before = open(consultant_);
  ASSERT_NE(before, nullptr);
  auto summary = empty_summary();
  ASSERT_EQ(table_->lookup(before, "T-1", &summary), HEARTH_OK);
  EXPECT_EQ(summary.flag_status, HEARTH_EW_FLAG_PROPOSED);
  EXPECT_EQ(summary.level, HEARTH_EW_LEVEL_AMBER);

  runtime_->erase_tenancy("T-1");

  // No score.full, no restart: the flag is gone from the store and from every view.
  EXPECT_EQ(stored_flags("T-1"), 0);
  summary = empty_summary();
  ASSERT_EQ(table_->lookup(before, "T-1", &summary), HEARTH_OK);
  EXPECT_EQ(summary.flag_status, HEARTH_EW_FLAG_NONE);
  EXPECT_EQ(summary.flag_level, HEARTH_EW_LEVEL_NONE);
  EXPECT_STREQ(summary.flag_id, "");
  EXPECT_EQ(summary.level, HEARTH_EW_LEVEL_NONE) << "its signals are gone, and with them its score";
  EXPECT_EQ(summary.score, 0);
  table_->close_reader(before);
  // A reader opened now finds nothing (the tenancy has no consultant any more either).
  hearth_ew_reader *after = open(consultant_);
  summary = empty_summary();
  EXPECT_EQ(table_->lookup(after, "T-1", &summary), HEARTH_ERROR_NOT_FOUND);
  ASSERT_EQ(table_->lookup(after, "T-2", &summary), HEARTH_OK);
  EXPECT_EQ(summary.flag_status, HEARTH_EW_FLAG_PROPOSED);
  EXPECT_EQ(std::string(summary.flag_id), flag_t2);
  table_->close_reader(after);
  const auto explained = runtime_->call(consultant_, "flag.explain", R"({"flag_id":")" + flag_t1 + R"("})");
  EXPECT_EQ(explained.status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(explained.text, "flag '" + flag_t1 + "': not found");
  const auto decided =
      runtime_->call(consultant_, "flag.decide", R"({"flag_id":")" + flag_t1 + R"(","decision":"accept","reason":"x"})");
  EXPECT_EQ(decided.status, HEARTH_ERROR_NOT_FOUND);
  const auto portfolio =
      object_of(runtime_->ok(consultant_, "flags.portfolio", R"({"status":"any","min_level":"green"})"))->getArray("flags");
  ASSERT_EQ(portfolio->size(), 1u);
  EXPECT_EQ(portfolio->getObject(0)->getValue<std::string>("flag_id"), flag_t2);

  // The deletion is audited as the plugin's own, for the erasure.
  EXPECT_EQ(audit_lines(store_->store(), "flag:" + flag_t1),
            (std::vector<std::string>{"create allowed nl.hearth.early-warning system",
                                      "read allowed consultant-1 housing_consultant",
                                      "delete allowed nl.hearth.early-warning system",
                                      "read denied consultant-1 housing_consultant",
                                      "update denied consultant-1 housing_consultant"}));
  // A rescore finds nothing left to remove; T-2 keeps its flag.
  EXPECT_EQ(object_of(runtime_->ok(person("administrator", "admin-1"), "score.full"))->getValue<std::int64_t>("flags_removed"),
            0);
  EXPECT_EQ(stored_flags("T-2"), 1);
}

TEST_P(EarlyWarningErasure, ARepeatedOrUnfoundedErasureEventDeletesNothing) {
  const std::string flag_t2 = flag_of("T-2");
  runtime_->erase_tenancy("T-1");
  // The same event again, and one for a tenancy whose signals are all still stored (a
  // person's erasure leaves the tenancy's signals; a forged event proves nothing): the
  // plugin checks the store, and T-2's flag stays, on the board as well.
  runtime_->announce_erasure("T-1");
  runtime_->announce_erasure("T-2");
  runtime_->announce_erasure("T-404");
  EXPECT_EQ(stored_flags("T-1"), 0);
  EXPECT_EQ(stored_flags("T-2"), 1);
  hearth_ew_reader *reader = open(consultant_);
  auto summary = empty_summary();
  ASSERT_EQ(table_->lookup(reader, "T-2", &summary), HEARTH_OK);
  EXPECT_EQ(std::string(summary.flag_id), flag_t2);
  EXPECT_EQ(summary.level, HEARTH_EW_LEVEL_AMBER);
  EXPECT_EQ(summary.score, 40);
  table_->close_reader(reader);
  const auto lines = audit_lines(store_->store(), "flag:" + flag_t2);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "delete allowed nl.hearth.early-warning system"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, EarlyWarningErasure, testing::Values(Backend::sqlite, Backend::postgresql),
                         backend_name);
