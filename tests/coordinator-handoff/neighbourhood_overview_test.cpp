// The coordinator's neighbourhood overview in metrics.neighbourhood: open cases and recent
// vulnerable placements per entrance, building and street against placement.ini's limits,
// counts from 1 to min_count - 1 suppressed (and never marking a cell over its limit), and
// passing the buck per organisation. Never a name, tenancy, unit or house number.
#include "handoff_test_base.hpp"

namespace hearth::test::handoff {
namespace {

using namespace cast;

constexpr std::int64_t kDay = 86'400'000;

class NeighbourhoodOverview : public HandoffTest {
protected:
  // Two more homes behind entrance A of Oosterparkstraat 1091AB (with U-1, U-2, U-6).
  void add_homes() {
    rt().put(R"([{"kind":"unit","id":"U-7","street":"Oosterparkstraat","house_number":"12-4","postcode":"1091AB","entrance":"A","neighbourhood_code":"BU03630402"},)"
             R"({"kind":"unit","id":"U-8","street":"Oosterparkstraat","house_number":"12-5","postcode":"1091AB","entrance":"A","neighbourhood_code":"BU03630402"},)"
             R"({"kind":"tenancy","id":"T-7","unit_id":"U-7","start_date":"2019-04-01","portfolio_owner":"hc-1","tenant_user":"tenant-7"},)"
             R"({"kind":"tenancy","id":"T-8","unit_id":"U-8","start_date":"2019-04-01","portfolio_owner":"hc-1","tenant_user":"tenant-8"}])");
  }
  // The streets[] row of (street, scope, postcode, entrance), or nullptr.
  static Poco::JSON::Object::Ptr cell(const Poco::JSON::Object::Ptr &metrics, const std::string &street,
                                      const std::string &scope, const std::string &postcode = "",
                                      const std::string &entrance = "") {
    const auto streets = metrics->getArray("streets");
    for (unsigned i = 0; i < streets->size(); ++i) {
      const auto row = streets->getObject(i);
      if (row->getValue<std::string>("street") == street && row->getValue<std::string>("scope") == scope &&
          row->getValue<std::string>("postcode") == postcode && row->getValue<std::string>("entrance") == entrance) {
        return row;
      }
    }
    return nullptr;
  }
  static Poco::JSON::Object::Ptr organisation(const Poco::JSON::Object::Ptr &metrics, const std::string &name) {
    const auto list = metrics->getArray("organisations");
    for (unsigned i = 0; i < list->size(); ++i) {
      if (list->getObject(i)->getValue<std::string>("organisation") == name) return list->getObject(i);
    }
    return nullptr;
  }
};

TEST_P(NeighbourhoodOverview, CountsPerEntranceBuildingAndStreetAgainstTheLimits) {
  add_homes();
  for (const char *tenancy : {"T-1", "T-2", "T-7", "T-3", "T-4", "T-5"}) rt().open_case(coordinator, tenancy);
  for (const auto &[unit, tenancy, day] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"U-1", "T-1", "2026-01-10"}, {"U-2", "T-2", "2026-02-10"}, {"U-8", "T-8", "2026-02-20"},
           {"U-7", "T-7", "2024-02-20"}, // older than placement.ini's 365 days
           {"U-3", "T-3", "2026-02-01"}}) {
    rt().ok(consultant, "placement.record",
            R"({"unit_id":")" + unit + R"(","tenancy_id":")" + tenancy + R"(","placed_on":")" + day + R"("})");
  }
  const auto metrics = rt().ok(coordinator, "metrics.neighbourhood");
  const auto overview = metrics->getObject("overview");
  EXPECT_EQ(overview->getValue<int>("min_count"), 3);
  EXPECT_EQ(overview->getValue<int>("recent_days"), 365);
  EXPECT_EQ(overview->getObject("limits")->getObject("entrance")->getValue<int>("open_cases"), 1);
  EXPECT_EQ(overview->getObject("limits")->getObject("street")->getValue<int>("open_cases"), 5);

  // Entrance A of 1091AB: three open cases and three recent placements, over the limits of 1.
  const auto a = cell(metrics, "Oosterparkstraat", "entrance", "1091AB", "A");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->getValue<std::string>("neighbourhood_code"), "BU03630402");
  EXPECT_EQ(a->getValue<int>("open_cases"), 3);
  EXPECT_EQ(a->getValue<int>("recent_vulnerable_placements"), 3);
  EXPECT_EQ(a->getValue<int>("open_cases_limit"), 1);
  EXPECT_EQ(a->getValue<int>("recent_vulnerable_placements_limit"), 1);
  EXPECT_TRUE(a->getValue<bool>("over_limit"));
  EXPECT_FALSE(a->getValue<bool>("suppressed"));
  EXPECT_FALSE(a->has("suppressed_reason"));

  // Entrance B: one case and one placement: both suppressed, and no over-limit mark
  // although 1 reaches the entrance limit of 1 (the mark would give the count away).
  const auto b = cell(metrics, "Oosterparkstraat", "entrance", "1091AB", "B");
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->isNull("open_cases"));
  EXPECT_TRUE(b->isNull("recent_vulnerable_placements"));
  EXPECT_TRUE(b->getValue<bool>("suppressed"));
  EXPECT_NE(b->getValue<std::string>("suppressed_reason").find("below 3"), std::string::npos);
  EXPECT_FALSE(b->getValue<bool>("over_limit"));

  // A house without an entrance code counts in its building (street and postcode).
  const auto house = cell(metrics, "Oosterparkstraat", "building", "1091AD");
  ASSERT_TRUE(house);
  EXPECT_TRUE(house->isNull("open_cases"));
  EXPECT_EQ(house->getValue<int>("recent_vulnerable_placements"), 0); // zero gives nothing away
  EXPECT_EQ(house->getValue<int>("open_cases_limit"), 2);

  // The street has five open cases and four recent placements, but entrance B's and the
  // house's counts are suppressed: shown, the street's total would give them away (5 - 3
  // = 2 for two cells of at least 1 each). So it shows only the sum of the shown cells,
  // and judges its limits (5 and 4) on that.
  const auto street = cell(metrics, "Oosterparkstraat", "street");
  ASSERT_TRUE(street);
  EXPECT_TRUE(street->isNull("open_cases"));
  EXPECT_EQ(street->getValue<int>("open_cases_at_least"), 3);
  EXPECT_TRUE(street->isNull("recent_vulnerable_placements"));
  EXPECT_EQ(street->getValue<int>("recent_vulnerable_placements_at_least"), 3);
  EXPECT_TRUE(street->getValue<bool>("suppressed"));
  EXPECT_NE(street->getValue<std::string>("suppressed_reason").find("entrance or building"), std::string::npos);
  EXPECT_FALSE(street->getValue<bool>("over_limit"));
  // Wibautstraat, another neighbourhood: one case, suppressed at every scope.
  const auto wibaut = cell(metrics, "Wibautstraat", "street");
  ASSERT_TRUE(wibaut);
  EXPECT_TRUE(wibaut->isNull("open_cases"));
  EXPECT_FALSE(wibaut->getValue<bool>("over_limit"));
  // The street comes before its entrances.
  const auto streets = metrics->getArray("streets");
  EXPECT_EQ(streets->getObject(0)->getValue<std::string>("scope"), "street");
  EXPECT_EQ(streets->getObject(0)->getValue<std::string>("street"), "Oosterparkstraat");

  // One neighbourhood only.
  const auto one = rt().ok(coordinator, "metrics.neighbourhood", R"({"neighbourhood_code":"BU03630403"})");
  EXPECT_FALSE(cell(one, "Oosterparkstraat", "street"));
  EXPECT_TRUE(cell(one, "Wibautstraat", "street"));

  // Nobody in it: no house numbers, units, tenancies, people.
  const std::string text = rt().call(coordinator, "metrics.neighbourhood").body;
  for (const char *personal : {"12-1", "12-4", "\"80\"", "U-1", "U-7", "T-1", "T-8", "tenant-", "coord-1", "hc-1"}) {
    EXPECT_EQ(text.find(personal), std::string::npos) << personal;
  }
}

TEST_P(NeighbourhoodOverview, AStreetWithoutSuppressedCellsShowsItsTotal) {
  add_homes();
  // Three open cases, all behind entrance A: no cell of the street is suppressed.
  for (const char *tenancy : {"T-1", "T-2", "T-7"}) rt().open_case(coordinator, tenancy);
  const auto metrics = rt().ok(coordinator, "metrics.neighbourhood");
  const auto street = cell(metrics, "Oosterparkstraat", "street");
  ASSERT_TRUE(street);
  EXPECT_EQ(street->getValue<int>("open_cases"), 3);
  EXPECT_FALSE(street->has("open_cases_at_least"));
  EXPECT_EQ(street->getValue<int>("recent_vulnerable_placements"), 0);
  EXPECT_FALSE(street->getValue<bool>("suppressed"));
  EXPECT_FALSE(street->getValue<bool>("over_limit")); // 3 against the street's limit of 5
  const auto a = cell(metrics, "Oosterparkstraat", "entrance", "1091AB", "A");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->getValue<int>("open_cases"), 3);
  EXPECT_TRUE(a->getValue<bool>("over_limit")); // the entrance's limit is 1
}

TEST_P(NeighbourhoodOverview, PassingTheBuckPerOrganisation) {
  const std::string a = rt().open_case(coordinator, "T-1");
  const std::string b = rt().open_case(coordinator, "T-2");
  const auto offer = [&](const Who &from, const std::string &id, const Who &to) {
    return rt().ok(from, "handoff.offer",
                   R"({"case_id":")" + id + R"(","to_user":")" + to.user + R"(","to_organisation":")" + to.organisation +
                       R"(","to_role":")" + to.role + R"(","reason":"r"})")
        ->getValue<std::string>("offer_id");
  };
  // gemeente:0363 offers case a to care:ggz-west, which declines, then accepts a second
  // offer and passes the case back on to the gemeente.
  rt().ok(care_pro, "handoff.decline", R"({"offer_id":")" + offer(coordinator, a, care_pro) + R"(","reason":"full"})");
  rt().ok(care_pro, "handoff.accept", R"({"offer_id":")" + offer(coordinator, a, care_pro) + R"("})");
  rt().clock().advance_days(1);
  offer(care_pro, a, coordinator_other);
  rt().clock().advance_ms(1);
  // Case b waits at the gemeente's coord-3 too, a millisecond less.
  offer(coordinator, b, coordinator_other);
  rt().clock().advance_ms(5 * kDay - 1); // case a's offer: 5 days (offer_waiting_days); b's: not yet
  auto metrics = rt().ok(coordinator, "metrics.neighbourhood");
  EXPECT_EQ(metrics->getObject("overview")->getValue<int>("offer_waiting_days"), 5);
  auto care = organisation(metrics, "care:ggz-west");
  ASSERT_TRUE(care);
  EXPECT_EQ(care->getValue<int>("offers_received"), 2);
  EXPECT_EQ(care->getValue<int>("declined"), 1);
  EXPECT_EQ(care->getValue<int>("accepted"), 1);
  EXPECT_EQ(care->getValue<int>("offers_made"), 1);
  EXPECT_EQ(care->getValue<int>("passed_on"), 1);
  auto gemeente = organisation(metrics, "gemeente:0363");
  ASSERT_TRUE(gemeente);
  EXPECT_EQ(gemeente->getValue<int>("offers_made"), 3);
  EXPECT_EQ(gemeente->getValue<int>("waiting"), 2);
  EXPECT_EQ(gemeente->getValue<int>("waiting_long"), 1);
  rt().clock().advance_ms(1);
  gemeente = organisation(rt().ok(coordinator, "metrics.neighbourhood"), "gemeente:0363");
  EXPECT_EQ(gemeente->getValue<int>("waiting_long"), 2);
  EXPECT_EQ(gemeente->getValue<int>("passed_on"), 0);
}

HANDOFF_BACKENDS(NeighbourhoodOverview);

class NeighbourhoodOverviewWithoutSuppression : public NeighbourhoodOverview {
protected:
  std::optional<std::filesystem::path> config_dir() override {
    folder_ = std::make_unique<ScratchDir>();
    copy_config(folder_->path(), {{"placement.ini", {{"[overview] min_count", "1"}}}});
    return folder_->path();
  }
  std::unique_ptr<ScratchDir> folder_;
};

TEST_P(NeighbourhoodOverviewWithoutSuppression, MinCountComesFromTheConfiguration) {
  rt().open_case(coordinator, "T-3");
  const auto b = cell(rt().ok(coordinator, "metrics.neighbourhood"), "Oosterparkstraat", "entrance", "1091AB", "B");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->getValue<int>("open_cases"), 1);
  EXPECT_FALSE(b->getValue<bool>("suppressed"));
  EXPECT_TRUE(b->getValue<bool>("over_limit")); // at the entrance limit of 1
}

HANDOFF_BACKENDS(NeighbourhoodOverviewWithoutSuppression);

} // namespace
} // namespace hearth::test::handoff
