// Cases and warm handoffs: opening, reading, the transition table, offers with a summary
// limited by the legal basis, accept / decline (with a reason) / withdraw, and that the
// sender stays owner until the receiver accepts.
#include "handoff_test_base.hpp"

namespace hearth::test::handoff {
namespace {

using namespace cast;

class CasesAndHandoff : public HandoffTest {
protected:
  std::string offer(const std::string &case_id, const Who &to, const std::string &summary = "[]",
                    bool named = true) {
    const std::string to_user = named ? R"("to_user":")" + to.user + R"(",)" : "";
    const auto reply = rt().call(coordinator, "handoff.offer",
                                 R"({"case_id":")" + case_id + R"(",)" + to_user + R"("to_organisation":")" +
                                     to.organisation + R"(","to_role":")" + to.role +
                                     R"(","reason":"Care needs are leading now","summary":)" + summary + "}");
    EXPECT_EQ(reply.status, HEARTH_OK) << reply.body;
    return reply.ok() ? reply.json()->getValue<std::string>("offer_id") : "";
  }
  std::string owner_of(const std::string &case_id) {
    return text("SELECT owner_user FROM ch_case WHERE id = ?", {case_id});
  }
};

TEST_P(CasesAndHandoff, OpenedCaseHasOneOwnerAndIsAudited) {
  const std::string id = rt().open_case(coordinator, "T-1");
  ASSERT_FALSE(id.empty());
  const auto c = rt().ok(coordinator, "case.get", R"({"case_id":")" + id + R"("})");
  EXPECT_EQ(c->getValue<std::string>("state"), "signalled");
  EXPECT_EQ(c->getValue<int>("level"), 0);
  EXPECT_EQ(c->getObject("owner")->getValue<std::string>("user"), "coord-1");
  EXPECT_EQ(c->getObject("owner")->getValue<std::string>("organisation"), "gemeente:0363");
  EXPECT_TRUE(c->isNull("open_offer"));
  EXPECT_FALSE(c->getValue<bool>("care_basis_recorded"));
  const auto audit = audit_rows(db(), "case:" + id);
  ASSERT_GE(audit.size(), 2u);
  EXPECT_EQ(audit[0].event, "create");
  EXPECT_EQ(audit[0].user, "coord-1");
  EXPECT_EQ(audit.back().event, "read");
}

TEST_P(CasesAndHandoff, OneOpenCasePerTenancy) {
  rt().open_case(coordinator, "T-1");
  const auto again = rt().call(coordinator_other, "case.open",
                               R"({"tenancy_id":"T-1","legal_basis":"avg-6-1-e","reason":"again"})");
  EXPECT_EQ(again.status, HEARTH_ERROR_CONFLICT) << again.body;
  EXPECT_NE(again.body.find("tenancy_id"), std::string::npos) << again.body;
}

TEST_P(CasesAndHandoff, BadInputNamesTheFieldAndWritesNothing) {
  const struct {
    const char *args;
    const char *field;
  } cases[] = {
      {R"({"legal_basis":"avg-6-1-e","reason":"r"})", "tenancy_id: missing"},
      {R"({"tenancy_id":"T-1","legal_basis":"avg-6-1-f","reason":"r"})", "legal_basis: is not one of"},
      {R"({"tenancy_id":"T-1","legal_basis":"avg-6-1-e"})", "reason: missing"},
      {R"({"tenancy_id":"111222333","legal_basis":"avg-6-1-e","reason":"r"})", "tenancy_id: looks like a BSN"},
      {R"({"tenancy_id":"T-1","legal_basis":"avg-6-1-e","reason":"r","care_basis":"avg-6-1-e"})", "care_basis"},
      {R"({"tenancy_id":42,"legal_basis":"avg-6-1-e","reason":"r"})", "tenancy_id: must be a string"},
      {R"([1,2])", "arguments: must be a JSON object"},
      {R"({"tenancy_id":)", "arguments: not valid JSON"},
  };
  for (const auto &c : cases) {
    const auto reply = rt().call(coordinator, "case.open", c.args);
    EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT) << c.args << " -> " << reply.body;
    EXPECT_NE(reply.body.find(c.field), std::string::npos) << c.args << " -> " << reply.body;
  }
  EXPECT_EQ(number("SELECT COUNT(*) FROM ch_case"), 0);
  const auto unknown = rt().call(coordinator, "case.open", R"({"tenancy_id":"T-99","legal_basis":"avg-6-1-e","reason":"r"})");
  EXPECT_EQ(unknown.status, HEARTH_ERROR_NOT_FOUND) << unknown.body;
  EXPECT_EQ(rt().call(coordinator, "case.no-such-thing").status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(rt().call(coordinator, "case.get", R"({"case_id":"case-missing"})").body, "case_id: no case with this id");
}

TEST_P(CasesAndHandoff, SenderStaysOwnerUntilTheReceiverAccepts) {
  const std::string id = rt().open_case(coordinator, "T-1");
  const std::string offer_id = offer(id, coordinator_care, R"([{"data_class":"case_plan","text":"Plan so far"}])");
  // Offered, not accepted: the sender is the owner and the receiver is not yet a member.
  EXPECT_EQ(owner_of(id), "coord-1");
  const auto c = rt().ok(coordinator, "case.get", R"({"case_id":")" + id + R"("})");
  EXPECT_EQ(c->getObject("open_offer")->getValue<std::string>("offer_id"), offer_id);
  EXPECT_EQ(rt().call(coordinator_care, "case.get", R"({"case_id":")" + id + R"("})").status, HEARTH_ERROR_NOT_FOUND);
  // The receiver's inbox shows the offer with its summary.
  const auto inbox = rt().ok(coordinator_care, "handoff.inbox");
  ASSERT_EQ(inbox->getArray("offers")->size(), 1u);
  const auto item = inbox->getArray("offers")->getObject(0);
  EXPECT_EQ(item->getValue<std::string>("offer_id"), offer_id);
  EXPECT_EQ(item->getArray("summary")->size(), 1u);
  EXPECT_EQ(item->getObject("from")->getValue<std::string>("user"), "coord-1");
  // Nobody else may accept.
  const auto stranger = rt().call(coordinator_other, "handoff.accept", R"({"offer_id":")" + offer_id + R"("})");
  EXPECT_EQ(stranger.status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(stranger.body, "offer_id: no offer with this id");
  EXPECT_EQ(owner_of(id), "coord-1");
  bool refusal_audited = false;
  for (const auto &row : audit_rows(db(), "offer:" + offer_id)) {
    refusal_audited |= row.user == "coord-3" && row.outcome == "denied";
  }
  EXPECT_TRUE(refusal_audited);
  // Acceptance moves ownership, at once and completely.
  const auto accepted = rt().ok(coordinator_care, "handoff.accept", R"({"offer_id":")" + offer_id + R"("})");
  EXPECT_EQ(accepted->getObject("owner")->getValue<std::string>("user"), "coord-2");
  EXPECT_EQ(owner_of(id), "coord-2");
  EXPECT_EQ(rt().call(coordinator, "case.get", R"({"case_id":")" + id + R"("})").status, HEARTH_ERROR_NOT_FOUND);
  const auto history = rt().ok(coordinator_care, "case.history", R"({"case_id":")" + id + R"("})");
  const auto owners = history->getArray("owners");
  ASSERT_EQ(owners->size(), 2u);
  EXPECT_EQ(owners->getObject(0)->getValue<std::string>("user"), "coord-1");
  EXPECT_EQ(owners->getObject(0)->getValue<std::int64_t>("until_ms"), owners->getObject(1)->getValue<std::int64_t>("from_ms"));
  EXPECT_TRUE(owners->getObject(1)->isNull("until_ms"));
  EXPECT_EQ(owners->getObject(1)->getValue<std::string>("how"), "handoff");
  // Answered: accepting again conflicts.
  EXPECT_EQ(rt().call(coordinator_care, "handoff.accept", R"({"offer_id":")" + offer_id + R"("})").status,
            HEARTH_ERROR_CONFLICT);
}

TEST_P(CasesAndHandoff, DeclineNeedsAReasonAndLeavesTheOwner) {
  const std::string id = rt().open_case(coordinator, "T-1");
  const std::string offer_id = offer(id, coordinator_care);
  const auto no_reason = rt().call(coordinator_care, "handoff.decline", R"({"offer_id":")" + offer_id + R"("})");
  EXPECT_EQ(no_reason.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(no_reason.body.find("reason: missing: a decline needs a reason"), std::string::npos) << no_reason.body;
  const auto empty = rt().call(coordinator_care, "handoff.decline", R"({"offer_id":")" + offer_id + R"(","reason":""})");
  EXPECT_EQ(empty.status, HEARTH_ERROR_INVALID_ARGUMENT);
  rt().ok(coordinator_care, "handoff.decline", R"({"offer_id":")" + offer_id + R"(","reason":"No capacity this month"})");
  EXPECT_EQ(owner_of(id), "coord-1");
  EXPECT_EQ(rt().ok(coordinator_care, "handoff.inbox")->getArray("offers")->size(), 0u);
  EXPECT_EQ(rt().call(coordinator_care, "handoff.accept", R"({"offer_id":")" + offer_id + R"("})").status,
            HEARTH_ERROR_CONFLICT);
  EXPECT_EQ(text("SELECT answer_reason FROM ch_offer WHERE id = ?", {offer_id}), "No capacity this month");
  // The decline is on the timeline with its reason.
  const auto timeline = rt().ok(coordinator, "timeline.get", R"({"case_id":")" + id + R"("})")->getArray("entries");
  bool seen = false;
  for (unsigned i = 0; i < timeline->size(); ++i) {
    seen |= timeline->getObject(i)->getValue<std::string>("kind") == "handoff-declined";
  }
  EXPECT_TRUE(seen);
}

TEST_P(CasesAndHandoff, OfferToAnOrganisationReachesItsRole) {
  const std::string id = rt().open_case(coordinator, "T-1");
  const std::string offer_id = offer(id, coordinator_care, "[]", false);
  EXPECT_EQ(rt().ok(care_pro, "handoff.inbox")->getArray("offers")->size(), 0u); // another role
  EXPECT_EQ(rt().ok(coordinator_care, "handoff.inbox")->getArray("offers")->size(), 1u);
  EXPECT_EQ(rt().call(care_pro, "handoff.accept", R"({"offer_id":")" + offer_id + R"("})").status,
            HEARTH_ERROR_NOT_FOUND);
  rt().ok(coordinator_care, "handoff.accept", R"({"offer_id":")" + offer_id + R"("})");
  EXPECT_EQ(owner_of(id), "coord-2");
}

TEST_P(CasesAndHandoff, OnlyOwnerOffersAndOneOfferAtATime) {
  const std::string id = rt().open_case(coordinator, "T-1");
  const std::string first = offer(id, coordinator_care);
  const auto second = rt().call(coordinator, "handoff.offer",
                                R"({"case_id":")" + id +
                                    R"(","to_user":"coord-3","to_organisation":"gemeente:0363","to_role":"coordinator","reason":"r"})");
  EXPECT_EQ(second.status, HEARTH_ERROR_CONFLICT) << second.body;
  const auto self = rt().call(coordinator, "handoff.offer",
                              R"({"case_id":")" + id +
                                  R"(","to_user":"coord-1","to_organisation":"gemeente:0363","to_role":"coordinator","reason":"r"})");
  EXPECT_EQ(self.status, HEARTH_ERROR_INVALID_ARGUMENT);
  const auto tenant_role = rt().call(coordinator, "handoff.offer",
                                     R"({"case_id":")" + id +
                                         R"(","to_organisation":"corp:woonstad","to_role":"tenant","reason":"r"})");
  EXPECT_EQ(tenant_role.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(tenant_role.body.find("to_role"), std::string::npos);
  // The receiver may not withdraw; the owner may, and then offer again.
  EXPECT_EQ(rt().call(coordinator_care, "handoff.withdraw", R"({"offer_id":")" + first + R"(","reason":"r"})").status,
            HEARTH_ERROR_NOT_FOUND);
  rt().ok(coordinator, "handoff.withdraw", R"({"offer_id":")" + first + R"(","reason":"Found help closer by"})");
  EXPECT_EQ(rt().call(coordinator_care, "handoff.accept", R"({"offer_id":")" + first + R"("})").status,
            HEARTH_ERROR_CONFLICT);
  offer(id, coordinator_other);
}

TEST_P(CasesAndHandoff, SummaryCarriesOnlyWhatTheLegalBasisAllows) {
  const std::string id = rt().open_case(coordinator, "T-1");
  const auto send = [&](const Who &to, const std::string &summary) {
    return rt().call(coordinator, "handoff.offer",
                     R"({"case_id":")" + id + R"(","to_user":")" + to.user + R"(","to_organisation":")" +
                         to.organisation + R"(","to_role":")" + to.role + R"(","reason":"r","summary":)" + summary + "}");
  };
  // Care data without a recorded basis or consent: refused, naming the item.
  auto reply = send(coordinator_care, R"([{"data_class":"case_plan","text":"ok"},{"data_class":"care","text":"GGZ"}])");
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(reply.body.find("summary[1].data_class: care data may not be shared"), std::string::npos) << reply.body;
  // A housing consultant never receives care data, even with a basis.
  rt().ok(coordinator, "case.set_care_basis", R"({"case_id":")" + id + R"(","care_basis":"consent","reason":"signed"})");
  reply = send(consultant, R"([{"data_class":"care","text":"GGZ"}])");
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(reply.body.find("a housing_consultant may not receive care data"), std::string::npos) << reply.body;
  // Nor does a care professional receive finance data (policy.ini).
  reply = send(care_pro, R"([{"data_class":"finance","text":"arrears"}])");
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  reply = send(coordinator_care, R"([{"data_class":"unknown","text":"x"}])");
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(number("SELECT COUNT(*) FROM ch_offer"), 0);
  // With the basis recorded, care data may go to a coordinator of the care side.
  reply = send(coordinator_care, R"([{"data_class":"care","text":"GGZ treatment stopped"},{"data_class":"finance","text":"arrears"}])");
  ASSERT_EQ(reply.status, HEARTH_OK) << reply.body;
  const auto inbox = rt().ok(coordinator_care, "handoff.inbox")->getArray("offers");
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ(inbox->getObject(0)->getArray("summary")->size(), 2u);
}

TEST_P(CasesAndHandoff, TransitionTableWithRolesAndStates) {
  const std::string id = rt().open_case(coordinator, "T-1");
  const auto move = [&](const Who &who, const std::string &name) {
    return rt().call(who, "case.transition",
                     R"({"case_id":")" + id + R"(","transition":")" + name + R"(","reason":"as agreed"})");
  };
  EXPECT_EQ(move(coordinator, "assign").status, HEARTH_ERROR_CONFLICT); // not from signalled
  EXPECT_EQ(move(coordinator, "fly").status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(move(consultant, "start-triage").status, HEARTH_ERROR_DENIED); // not the owner
  for (const char *name : {"start-triage", "assign", "agree-plan", "activate", "monitor"}) {
    ASSERT_EQ(move(coordinator, name).status, HEARTH_OK) << name;
  }
  EXPECT_EQ(text("SELECT state FROM ch_case WHERE id = ?", {id}), "monitoring");
  EXPECT_EQ(move(care_pro, "resume").status, HEARTH_ERROR_NOT_FOUND); // not a member
  const std::string offer_id = offer(id, coordinator_care);
  ASSERT_EQ(move(coordinator, "close").status, HEARTH_OK);
  EXPECT_EQ(text("SELECT status FROM ch_offer WHERE id = ?", {offer_id}), "cancelled");
  EXPECT_EQ(number("SELECT is_open FROM ch_case WHERE id = ?", {id}), 0);
  // Closed, the consultant whose portfolio holds the tenancy may reopen it.
  ASSERT_EQ(move(consultant, "reopen").status, HEARTH_OK);
  EXPECT_EQ(text("SELECT state FROM ch_case WHERE id = ?", {id}), "triage");
  EXPECT_EQ(owner_of(id), "coord-1");
  const auto transitions = number("SELECT COUNT(*) FROM ch_timeline WHERE case_id = ? AND kind = 'transition'", {id});
  EXPECT_EQ(transitions, 7);
  std::size_t updates = 0;
  for (const auto &row : audit_rows(db(), "case:" + id)) {
    updates += row.event == "update" && row.outcome != "denied";
  }
  EXPECT_GE(updates, 8u); // seven transitions and one offer
}

TEST_P(CasesAndHandoff, ExportPublishesTheDocumentedEvent) {
  rt_.reset(); // a runtime with the listener module, on a fresh store
  store_.reset();
  store_ = std::make_unique<TestStore>(GetParam());
  rt_ = std::make_unique<HandoffRuntime>(*store_, std::nullopt, "", true);
  rt().seed();
  const std::string id = rt().open_case(coordinator, "T-1");
  EXPECT_EQ(rt().call(coordinator, "case.export", R"({"case_id":")" + id + R"(","target":"sap"})").status,
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(rt().call(coordinator_other, "case.export", R"({"case_id":")" + id + R"(","target":"vera"})").status,
            HEARTH_ERROR_NOT_FOUND);
  rt().ok(coordinator, "case.export", R"({"case_id":")" + id + R"(","target":"vera"})");
  const auto events = rt().published_events();
  Poco::JSON::Object::Ptr exported;
  for (unsigned i = 0; i < events->size(); ++i) {
    if (events->getObject(i)->getValue<std::string>("type") == "nl.hearth.case.export-requested/1") {
      exported = events->getObject(i)->getObject("payload");
    }
  }
  ASSERT_TRUE(exported);
  EXPECT_EQ(exported->getValue<std::string>("case_id"), id);
  EXPECT_EQ(exported->getValue<std::string>("target"), "vera");
  EXPECT_EQ(exported->getValue<std::string>("tenancy_id"), "T-1");
  EXPECT_EQ(exported->getObject("coordinator")->getValue<std::string>("vera_role"), "ZAA");
  EXPECT_EQ(exported->getObject("coordinator")->getValue<std::string>("user"), "coord-1");
  EXPECT_EQ(exported->getValue<std::string>("legal_basis"), "avg-6-1-e");
  EXPECT_FALSE(exported->has("reason")); // no case content travels in the event
  bool audited = false;
  for (const auto &row : audit_rows(db(), "export:vera")) {
    audited |= row.event == "export" && row.user == "coord-1";
  }
  EXPECT_TRUE(audited);
}

HANDOFF_BACKENDS(CasesAndHandoff);

} // namespace
} // namespace hearth::test::handoff
