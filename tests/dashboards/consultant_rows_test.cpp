// The consultant's flag list keeps the rows (and their HTML) it read from a flags.portfolio
// answer per person (plugins/dashboards/src/views/consultant_rows.hpp): used again only for
// the same person, the same language and a byte-identical answer; anything else is read
// afresh, and one person's kept rows never reach another.
#include <string>

#include <gtest/gtest.h>

#include <Poco/Exception.h>

#include "views/consultant_rows.hpp"

namespace hearth::dashboards {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

// A flags.portfolio answer with the given rows (each a JSON object's members).
std::string answer_of(std::initializer_list<std::string> rows) {
  std::string json = R"({"flags":[)";
  bool first = true;
  for (const auto &row : rows) {
    json += (first ? "{" : ",{") + row + "}";
    first = false;
  }
  return json + "]}";
}

std::string row(const std::string &tenancy, const std::string &flag, const std::string &level, int score,
                const std::string &status, std::int64_t evaluated_at_ms) {
  return R"("tenancy_id":")" + tenancy + R"(","flag_id":")" + flag + R"(","level":")" + level +
         R"(","score":)" + std::to_string(score) + R"(,"status":")" + status +
         R"(","evaluated_at_ms":)" + std::to_string(evaluated_at_ms) + R"(,"raised_at_ms":1,"current_level":"red")";
}

const std::string kAnswer = answer_of({row("T-1", "F1-a", "amber", 40, "proposed", 3 * kDayMs),
                                       row("T-2", "F2-b", "red", 80, "accepted", 5 * kDayMs),
                                       row("T-3", "F3-c", "amber", 50, "proposed", 1 * kDayMs),
                                       row("T-4", "F4-d", "green", 10, "dismissed", 0)});

TEST(ConsultantRows, ReadsTheRowsHighestLevelFirstThenOldest) {
  const auto listing = make_listing(kAnswer, "en");
  ASSERT_EQ(listing->rows.size(), 4u);
  EXPECT_EQ(listing->rows[0].flag_id, "F2-b");
  EXPECT_EQ(listing->rows[1].flag_id, "F3-c"); // amber, older
  EXPECT_EQ(listing->rows[2].flag_id, "F1-a");
  EXPECT_EQ(listing->rows[3].flag_id, "F4-d");
  EXPECT_EQ(listing->rows[0].tenancy_id, "T-2");
  EXPECT_EQ(listing->rows[0].score, "80");
  EXPECT_EQ(listing->rows[0].status, "accepted");
  EXPECT_EQ(listing->rows[0].evaluated_at_ms, 5 * kDayMs);
  ASSERT_EQ(listing->html.size(), 4u);
  // Each row's HTML up to its days open, in the listing's language.
  EXPECT_EQ(listing->html[0].rfind("<tr data-test=\"flag-row\" data-flag=\"F2-b\">", 0), 0u) << listing->html[0];
  EXPECT_NE(listing->html[0].find("level-red"), std::string::npos);
  EXPECT_NE(listing->html[0].find("1970-01-06"), std::string::npos) << listing->html[0];
  EXPECT_EQ(listing->html[0].substr(listing->html[0].size() - 9), "</td><td>");
  EXPECT_NE(make_listing(kAnswer, "nl")->html[0].find("06-01-1970"), std::string::npos);
}

TEST(ConsultantRows, TextIsEscapedInTheRowsHtml) {
  const auto listing =
      make_listing(answer_of({row("T-<b>", "F\\\"1", "amber", 40, "proposed", 0)}), "en");
  ASSERT_EQ(listing->rows.size(), 1u);
  EXPECT_EQ(listing->html[0].find("<b>"), std::string::npos) << listing->html[0];
  EXPECT_NE(listing->html[0].find("T-&lt;b&gt;"), std::string::npos) << listing->html[0];
  EXPECT_NE(listing->html[0].find("data-flag=\"F&quot;1\""), std::string::npos) << listing->html[0];
}

TEST(ConsultantRows, AByteIdenticalAnswerToTheSamePersonIsUsedAgain) {
  KeptListings kept;
  const auto first = kept.listing_for("corp\nconsultant-01\nhousing_consultant", "nl", kAnswer);
  const auto again = kept.listing_for("corp\nconsultant-01\nhousing_consultant", "nl", std::string(kAnswer));
  EXPECT_EQ(first, again);
  EXPECT_EQ(kept.made(), 1u);
}

TEST(ConsultantRows, AnyOtherAnswerIsReadAfresh) {
  KeptListings kept;
  const std::string person = "corp\nconsultant-01\nhousing_consultant";
  const auto before = kept.listing_for(person, "nl", kAnswer);
  // A decision: the same rows but one status changed.
  std::string decided = kAnswer;
  decided.replace(decided.find("\"proposed\""), 10, "\"accepted\"");
  const auto after = kept.listing_for(person, "nl", decided);
  EXPECT_NE(before, after);
  EXPECT_EQ(kept.made(), 2u);
  EXPECT_EQ(after->answer, decided);
  bool accepted = false;
  for (const auto &r : after->rows) {
    accepted = accepted || (r.flag_id == "F1-a" && r.status == "accepted");
  }
  EXPECT_TRUE(accepted);
  // A flag fewer, and no flags at all.
  const auto fewer = kept.listing_for(person, "nl", answer_of({row("T-1", "F1-a", "amber", 40, "proposed", 0)}));
  EXPECT_EQ(fewer->rows.size(), 1u);
  EXPECT_TRUE(kept.listing_for(person, "nl", R"({"flags":[]})")->rows.empty());
  // The first answer again is read again (only the last one is kept).
  EXPECT_EQ(kept.listing_for(person, "nl", kAnswer)->rows.size(), 4u);
  EXPECT_EQ(kept.made(), 5u);
}

TEST(ConsultantRows, AnotherLanguageIsMadeAfresh) {
  KeptListings kept;
  const std::string person = "corp\nconsultant-01\nhousing_consultant";
  const auto dutch = kept.listing_for(person, "nl", kAnswer);
  const auto english = kept.listing_for(person, "en", kAnswer);
  EXPECT_NE(dutch, english);
  EXPECT_EQ(english->lang, "en");
  EXPECT_NE(english->html[0].find("1970-01-06"), std::string::npos);
  EXPECT_EQ(kept.made(), 2u);
}

TEST(ConsultantRows, OnePersonsKeptRowsNeverReachAnother) {
  KeptListings kept;
  const auto mine = kept.listing_for("corp\nconsultant-01\nhousing_consultant", "nl", kAnswer);
  // Even for the very same text, another person (another user, role or organisation) gets
  // their own rows, made from their own answer.
  for (const char *other : {"corp\nconsultant-02\nhousing_consultant", "corp\nconsultant-01\ncoordinator",
                            "other\nconsultant-01\nhousing_consultant"}) {
    const auto theirs = kept.listing_for(other, "nl", kAnswer);
    EXPECT_NE(theirs, mine) << other;
  }
  EXPECT_EQ(kept.made(), 4u);
  // And each person's kept rows are still their own.
  EXPECT_EQ(kept.listing_for("corp\nconsultant-01\nhousing_consultant", "nl", kAnswer), mine);
  EXPECT_EQ(kept.made(), 4u);
}

TEST(ConsultantRows, AnAnswerThatIsNotJsonThrowsAndKeepsNothing) {
  KeptListings kept;
  const std::string person = "corp\nconsultant-01\nhousing_consultant";
  EXPECT_THROW(kept.listing_for(person, "nl", "{\"flags\":[{"), Poco::Exception);
  EXPECT_THROW(kept.listing_for(person, "nl", "not json"), Poco::Exception);
  EXPECT_EQ(kept.made(), 0u);
  EXPECT_EQ(kept.listing_for(person, "nl", kAnswer)->rows.size(), 4u);
  EXPECT_EQ(kept.made(), 1u);
}

TEST(ConsultantRows, WhenFullEveryoneIsReadAgain) {
  KeptListings kept(2);
  const auto a = kept.listing_for("a", "nl", kAnswer);
  kept.listing_for("b", "nl", kAnswer);
  EXPECT_EQ(kept.listing_for("a", "nl", kAnswer), a);
  kept.listing_for("c", "nl", kAnswer); // full: a and b are dropped
  EXPECT_NE(kept.listing_for("a", "nl", kAnswer), a);
  EXPECT_EQ(kept.made(), 4u);
}

} // namespace
} // namespace hearth::dashboards
