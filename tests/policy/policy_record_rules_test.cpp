// The record rules on top of the matrix: own tenancy, own reports, own portfolio, care
// only for case members with a recorded basis, missing context denies, emergency widens
// nothing. The policy here grants every role everything, so only the rules decide.
#include <string>

#include <gtest/gtest.h>

#include "policy/policy.hpp"

namespace hearth::policy {
namespace {

// Personal-looking ids used below; no reason may contain any of them.
const std::string tenant_user = "u-tenant-17";
const std::string other_user = "u-other-42";
const std::string tenancy = "tenancy:T-0042";

// A policy granting every role every action on every data class.
Policy grant_everything() {
  std::string ini = "[matrix]\n";
  for (const auto &role : known_roles()) {
    for (const DataClass data_class : all_data_classes()) {
      ini += role + "." + name_of(data_class) + " = create, read, update, delete, search, export\n";
    }
  }
  return Policy::from_string(ini, "grant-everything.ini");
}

// An actor of `role` with user id `user`.
Actor actor(const std::string &role, const std::string &user, bool emergency = false) {
  return Actor{user, role, "corp:woonstad", "", "crm:viewpoint", emergency};
}

// A record of tenancy T-0042: tenant `tenant_user`, in `portfolio`'s portfolio, reported
// by `reporter`, worked on by `members`.
RecordContext record(const std::string &portfolio, const std::string &reporter,
                     std::vector<std::string> members, bool care_basis) {
  RecordContext context;
  context.tenancy_id = tenancy;
  context.tenant_user = tenant_user;
  context.portfolio_owner = portfolio;
  context.reporter_user = reporter;
  context.case_members = std::move(members);
  context.care_basis_recorded = care_basis;
  return context;
}

class RecordRules : public ::testing::Test {
protected:
  // Asks the policy and checks that the reason carries no ids.
  Decision ask(const Actor &who, Action action, DataClass data_class,
               const std::optional<RecordContext> &context) {
    const Decision decision = policy.check(who, action, data_class, context);
    for (const auto &id : {tenant_user, other_user, tenancy, std::string("u-consultant-3"),
                           std::string("u-care-5"), std::string("u-coordinator-8")}) {
      EXPECT_EQ(decision.reason.find(id), std::string::npos) << decision.reason;
    }
    EXPECT_FALSE(decision.reason.empty());
    return decision;
  }

  Policy policy = grant_everything();
};

TEST_F(RecordRules, TenantReachesOnlyTheirOwnTenancy) {
  const auto own = record("u-consultant-3", other_user, {}, false);
  EXPECT_TRUE(ask(actor("tenant", tenant_user), Action::read, DataClass::finance, own).allowed);

  const Decision other = ask(actor("tenant", other_user), Action::read, DataClass::finance, own);
  EXPECT_FALSE(other.allowed);
  EXPECT_NE(other.reason.find("tenant rule"), std::string::npos) << other.reason;
}

TEST_F(RecordRules, TenantRuleDeniesWithoutTenantUserOrRecord) {
  auto context = record("u-consultant-3", other_user, {}, false);
  context.tenant_user.reset();
  const Decision missing = ask(actor("tenant", tenant_user), Action::read, DataClass::housing, context);
  EXPECT_FALSE(missing.allowed);
  EXPECT_NE(missing.reason.find("lacks tenant_user"), std::string::npos) << missing.reason;

  context.tenant_user = "";
  EXPECT_FALSE(ask(actor("tenant", tenant_user), Action::read, DataClass::housing, context).allowed);

  const Decision none = ask(actor("tenant", tenant_user), Action::read, DataClass::housing, std::nullopt);
  EXPECT_FALSE(none.allowed);
  EXPECT_NE(none.reason.find("no record context"), std::string::npos) << none.reason;
}

TEST_F(RecordRules, ActorWithoutUserIdIsDenied) {
  auto context = record("", "", {""}, true);
  context.tenant_user = "";
  EXPECT_FALSE(ask(actor("tenant", ""), Action::read, DataClass::contact, context).allowed);
  EXPECT_FALSE(ask(actor("coordinator", ""), Action::read, DataClass::contact, std::nullopt).allowed);
}

TEST_F(RecordRules, NeighbourReachesOnlyTheirOwnReports) {
  const auto report = record("u-consultant-3", other_user, {}, false);
  EXPECT_TRUE(ask(actor("neighbour", other_user), Action::read, DataClass::nuisance, report).allowed);
  EXPECT_TRUE(ask(actor("neighbour", other_user), Action::create, DataClass::nuisance, report).allowed);

  const auto someone_elses = record("u-consultant-3", "u-neighbour-99", {}, false);
  const Decision denied = ask(actor("neighbour", other_user), Action::read, DataClass::nuisance, someone_elses);
  EXPECT_FALSE(denied.allowed);
  EXPECT_NE(denied.reason.find("neighbour rule"), std::string::npos) << denied.reason;

  auto anonymous = report;
  anonymous.reporter_user.reset();
  const Decision missing = ask(actor("neighbour", other_user), Action::read, DataClass::nuisance, anonymous);
  EXPECT_FALSE(missing.allowed);
  EXPECT_NE(missing.reason.find("lacks reporter_user"), std::string::npos) << missing.reason;
}

TEST_F(RecordRules, ConsultantReachesOnlyTheirPortfolio) {
  const auto in_portfolio = record("u-consultant-3", other_user, {}, false);
  EXPECT_TRUE(ask(actor("housing_consultant", "u-consultant-3"), Action::update, DataClass::housing,
                  in_portfolio).allowed);

  const Decision outside = ask(actor("housing_consultant", "u-consultant-4"), Action::update,
                               DataClass::housing, in_portfolio);
  EXPECT_FALSE(outside.allowed);
  EXPECT_NE(outside.reason.find("portfolio rule"), std::string::npos) << outside.reason;

  auto unknown_owner = in_portfolio;
  unknown_owner.portfolio_owner.reset();
  const Decision missing = ask(actor("housing_consultant", "u-consultant-3"), Action::read,
                               DataClass::contact, unknown_owner);
  EXPECT_FALSE(missing.allowed);
  EXPECT_NE(missing.reason.find("lacks portfolio_owner"), std::string::npos) << missing.reason;

  EXPECT_FALSE(ask(actor("housing_consultant", "u-consultant-3"), Action::search, DataClass::contact,
                   std::nullopt).allowed);
}

TEST_F(RecordRules, CareForCaseMembersWithARecordedBasis) {
  const auto care_case = record("u-coordinator-8", other_user, {"u-care-5", "u-coordinator-9"}, true);
  EXPECT_TRUE(ask(actor("care_professional", "u-care-5"), Action::read, DataClass::care, care_case).allowed);
  EXPECT_TRUE(ask(actor("coordinator", "u-coordinator-9"), Action::read, DataClass::care, care_case).allowed);
  // The coordinator who owns the case, without being listed as member.
  EXPECT_TRUE(ask(actor("coordinator", "u-coordinator-8"), Action::read, DataClass::care, care_case).allowed);
}

TEST_F(RecordRules, CareWithoutBasisIsDenied) {
  const auto no_basis = record("u-coordinator-8", other_user, {"u-care-5"}, false);
  const Decision denied = ask(actor("care_professional", "u-care-5"), Action::read, DataClass::care, no_basis);
  EXPECT_FALSE(denied.allowed);
  EXPECT_NE(denied.reason.find("legal basis"), std::string::npos) << denied.reason;
  EXPECT_FALSE(ask(actor("coordinator", "u-coordinator-8"), Action::read, DataClass::care, no_basis).allowed);
}

TEST_F(RecordRules, CareByNonMemberIsDenied) {
  const auto care_case = record("u-coordinator-8", other_user, {"u-care-5"}, true);
  const Decision care = ask(actor("care_professional", "u-care-6"), Action::read, DataClass::care, care_case);
  EXPECT_FALSE(care.allowed);
  EXPECT_NE(care.reason.find("not a member"), std::string::npos) << care.reason;
  // Owning the case counts for coordinators only.
  EXPECT_FALSE(ask(actor("care_professional", "u-coordinator-8"), Action::read, DataClass::care,
                   care_case).allowed);
  EXPECT_FALSE(ask(actor("coordinator", "u-coordinator-7"), Action::read, DataClass::care, care_case).allowed);
}

TEST_F(RecordRules, CareWithoutCaseMembersOrRecordIsDenied) {
  auto care_case = record("u-coordinator-8", other_user, {}, true);
  care_case.portfolio_owner.reset();
  const Decision missing = ask(actor("care_professional", "u-care-5"), Action::read, DataClass::care, care_case);
  EXPECT_FALSE(missing.allowed);
  EXPECT_NE(missing.reason.find("lacks case_members"), std::string::npos) << missing.reason;
  EXPECT_FALSE(ask(actor("coordinator", "u-coordinator-8"), Action::read, DataClass::care, care_case).allowed);
  EXPECT_FALSE(ask(actor("care_professional", "u-care-5"), Action::read, DataClass::care, std::nullopt).allowed);
}

TEST_F(RecordRules, CareIsForCareRolesOnlyWhateverTheMatrixSays) {
  const auto care_case = record("u-consultant-3", other_user, {tenant_user, "u-consultant-3"}, true);
  for (const auto &[role, user] : std::vector<std::pair<std::string, std::string>>{
           {"tenant", tenant_user}, {"housing_consultant", "u-consultant-3"}, {"system", "u-system-1"},
           {"administrator", "u-admin-1"}, {"auditor", "u-auditor-1"}}) {
    const Decision denied = ask(actor(role, user), Action::read, DataClass::care, care_case);
    EXPECT_FALSE(denied.allowed) << role;
    EXPECT_NE(denied.reason.find("care rule"), std::string::npos) << role << ": " << denied.reason;
  }
}

TEST_F(RecordRules, EmergencyAccessWidensNothing) {
  const auto care_case = record("u-consultant-3", other_user, {"u-care-5"}, false);
  EXPECT_FALSE(ask(actor("housing_consultant", "u-consultant-4", true), Action::read, DataClass::contact,
                   care_case).allowed);
  EXPECT_FALSE(ask(actor("care_professional", "u-care-5", true), Action::read, DataClass::care,
                   care_case).allowed);
  EXPECT_FALSE(ask(actor("tenant", other_user, true), Action::read, DataClass::contact, care_case).allowed);
}

TEST_F(RecordRules, CaseRolesReachOnlyRecordsOfTheirCases) {
  const auto their_case = record("u-coordinator-8", other_user, {"u-care-5"}, false);
  EXPECT_TRUE(ask(actor("care_professional", "u-care-5"), Action::read, DataClass::contact, their_case).allowed);
  EXPECT_TRUE(ask(actor("coordinator", "u-coordinator-8"), Action::read, DataClass::contact, their_case).allowed);
  const Decision outsider = ask(actor("care_professional", "u-care-6"), Action::read, DataClass::contact, their_case);
  EXPECT_FALSE(outsider.allowed);
  EXPECT_NE(outsider.reason.find("case rule"), std::string::npos) << outsider.reason;
  EXPECT_FALSE(ask(actor("coordinator", "u-coordinator-8"), Action::read, DataClass::contact, std::nullopt).allowed);
}

TEST_F(RecordRules, RolesWithoutRecordRuleGetTheMatrixOnly) {
  EXPECT_TRUE(ask(actor("system", "u-system-1"), Action::create, DataClass::finance, std::nullopt).allowed);
}

TEST_F(RecordRules, MatrixDenialComesFirst) {
  const Policy shipped_like = Policy::from_string("[matrix]\ntenant.contact = read\n", "t.ini");
  const auto own = record("u-consultant-3", other_user, {}, false);
  const Decision denied = shipped_like.check(actor("tenant", tenant_user), Action::update,
                                             DataClass::contact, own);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.reason, "no grant for tenant.contact (update)");
}

} // namespace
} // namespace hearth::policy
