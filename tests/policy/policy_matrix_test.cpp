// The shipped config/policy.ini, cell by cell: every role x action x data class must equal
// the table below, so that a change to the file is a deliberate change to this test too.
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "policy/policy.hpp"
#include "test_environment.hpp"

namespace hearth::policy {
namespace {

// The actions of one cell as six letters in the order create, read, update, delete,
// search, export; '-' where not granted.
using Cell = std::string;

// role -> data class -> granted actions: what config/policy.ini must say.
const std::map<std::string, std::map<std::string, Cell>> expected_matrix{
    //                       contact   housing   finance   nuisance  care      case_plan
    {"tenant", {{"contact", "-r----"}, {"housing", "-r----"}, {"finance", "-r----"},
                {"nuisance", "-r----"}, {"care", "------"}, {"case_plan", "-r----"}}},
    {"neighbour", {{"contact", "------"}, {"housing", "------"}, {"finance", "------"},
                   {"nuisance", "cr----"}, {"care", "------"}, {"case_plan", "------"}}},
    {"housing_consultant",
     {{"contact", "cru-s-"}, {"housing", "cru-s-"}, {"finance", "-ru-s-"},
      {"nuisance", "cru-s-"}, {"care", "------"}, {"case_plan", "-ru---"}}},
    {"care_professional",
     {{"contact", "-r----"}, {"housing", "------"}, {"finance", "------"},
      {"nuisance", "-r----"}, {"care", "cru---"}, {"case_plan", "-ru---"}}},
    {"coordinator",
     {{"contact", "-ru-s-"}, {"housing", "-r----"}, {"finance", "-r----"},
      {"nuisance", "-r----"}, {"care", "-r----"}, {"case_plan", "cru-s-"}}},
    {"auditor", {{"contact", "------"}, {"housing", "------"}, {"finance", "------"},
                 {"nuisance", "------"}, {"care", "------"}, {"case_plan", "------"}}},
    {"administrator", {{"contact", "------"}, {"housing", "------"}, {"finance", "------"},
                       {"nuisance", "------"}, {"care", "------"}, {"case_plan", "------"}}},
    {"system", {{"contact", "c-u---"}, {"housing", "c-u-s-"}, {"finance", "c-u---"},
                {"nuisance", "c-u---"}, {"care", "------"}, {"case_plan", "------"}}},
};

// The letter of `action` in a Cell.
constexpr const char *action_letters = "crudse";

// The shipped policy file.
std::filesystem::path shipped_policy() {
  return std::filesystem::path(HEARTH_TEST_SOURCE_DIR) / "config" / "policy.ini";
}

// A record context that satisfies every record rule for `user`, so that check() answers
// exactly what the matrix says.
RecordContext satisfying_context(const std::string &user) {
  RecordContext record;
  record.tenancy_id = "tenancy:T-1";
  record.tenant_user = user;
  record.reporter_user = user;
  record.portfolio_owner = user;
  record.case_members = {user};
  record.care_basis_recorded = true;
  return record;
}

TEST(PolicyMatrix, ExpectedTableCoversEveryRoleAndDataClass) {
  ASSERT_EQ(expected_matrix.size(), known_roles().size());
  for (const auto &role : known_roles()) {
    ASSERT_TRUE(expected_matrix.contains(role)) << role;
    EXPECT_EQ(expected_matrix.at(role).size(), all_data_classes().size()) << role;
  }
}

TEST(PolicyMatrix, ShippedFileMatchesTheExpectedTableInEveryCell) {
  const Policy policy = Policy::from_file(shipped_policy());
  std::size_t cells = 0;
  for (const auto &role : known_roles()) {
    for (const DataClass data_class : all_data_classes()) {
      const Cell &cell = expected_matrix.at(role).at(name_of(data_class));
      ASSERT_EQ(cell.size(), all_actions().size()) << role << "." << name_of(data_class);
      for (std::size_t i = 0; i < all_actions().size(); ++i) {
        const Action action = all_actions()[i];
        const bool expected = cell[i] == action_letters[i];
        ASSERT_TRUE(cell[i] == '-' || expected) << "bad letter in the table for " << role;
        EXPECT_EQ(policy.granted(role, action, data_class), expected)
            << role << "." << name_of(data_class) << " " << name_of(action);

        Actor actor{"u-100", role, "corp:woonstad", "", "cli", false};
        const Decision decision =
            policy.check(actor, action, data_class, satisfying_context(actor.user));
        EXPECT_EQ(decision.allowed, expected)
            << role << "." << name_of(data_class) << " " << name_of(action) << ": "
            << decision.reason;
        ++cells;
      }
    }
  }
  EXPECT_EQ(cells, 8U * 6U * 6U);
}

TEST(PolicyMatrix, NobodyMayDeleteOrExport) {
  const Policy policy = Policy::from_file(shipped_policy());
  for (const auto &role : known_roles()) {
    for (const DataClass data_class : all_data_classes()) {
      EXPECT_FALSE(policy.granted(role, Action::delete_, data_class)) << role;
      EXPECT_FALSE(policy.granted(role, Action::export_, data_class)) << role;
    }
  }
}

TEST(PolicyMatrix, ShippedBsnRolesAreCareAndCoordinatorOnly) {
  const Policy policy = Policy::from_file(shipped_policy());
  EXPECT_EQ(policy.bsn_roles(), (std::set<std::string>{"care_professional", "coordinator"}));
}

TEST(PolicyMatrix, UnknownRoleIsDeniedEverything) {
  const Policy policy = Policy::from_file(shipped_policy());
  for (const std::string role : {"landlord", "", "Tenant", "coordinator "}) {
    for (const Action action : all_actions()) {
      for (const DataClass data_class : all_data_classes()) {
        EXPECT_FALSE(policy.granted(role, action, data_class)) << "'" << role << "'";
        const Decision decision = policy.check(Actor{"u-1", role, "corp:x", "", "cli", false},
                                               action, data_class, satisfying_context("u-1"));
        EXPECT_FALSE(decision.allowed) << "'" << role << "'";
        EXPECT_EQ(decision.reason, "unknown role");
      }
    }
  }
}

TEST(PolicyMatrix, RoleLeftOutOfTheFileIsDeniedEverything) {
  const Policy policy =
      Policy::from_string("[matrix]\ntenant.contact = read\n", "only-tenant.ini");
  const Decision decision = policy.check(Actor{"u-1", "coordinator", "gemeente:0363", "", "cli", false},
                                         Action::read, DataClass::contact, satisfying_context("u-1"));
  EXPECT_FALSE(decision.allowed);
  EXPECT_NE(decision.reason.find("no grant"), std::string::npos) << decision.reason;
}

TEST(PolicyNames, ParseAndNameRoundTrip) {
  for (const Action action : all_actions()) {
    EXPECT_EQ(parse_action(name_of(action)), action);
  }
  for (const DataClass data_class : all_data_classes()) {
    EXPECT_EQ(parse_data_class(name_of(data_class)), data_class);
  }
  EXPECT_EQ(parse_action("delete"), Action::delete_);
  EXPECT_EQ(parse_action("Read"), std::nullopt);
  EXPECT_EQ(parse_action("delete_"), std::nullopt);
  EXPECT_EQ(parse_data_class("caseplan"), std::nullopt);
  EXPECT_EQ(known_roles().size(), 8U);
  EXPECT_TRUE(is_known_role("system"));
  EXPECT_FALSE(is_known_role("root"));
}

} // namespace
} // namespace hearth::policy
