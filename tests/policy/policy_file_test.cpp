// Reading policy files: what is accepted, and clear errors (file, key, reason) for what
// is not, including the BSN rule that housing and neighbour roles never see a BSN.
#include <fstream>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "policy/policy.hpp"
#include "test_environment.hpp"

namespace hearth::policy {
namespace {

// The message from_string(`ini`, "site-policy.ini") throws (fails the test when none).
std::string load_error(const std::string &ini) {
  try {
    Policy::from_string(ini, "site-policy.ini");
  } catch (const std::invalid_argument &error) {
    return error.what();
  }
  ADD_FAILURE() << "accepted:\n" << ini;
  return {};
}

// Expects `message` to contain each of `parts`.
void expect_mentions(const std::string &message, std::initializer_list<std::string> parts) {
  for (const auto &part : parts) {
    EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' missing in: " << message;
  }
}

TEST(PolicyFile, ReadsGrantsWithBlanksCommentsAndEmptyCells) {
  const Policy policy = Policy::from_string(
      "; a comment\n"
      "[matrix]\n"
      "  housing_consultant.contact =  read ,search  \n"
      "tenant.care =\n"
      "[rules]\n"
      "bsn_roles = coordinator\n",
      "site-policy.ini");
  EXPECT_TRUE(policy.granted("housing_consultant", Action::read, DataClass::contact));
  EXPECT_TRUE(policy.granted("housing_consultant", Action::search, DataClass::contact));
  EXPECT_FALSE(policy.granted("housing_consultant", Action::update, DataClass::contact));
  EXPECT_FALSE(policy.granted("tenant", Action::read, DataClass::care));
  EXPECT_EQ(policy.bsn_roles(), std::set<std::string>{"coordinator"});
}

TEST(PolicyFile, UnknownRoleNamesFileKeyAndReason) {
  expect_mentions(load_error("[matrix]\nlandlord.contact = read\n"),
                  {"site-policy.ini", "[matrix]", "landlord", "unknown role 'landlord'"});
}

TEST(PolicyFile, RoleNamesAreExactCase) {
  expect_mentions(load_error("[matrix]\nTenant.contact = read\n"), {"unknown role 'Tenant'"});
}

TEST(PolicyFile, UnknownDataClassNamesKey) {
  expect_mentions(load_error("[matrix]\ntenant.medical = read\n"),
                  {"site-policy.ini", "tenant.medical", "unknown data class 'medical'"});
}

TEST(PolicyFile, UnknownActionNamesKey) {
  expect_mentions(load_error("[matrix]\ntenant.contact = read, raed\n"),
                  {"site-policy.ini", "tenant.contact", "unknown action 'raed'"});
}

TEST(PolicyFile, TrailingCommentInAValueIsAnUnknownAction) {
  expect_mentions(load_error("[matrix]\ntenant.contact = read ; only own\n"),
                  {"tenant.contact", "unknown action 'read ; only own'"});
}

TEST(PolicyFile, EmptyActionInListIsRefused) {
  expect_mentions(load_error("[matrix]\ntenant.contact = read,,update\n"),
                  {"tenant.contact", "empty action"});
}

TEST(PolicyFile, KeyOfAnotherShapeIsRefused) {
  expect_mentions(load_error("[matrix]\ntenant = read\n"), {"[matrix] tenant", "<role>.<data_class>"});
  expect_mentions(load_error("[matrix]\ntenant.contact.own = read\n"),
                  {"tenant.contact", "<role>.<data_class>"});
}

TEST(PolicyFile, UnknownSectionOrRuleIsRefused) {
  expect_mentions(load_error("[matrix]\ntenant.contact = read\n[grants]\nx = y\n"),
                  {"site-policy.ini", "grants"});
  expect_mentions(load_error("stray = 1\n[matrix]\ntenant.contact = read\n"), {"stray"});
  expect_mentions(load_error("[matrix]\n[rules]\nbsn_role = coordinator\n"),
                  {"[rules] bsn_role", "unknown rule"});
}

TEST(PolicyFile, MissingMatrixIsRefused) {
  expect_mentions(load_error("[rules]\nbsn_roles = coordinator\n"), {"site-policy.ini", "[matrix]"});
}

TEST(PolicyFile, BsnRolesRefuseHousingConsultantAndNeighbour) {
  for (const std::string role : {"housing_consultant", "neighbour"}) {
    expect_mentions(load_error("[matrix]\n[rules]\nbsn_roles = coordinator, " + role + "\n"),
                    {"site-policy.ini", "[rules] bsn_roles", "'" + role + "' may never see a BSN"});
  }
}

TEST(PolicyFile, BsnRolesRefuseUnknownAndEmptyRoles) {
  expect_mentions(load_error("[matrix]\n[rules]\nbsn_roles = police\n"),
                  {"bsn_roles", "unknown role 'police'"});
  expect_mentions(load_error("[matrix]\n[rules]\nbsn_roles = coordinator,\n"),
                  {"bsn_roles", "empty role"});
}

TEST(PolicyFile, MissingBsnRolesMeansNobody) {
  EXPECT_TRUE(Policy::from_string("[matrix]\n", "site-policy.ini").bsn_roles().empty());
}

TEST(PolicyFile, FromFileNamesThePath) {
  hearth::test::ScratchDir scratch;
  const auto path = scratch.path() / "policy.ini";
  std::ofstream(path) << "[matrix]\ncoordinator.case_plan = read, approve\n";
  try {
    Policy::from_file(path);
    FAIL() << "accepted an unknown action";
  } catch (const std::invalid_argument &error) {
    expect_mentions(error.what(), {path.string(), "coordinator.case_plan", "unknown action 'approve'"});
  }
}

TEST(PolicyFile, MissingFileNamesThePath) {
  hearth::test::ScratchDir scratch;
  const auto path = scratch.path() / "absent.ini";
  try {
    Policy::from_file(path);
    FAIL() << "read a missing file";
  } catch (const std::invalid_argument &error) {
    expect_mentions(error.what(), {path.string(), "cannot read"});
  }
}

} // namespace
} // namespace hearth::policy
