// Time-out homes and crisis places (reserve, occupy, release, availability; no double
// booking, also when many reserve at once) and placement advice for allocation.
#include <thread>

#include "handoff_test_base.hpp"

namespace hearth::test::handoff {
namespace {

using namespace cast;

class Places : public HandoffTest {
protected:
  Reply reserve(const Who &who, const std::string &place, const std::string &case_id, const std::string &from,
                const std::string &until) {
    return rt().call(who, "places.reserve",
                     R"({"place_id":")" + place + R"(","case_id":")" + case_id + R"(","from_date":")" + from +
                         R"(","until_date":")" + until + R"("})");
  }
  Poco::JSON::Object::Ptr place(const std::string &id, const std::string &from, const std::string &until) {
    const auto places = rt().ok(care_pro, "places.availability",
                                R"({"from_date":")" + from + R"(","until_date":")" + until + R"("})")
                            ->getArray("places");
    for (unsigned i = 0; i < places->size(); ++i) {
      if (places->getObject(i)->getValue<std::string>("place_id") == id) {
        return places->getObject(i);
      }
    }
    ADD_FAILURE() << "no place " << id;
    return new Poco::JSON::Object();
  }
  // `n` more tenancies T-10.. on U-5 with open cases owned by coord-1.
  std::vector<std::string> many_cases(int n) {
    std::string records = "[";
    for (int i = 0; i < n; ++i) {
      records += std::string(i == 0 ? "" : ",") + R"({"kind":"tenancy","id":"T-)" + std::to_string(10 + i) +
                 R"(","unit_id":"U-5","start_date":"2020-01-01","portfolio_owner":"hc-2"})";
    }
    rt().put(records + "]");
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      ids.push_back(rt().open_case(coordinator, "T-" + std::to_string(10 + i)));
    }
    return ids;
  }
};

TEST_P(Places, ReserveOccupyReleaseWithoutDoubleBooking) {
  const std::string a = rt().open_case(coordinator, "T-1");
  const std::string b = rt().open_case(coordinator, "T-2");
  EXPECT_EQ(place("TO-WEST-1", "2026-03-10", "2026-03-20")->getValue<int>("free_every_day"), 1);
  const auto first = reserve(coordinator, "TO-WEST-1", a, "2026-03-10", "2026-03-17");
  ASSERT_EQ(first.status, HEARTH_OK) << first.body;
  const std::string reservation = first.json()->getValue<std::string>("reservation_id");
  // Capacity 1: an overlapping stay is refused, naming the first full day.
  const auto overlap = reserve(coordinator, "TO-WEST-1", b, "2026-03-16", "2026-03-20");
  EXPECT_EQ(overlap.status, HEARTH_ERROR_CONFLICT);
  EXPECT_NE(overlap.body.find("fully booked on 2026-03-16"), std::string::npos) << overlap.body;
  // Back to back is fine (until_date is the day the place is free again).
  EXPECT_EQ(reserve(coordinator, "TO-WEST-1", b, "2026-03-17", "2026-03-20").status, HEARTH_OK);
  const auto availability = place("TO-WEST-1", "2026-03-09", "2026-03-21");
  EXPECT_EQ(availability->getValue<int>("free_every_day"), 0);
  EXPECT_EQ(availability->getArray("days")->getObject(0)->getValue<int>("free"), 1);  // the 9th
  EXPECT_EQ(availability->getArray("days")->getObject(11)->getValue<int>("free"), 1); // the 20th
  EXPECT_FALSE(availability->has("case_id"));
  // Occupy, then release: the days are free again.
  rt().ok(coordinator, "places.occupy", R"({"reservation_id":")" + reservation + R"("})");
  EXPECT_EQ(rt().call(coordinator, "places.occupy", R"({"reservation_id":")" + reservation + R"("})").status,
            HEARTH_ERROR_CONFLICT);
  EXPECT_EQ(rt().call(coordinator_other, "places.release", R"({"reservation_id":")" + reservation + R"("})").status,
            HEARTH_ERROR_NOT_FOUND);
  rt().ok(coordinator, "places.release", R"({"reservation_id":")" + reservation + R"("})");
  EXPECT_EQ(place("TO-WEST-1", "2026-03-10", "2026-03-17")->getValue<int>("free_every_day"), 1);
  EXPECT_EQ(rt().call(coordinator, "places.release", R"({"reservation_id":")" + reservation + R"("})").status,
            HEARTH_ERROR_CONFLICT);
}

TEST_P(Places, BadReservationsNameTheField) {
  const std::string a = rt().open_case(coordinator, "T-1");
  EXPECT_EQ(reserve(coordinator, "NOWHERE", a, "2026-03-10", "2026-03-12").status, HEARTH_ERROR_NOT_FOUND);
  auto reply = reserve(coordinator, "TO-WEST-1", a, "2026-03-12", "2026-03-10");
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(reply.body.find("until_date"), std::string::npos);
  reply = reserve(coordinator, "TO-WEST-1", a, "2026-02-20", "2026-03-10");
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(reply.body.find("from_date"), std::string::npos);
  reply = reserve(coordinator, "TO-WEST-1", a, "2026-03-10", "2026-12-10");
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(reply.body.find("max_days"), std::string::npos);
  EXPECT_EQ(reserve(coordinator_other, "TO-WEST-1", a, "2026-03-10", "2026-03-12").status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(reserve(consultant, "TO-WEST-1", a, "2026-03-10", "2026-03-12").status, HEARTH_ERROR_DENIED);
  EXPECT_EQ(number("SELECT COUNT(*) FROM ch_reservation"), 0);
}

TEST_P(Places, ConcurrentReservationsNeverExceedTheCapacity) {
  const auto cases = many_cases(8);
  for (const auto &[place_id, capacity] : {std::pair{std::string("TO-WEST-2"), 1}, std::pair{std::string("CRISIS-WEST"), 4}}) {
    std::atomic<int> ok{0}, full{0};
    std::vector<std::thread> threads;
    for (const auto &case_id : cases) {
      threads.emplace_back([&, case_id] {
        const auto reply = reserve(coordinator, place_id, case_id, "2026-04-01", "2026-04-15");
        if (reply.ok()) {
          ++ok;
        } else if (reply.status == HEARTH_ERROR_CONFLICT) {
          ++full;
        }
      });
    }
    for (auto &thread : threads) {
      thread.join();
    }
    EXPECT_EQ(ok.load(), capacity) << place_id;
    EXPECT_EQ(full.load(), 8 - capacity) << place_id;
    EXPECT_EQ(number("SELECT COUNT(*) FROM ch_reservation WHERE place_id = ? AND status = 'reserved'", {place_id}),
              capacity);
  }
}

TEST_P(Places, PlacementAdviceCountsEntranceBuildingAndStreet) {
  // Open cases in entrance A of Oosterparkstraat 1091AB (U-1, U-2) and one in entrance B.
  rt().open_case(coordinator, "T-1");
  rt().open_case(coordinator, "T-3");
  const auto fits = rt().ok(consultant, "placement.advice", R"({"unit_id":"U-6"})");
  EXPECT_EQ(fits->getValue<std::string>("advice"), "not_advised");
  const auto scopes = fits->getArray("scopes");
  ASSERT_EQ(scopes->size(), 3u);
  EXPECT_EQ(scopes->getObject(0)->getValue<std::string>("scope"), "entrance");
  EXPECT_EQ(scopes->getObject(0)->getValue<int>("open_cases"), 1);
  EXPECT_TRUE(scopes->getObject(0)->getValue<bool>("at_or_over_limit"));
  EXPECT_EQ(scopes->getObject(1)->getValue<int>("open_cases"), 2);
  EXPECT_EQ(scopes->getObject(2)->getValue<int>("open_cases"), 2);
  const std::string explanation = fits->getValue<std::string>("explanation");
  EXPECT_NE(explanation.find("In entrance A of Oosterparkstraat (1091AB) there is 1 open case"), std::string::npos)
      << explanation;
  EXPECT_NE(explanation.find("look for a unit elsewhere"), std::string::npos) << explanation;
  EXPECT_EQ(explanation.find("T-1"), std::string::npos); // no tenancy or person is named
  // Elsewhere in the street the limits hold, until placements are recorded there.
  const auto other = rt().ok(consultant, "placement.advice", R"({"unit_id":"U-4"})");
  EXPECT_EQ(other->getValue<std::string>("advice"), "fits");
  EXPECT_FALSE(other->getArray("scopes")->getObject(0)->getValue<bool>("applies")); // no entrance code
  rt().ok(consultant, "placement.record", R"({"unit_id":"U-4","tenancy_id":"T-4","placed_on":"2026-01-15"})");
  rt().ok(consultant, "placement.record", R"({"unit_id":"U-4","tenancy_id":"T-4","placed_on":"2026-02-15"})");
  rt().ok(consultant, "placement.record", R"({"unit_id":"U-4","tenancy_id":"T-4","placed_on":"2024-01-15"})"); // too old
  const auto crowded = rt().ok(consultant, "placement.advice", R"({"unit_id":"U-4"})");
  EXPECT_EQ(crowded->getValue<std::string>("advice"), "not_advised");
  EXPECT_EQ(crowded->getArray("scopes")->getObject(1)->getValue<int>("recent_vulnerable_placements"), 2);
  // Who may ask: the consultant whose portfolio holds the unit, or a case member for a case.
  EXPECT_EQ(rt().call(consultant_other, "placement.advice", R"({"unit_id":"U-6"})").status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(rt().call(consultant, "placement.advice", R"({"unit_id":"U-99"})").status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(rt().call(coordinator, "placement.advice", R"({"unit_id":"U-6"})").status, HEARTH_ERROR_NOT_FOUND);
  const std::string case_id = text("SELECT id FROM ch_case WHERE tenancy_id = 'T-1'");
  EXPECT_EQ(rt().call(coordinator, "placement.advice", R"({"unit_id":"U-5","case_id":")" + case_id + R"("})").status,
            HEARTH_OK);
  EXPECT_EQ(rt().call(consultant_other, "placement.record",
                      R"({"unit_id":"U-4","tenancy_id":"T-4","placed_on":"2026-01-15"})")
                .status,
            HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(rt().call(consultant, "placement.record", R"({"unit_id":"U-5","tenancy_id":"T-4","placed_on":"2026-01-15"})")
                .status,
            HEARTH_ERROR_NOT_FOUND);
}

HANDOFF_BACKENDS(Places);

} // namespace
} // namespace hearth::test::handoff
