// The plugin in a real runtime on SQLite and PostgreSQL: flags raised from ingested
// signals, explained and recomputed; the policy per role (forbidden looks exactly like
// missing); decisions enforced, stored and audited; the accepted-flag event.
#include <algorithm>
#include <tuple>

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "engine/explanation.hpp"
#include "ew_runtime.hpp"
#include "rule_files.hpp"

namespace ew = hearth::early_warning;
using namespace hearth::test;
using namespace hearth::test::early_warning;

namespace {

Poco::JSON::Array::Ptr array_of(const std::string &json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Array::Ptr>();
}

std::vector<std::string> strings_of(const Poco::JSON::Array::Ptr &array) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    out.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
  }
  return out;
}

// The escalating history of the explanation tests, ending now: red.
std::vector<SignalSpec> escalating(const std::string &tenancy, const std::string &prefix) {
  return {spec(tenancy, prefix + "-1", "OVE", "GEL", 59, 0, 3), spec(tenancy, prefix + "-2", "OVE", "", 30, 0, 3),
          spec(tenancy, prefix + "-3", "SCH", "BET", 2, 145'000), spec(tenancy, prefix + "-4", "OVE", "GEL", 0, 0, 3),
          spec(tenancy, prefix + "-5", "X-BTR", "", 1, 20'000)};
}

class EarlyWarningFlags : public EwTest {
protected:
  void SetUp() override {
    if (!open_runtime()) {
      return;
    }
    std::string message;
    ASSERT_EQ(runtime_->plugin_state(message), HEARTH_PLUGIN_STATE_ACTIVE) << message;
    runtime_->add_tenancy("T-1", "consultant-1", "tenant-1");
    runtime_->add_tenancy("T-2", "consultant-2", "tenant-2");
    runtime_->add_tenancy("T-3", "coordinator-1", "tenant-3");
    runtime_->ingest(escalating("T-1", "a"));
  }

  // The id of T-1's latest flag (the red one).
  std::string t1_flag() {
    const auto answer = object_of(runtime_->ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-1"})"));
    const auto flags = answer->getArray("flags");
    EXPECT_EQ(flags->size(), 2u);
    return flags->size() == 2 ? flags->getObject(1)->getValue<std::string>("id") : "";
  }

  hearth_actor consultant_ = person("housing_consultant", "consultant-1");
};

} // namespace

TEST_P(EarlyWarningFlags, SignalsRaiseAFlagThatExplainsItself) {
  const auto answer = object_of(runtime_->ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-1","lang":"en"})"));
  EXPECT_EQ(answer->getValue<std::string>("scoring"), "on");
  const auto current = answer->getObject("current");
  EXPECT_EQ(current->getValue<std::string>("level"), "red");
  EXPECT_EQ(current->getValue<std::int64_t>("score"), 61);
  const auto flags = answer->getArray("flags");
  ASSERT_EQ(flags->size(), 2u) << "amber first, then red as the episode rose";
  const auto red = flags->getObject(1);
  EXPECT_EQ(red->getValue<std::string>("level"), "red");
  EXPECT_EQ(red->getValue<std::int64_t>("score"), 61);
  EXPECT_EQ(red->getValue<std::string>("status"), "proposed");
  EXPECT_TRUE(red->isNull("decision"));
  const auto &rules = default_rules();
  EXPECT_EQ(red->getObject("rule_set")->getValue<std::string>("version"), rules.version);
  EXPECT_EQ(red->getObject("rule_set")->getValue<std::string>("sha256"), rules.sha256);
  const auto explanation = red->getObject("explanation");
  EXPECT_EQ(strings_of(explanation->getArray("lines")),
            (std::vector<std::string>{"rent arrears of €1,450.00 (latest report): +28", "3 nuisance reports in 59 days: +18",
                                      "rent arrears and nuisance within 90 days: +15"}));
  EXPECT_EQ(explanation->getValue<std::string>("advice"),
            "This is advice, not a decision: a person reviews it and records why.");
  EXPECT_EQ(flags->getObject(0)->getValue<std::string>("level"), "amber");

  // In Dutch, with every signal's contribution; the signal the rule set ignores (a
  // payment arrangement) is not an input.
  const auto id = red->getValue<std::string>("id");
  const auto explained = object_of(runtime_->ok(consultant_, "flag.explain", R"({"flag_id":")" + id + R"("})"));
  EXPECT_EQ(strings_of(explained->getObject("explanation")->getArray("lines")).at(1),
            "3 overlastmeldingen in 59 dagen: +18");
  EXPECT_TRUE(explained->getValue<bool>("recomputes"));
  const auto signals = explained->getArray("signals");
  ASSERT_EQ(signals->size(), 4u);
  std::vector<ew::SignalInput> inputs;
  for (std::size_t i = 0; i < signals->size(); ++i) {
    const auto s = signals->getObject(static_cast<unsigned>(i));
    EXPECT_NE(s->getValue<std::string>("type"), "X-BTR");
    ew::SignalInput in;
    in.seq = s->getValue<std::uint64_t>("seq");
    in.type = s->getValue<std::string>("type");
    in.detail = s->getValue<std::string>("detail");
    in.occurred_at_ms = s->getValue<std::int64_t>("occurred_at_ms");
    in.amount_cents = s->getValue<std::int64_t>("amount_cents");
    in.severity = s->getValue<std::int32_t>("severity");
    inputs.push_back(in);
  }
  // The test's own recomputation from the shown inputs agrees.
  EXPECT_EQ(ew::evaluate_inputs(rules, inputs).total, 61);
}

TEST_P(EarlyWarningFlags, EveryStoredFlagRecomputes) {
  runtime_->ingest(escalating("T-2", "b"));
  runtime_->ingest({spec("T-3", "c-1", "SCH", "DEU", 3, 300'000, 4), spec("T-3", "c-2", "X-BTR", "VBR", 1, 90'000)});
  const auto auditor = person("auditor", "auditor-1");
  const auto answer = object_of(runtime_->ok(auditor, "flags.verify"));
  EXPECT_EQ(answer->getValue<std::int64_t>("flags"), 5);
  EXPECT_EQ(answer->getValue<std::int64_t>("recomputed"), 5);
  EXPECT_EQ(answer->getArray("mismatches")->size(), 0u);
  EXPECT_EQ(audit_lines(store_->store(), "flags:verify"), (std::vector<std::string>{"read allowed auditor-1 auditor"}));
  // Only auditors and administrators verify.
  EXPECT_EQ(runtime_->call(consultant_, "flags.verify").status, HEARTH_ERROR_DENIED);
}

TEST_P(EarlyWarningFlags, ForbiddenLooksExactlyLikeMissingForEveryRole) {
  struct Case {
    hearth_actor who;
    bool sees_t1;
  };
  const std::vector<Case> cases = {
      {person("housing_consultant", "consultant-1"), true}, {person("housing_consultant", "consultant-2"), false},
      {person("tenant", "tenant-1"), true},                 {person("tenant", "tenant-2"), false},
      {person("neighbour", "tenant-2"), false},             {person("care_professional", "care-1"), false},
      {person("coordinator", "coordinator-9"), false},      {person("auditor", "auditor-1"), false},
      {person("administrator", "admin-1"), false},          {person("system", "adapter-test"), false},
  };
  for (const auto &c : cases) {
    const auto result = runtime_->call(c.who, "flags.for-tenancy", R"({"tenancy_id":"T-1"})");
    const auto missing = runtime_->call(c.who, "flags.for-tenancy", R"({"tenancy_id":"T-404"})");
    EXPECT_EQ(missing.status, HEARTH_ERROR_NOT_FOUND) << c.who.role;
    EXPECT_EQ(missing.text, "tenancy 'T-404': not found");
    if (c.sees_t1) {
      EXPECT_EQ(result.status, HEARTH_OK) << c.who.role << " " << c.who.user << ": " << result.text;
    } else {
      EXPECT_EQ(result.status, HEARTH_ERROR_NOT_FOUND) << c.who.role << " " << c.who.user;
      EXPECT_EQ(result.text, "tenancy 'T-1': not found") << c.who.role;
    }
  }
  // A coordinator who owns the tenancy sees it (the case rule's owner clause).
  EXPECT_EQ(runtime_->call(person("coordinator", "coordinator-1"), "flags.for-tenancy", R"({"tenancy_id":"T-3"})").status,
            HEARTH_OK);
  // Every read and refusal is in the audit log, with who and the outcome.
  const auto lines = audit_lines(store_->store(), "tenancy:T-1");
  EXPECT_NE(std::find(lines.begin(), lines.end(), "read allowed consultant-1 housing_consultant"), lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "read denied consultant-2 housing_consultant"), lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "read allowed tenant-1 tenant"), lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "read denied tenant-2 neighbour"), lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "create allowed nl.hearth.early-warning system"), lines.end());

  // A flag id of someone else's tenancy looks like an unknown flag too.
  const auto id = t1_flag();
  for (const char *operation : {"flag.explain", "flag.decide"}) {
    const std::string args = std::string(R"({"flag_id":")") + id + R"(","decision":"accept","reason":"x"})";
    const auto forbidden = runtime_->call(person("housing_consultant", "consultant-2"), operation, args);
    EXPECT_EQ(forbidden.status, HEARTH_ERROR_NOT_FOUND) << operation;
    EXPECT_EQ(forbidden.text, "flag '" + id + "': not found");
    const auto unknown = runtime_->call(person("housing_consultant", "consultant-2"), operation,
                                        R"({"flag_id":"F1-000000000000","decision":"accept","reason":"x"})");
    EXPECT_EQ(unknown.status, HEARTH_ERROR_NOT_FOUND);
    EXPECT_EQ(unknown.text, "flag 'F1-000000000000': not found");
  }
}

TEST_P(EarlyWarningFlags, PortfolioShowsOnlyWhatTheActorMaySee) {
  runtime_->ingest(escalating("T-2", "b"));
  const auto mine = object_of(runtime_->ok(consultant_, "flags.portfolio"));
  const auto list = mine->getArray("flags");
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("tenancy_id"), "T-1");
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("level"), "red");
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("current_level"), "red");
  const auto tenant = object_of(runtime_->ok(person("tenant", "tenant-2"), "flags.portfolio"));
  ASSERT_EQ(tenant->getArray("flags")->size(), 1u);
  EXPECT_EQ(tenant->getArray("flags")->getObject(0)->getValue<std::string>("tenancy_id"), "T-2");
  const auto none = object_of(runtime_->ok(person("housing_consultant", "consultant-9"), "flags.portfolio"));
  EXPECT_EQ(none->getArray("flags")->size(), 0u);
  // Roles that may never read flags are refused outright, and that is audited.
  for (const char *role : {"neighbour", "auditor", "administrator", "system", "care_professional"}) {
    const auto refused = runtime_->call(person(role, "someone"), "flags.portfolio");
    EXPECT_EQ(refused.status, HEARTH_ERROR_DENIED) << role;
    EXPECT_EQ(refused.text, std::string("role '") + role + "' may not read flags");
  }
  // Bad arguments name the argument.
  EXPECT_EQ(runtime_->call(consultant_, "flags.portfolio", R"({"status":"open"})").text,
            "args.status: 'open' is not one of proposed, accepted, overridden, dismissed, any");
  EXPECT_EQ(runtime_->call(consultant_, "flags.portfolio", R"({"limit":0})").text, "args.limit: 0 is not from 1 to 1000");
  EXPECT_EQ(runtime_->call(consultant_, "flags.portfolio", R"({"min_level":"pink"})").text,
            "args.min_level: 'pink' is not one of green, amber, red");
}

TEST_P(EarlyWarningFlags, DecisionsNeedAReasonTheRightRoleAndHappenOnce) {
  const std::string id = t1_flag();
  ASSERT_FALSE(id.empty());
  const std::string flag = R"({"flag_id":")" + id + R"(")";
  const std::vector<std::pair<std::string, std::string>> invalid = {
      {flag + R"(,"decision":"accept"})", "args.reason: missing: every decision on a flag needs a reason"},
      {flag + R"(,"decision":"accept","reason":"  "})", "args.reason: empty: every decision on a flag needs a reason"},
      {flag + R"(,"decision":"approve","reason":"x"})", "args.decision: 'approve' is not one of accept, override, dismiss"},
      {flag + R"(,"decision":"override","reason":"x"})", "args.level: missing"},
      {flag + R"(,"decision":"override","reason":"x","level":"purple"})", "args.level: 'purple' is not one of green, amber, red"},
      {flag + R"(,"decision":"accept","reason":"x","level":"red"})", "args.level: only an override sets a level"},
      {flag + R"(,"decision":"override","reason":"x","level":"red"})", "args.level: 'red' is the flag's own level; accept it instead"},
      {R"({"decision":"accept","reason":"x"})", "args.flag_id: missing"},
      {"[1]", "args: not a JSON object"},
  };
  for (const auto &[args, message] : invalid) {
    const auto result = runtime_->call(consultant_, "flag.decide", args);
    EXPECT_EQ(result.status, HEARTH_ERROR_INVALID_ARGUMENT) << args;
    EXPECT_EQ(result.text, message) << args;
  }
  // The tenant sees the flag but may not decide on it.
  const auto tenant = runtime_->call(person("tenant", "tenant-1"), "flag.decide", flag + R"(,"decision":"dismiss","reason":"no"})");
  EXPECT_EQ(tenant.status, HEARTH_ERROR_DENIED);
  EXPECT_EQ(tenant.text, "role 'tenant' may not decide on flags");
  EXPECT_EQ(runtime_->flag_events(), "[]") << "nothing is published before a person accepts";

  // The consultant accepts; who, when and why are stored, the decision is audited, and the
  // accepted-flag event is published once.
  runtime_->set_now(kNowMs + 3'600'000);
  const auto decided = object_of(runtime_->ok(
      consultant_, "flag.decide", flag + R"(,"decision":"accept","reason":"Huisbezoek: huurachterstand bevestigd"})"));
  EXPECT_EQ(decided->getValue<std::string>("status"), "accepted");
  EXPECT_EQ(decided->getValue<std::int64_t>("decided_at_ms"), kNowMs + 3'600'000);
  const auto shown = object_of(runtime_->ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-1"})"))
                         ->getArray("flags")
                         ->getObject(1);
  EXPECT_EQ(shown->getValue<std::string>("status"), "accepted");
  const auto decision = shown->getObject("decision");
  EXPECT_EQ(decision->getValue<std::string>("by"), "consultant-1");
  EXPECT_EQ(decision->getValue<std::string>("role"), "housing_consultant");
  EXPECT_EQ(decision->getValue<std::string>("organisation"), "corp:test");
  EXPECT_EQ(decision->getValue<std::int64_t>("at_ms"), kNowMs + 3'600'000);
  EXPECT_EQ(decision->getValue<std::string>("reason"), "Huisbezoek: huurachterstand bevestigd");
  EXPECT_EQ(decision->getValue<std::string>("level"), "red");
  const auto lines = audit_lines(store_->store(), "flag:" + id);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "update allowed consultant-1 housing_consultant"), lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "update denied tenant-1 tenant"), lines.end());

  const auto events = array_of(runtime_->flag_events());
  ASSERT_EQ(events->size(), 1u);
  const auto event = events->getObject(0);
  EXPECT_EQ(event->getValue<std::string>("type"), "nl.hearth.flag.accepted/1");
  EXPECT_EQ(event->getObject("payload")->getValue<std::string>("flag_id"), id);
  EXPECT_EQ(event->getObject("payload")->getValue<std::string>("level"), "red");

  // A second decision conflicts, and changes nothing.
  const auto twice = runtime_->call(consultant_, "flag.decide", flag + R"(,"decision":"dismiss","reason":"later"})");
  EXPECT_EQ(twice.status, HEARTH_ERROR_CONFLICT);
  EXPECT_EQ(twice.text, "flag '" + id + "': already decided");
  EXPECT_EQ(array_of(runtime_->flag_events())->size(), 1u);
  EXPECT_EQ(object_of(runtime_->ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-1"})"))
                ->getArray("flags")
                ->getObject(1)
                ->getValue<std::string>("status"),
            "accepted");
}

TEST_P(EarlyWarningFlags, OverrideAndDismissAreRecordedButNotPublished) {
  const auto flags = object_of(runtime_->ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-1"})"))->getArray("flags");
  ASSERT_EQ(flags->size(), 2u);
  const auto amber = flags->getObject(0)->getValue<std::string>("id");
  const auto red = flags->getObject(1)->getValue<std::string>("id");
  const auto overridden = object_of(runtime_->ok(
      consultant_, "flag.decide",
      R"({"flag_id":")" + amber + R"(","decision":"override","level":"green","reason":"regeling loopt"})"));
  EXPECT_EQ(overridden->getValue<std::string>("status"), "overridden");
  EXPECT_EQ(overridden->getValue<std::string>("level"), "green");
  const auto dismissed = object_of(
      runtime_->ok(consultant_, "flag.decide", R"({"flag_id":")" + red + R"(","decision":"dismiss","reason":"dubbel"})"));
  EXPECT_EQ(dismissed->getValue<std::string>("status"), "dismissed");
  EXPECT_EQ(runtime_->flag_events(), "[]");
  // The portfolio lists by status.
  const auto open = object_of(runtime_->ok(consultant_, "flags.portfolio"));
  EXPECT_EQ(open->getArray("flags")->size(), 0u);
  const auto any = object_of(runtime_->ok(consultant_, "flags.portfolio", R"({"status":"any","min_level":"green"})"));
  ASSERT_EQ(any->getArray("flags")->size(), 1u);
  EXPECT_EQ(any->getArray("flags")->getObject(0)->getValue<std::string>("status"), "dismissed");
}

TEST_P(EarlyWarningFlags, ADecisionIsRevisedWithAReasonAndTheHistoryIsKept) {
  const std::string id = t1_flag();
  ASSERT_FALSE(id.empty());
  const std::string flag = R"({"flag_id":")" + id + R"(")";
  // Nothing to revise while the flag is proposed.
  const auto early = runtime_->call(consultant_, "flag.revise", flag + R"(,"decision":"dismiss","reason":"x","revises":1})");
  EXPECT_EQ(early.status, HEARTH_ERROR_CONFLICT);
  EXPECT_EQ(early.text, "flag '" + id + "': not decided yet; decide on it with flag.decide");

  runtime_->set_now(kNowMs + 1'000);
  runtime_->ok(consultant_, "flag.decide", flag + R"(,"decision":"accept","reason":"huurachterstand bevestigd"})");
  // A later look takes the acceptance back: the flag is dismissed now.
  runtime_->set_now(kNowMs + 2'000);
  const auto revised = object_of(runtime_->ok(
      consultant_, "flag.revise", flag + R"(,"decision":"dismiss","reason":"betalingsregeling getroffen","revises":1})"));
  EXPECT_EQ(revised->getValue<std::int64_t>("decision"), 2);
  EXPECT_EQ(revised->getValue<std::string>("status"), "dismissed");
  EXPECT_EQ(revised->getValue<std::int64_t>("decided_at_ms"), kNowMs + 2'000);
  // And revised again, to an override.
  runtime_->set_now(kNowMs + 3'000);
  const auto third = object_of(runtime_->ok(
      consultant_, "flag.revise",
      flag + R"(,"decision":"override","level":"amber","reason":"regeling deels nagekomen","revises":2})"));
  EXPECT_EQ(third->getValue<std::int64_t>("decision"), 3);
  EXPECT_EQ(third->getValue<std::string>("level"), "amber");

  // The current decision is the latest; every decision is kept, oldest first.
  const auto shown = object_of(runtime_->ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-1"})"))
                         ->getArray("flags")
                         ->getObject(1);
  EXPECT_EQ(shown->getValue<std::string>("status"), "overridden");
  EXPECT_EQ(shown->getObject("decision")->getValue<std::int64_t>("number"), 3);
  EXPECT_EQ(shown->getObject("decision")->getValue<std::string>("reason"), "regeling deels nagekomen");
  const auto history = shown->getArray("decisions");
  ASSERT_EQ(history->size(), 3u);
  const std::vector<std::tuple<std::int64_t, std::string, std::string, std::int64_t, std::string>> expected = {
      {1, "accepted", "red", kNowMs + 1'000, "huurachterstand bevestigd"},
      {2, "dismissed", "", kNowMs + 2'000, "betalingsregeling getroffen"},
      {3, "overridden", "amber", kNowMs + 3'000, "regeling deels nagekomen"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto entry = history->getObject(static_cast<unsigned>(i));
    EXPECT_EQ(entry->getValue<std::int64_t>("number"), std::get<0>(expected[i]));
    EXPECT_EQ(entry->getValue<std::string>("status"), std::get<1>(expected[i]));
    EXPECT_EQ(entry->getValue<std::string>("level"), std::get<2>(expected[i]));
    EXPECT_EQ(entry->getValue<std::int64_t>("at_ms"), std::get<3>(expected[i]));
    EXPECT_EQ(entry->getValue<std::string>("reason"), std::get<4>(expected[i]));
    EXPECT_EQ(entry->getValue<std::string>("by"), "consultant-1");
  }
  const auto explained = object_of(runtime_->ok(consultant_, "flag.explain", flag + "}"));
  EXPECT_EQ(explained->getArray("decisions")->size(), 3u);

  // Every decision is audited; so is the refusal of a stale revision.
  const auto stale = runtime_->call(consultant_, "flag.revise", flag + R"(,"decision":"accept","reason":"x","revises":2})");
  EXPECT_EQ(stale.status, HEARTH_ERROR_CONFLICT);
  EXPECT_EQ(stale.text, "flag '" + id + "': decision 2 is not its latest; the latest is 3");
  const auto lines = audit_lines(store_->store(), "flag:" + id);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "update allowed consultant-1 housing_consultant"), 3);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "update denied consultant-1 housing_consultant"), 2);

  // Downstream hears the acceptance and its withdrawal; the override is not acted on.
  const auto events = array_of(runtime_->flag_events());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(events->getObject(0)->getValue<std::string>("type"), "nl.hearth.flag.accepted/1");
  EXPECT_EQ(events->getObject(1)->getValue<std::string>("type"), "nl.hearth.flag.withdrawn/1");
  const auto withdrawn = events->getObject(1)->getObject("payload");
  EXPECT_EQ(withdrawn->getValue<std::string>("flag_id"), id);
  EXPECT_EQ(withdrawn->getValue<std::string>("status"), "dismissed");
  EXPECT_EQ(withdrawn->getValue<std::int64_t>("decision"), 2);

  // Accepting it again is a revision too, and is published again.
  runtime_->ok(consultant_, "flag.revise", flag + R"(,"decision":"accept","reason":"nieuwe achterstand","revises":3})");
  const auto after = array_of(runtime_->flag_events());
  ASSERT_EQ(after->size(), 3u);
  EXPECT_EQ(after->getObject(2)->getValue<std::string>("type"), "nl.hearth.flag.accepted/1");
  EXPECT_EQ(after->getObject(2)->getObject("payload")->getValue<std::int64_t>("decision"), 4);
}

TEST_P(EarlyWarningFlags, ARevisionNeedsAReasonTheRightRoleAndAChange) {
  const std::string id = t1_flag();
  ASSERT_FALSE(id.empty());
  const std::string flag = R"({"flag_id":")" + id + R"(")";
  runtime_->ok(consultant_, "flag.decide", flag + R"(,"decision":"accept","reason":"bevestigd"})");
  const std::vector<std::pair<std::string, std::string>> invalid = {
      {flag + R"(,"decision":"dismiss","revises":1})", "args.reason: missing: every revision of a decision needs a reason"},
      {flag + R"(,"decision":"dismiss","reason":" ","revises":1})",
       "args.reason: empty: every revision of a decision needs a reason"},
      {flag + R"(,"decision":"dismiss","reason":"x"})",
       "args.revises: missing: the number of the decision this one revises (the flag's latest)"},
      {flag + R"(,"decision":"dismiss","reason":"x","revises":0})", "args.revises: 0 is not from 1 to 1000000"},
      {flag + R"(,"decision":"accept","reason":"x","revises":1})",
       "args.decision: the flag is accepted at red already; a revision changes the decision"},
      {flag + R"(,"decision":"withdraw","reason":"x","revises":1})",
       "args.decision: 'withdraw' is not one of accept, override, dismiss"},
  };
  for (const auto &[args, message] : invalid) {
    const auto result = runtime_->call(consultant_, "flag.revise", args);
    EXPECT_EQ(result.status, HEARTH_ERROR_INVALID_ARGUMENT) << args;
    EXPECT_EQ(result.text, message) << args;
  }
  // A first decision revises nothing.
  EXPECT_EQ(runtime_->call(consultant_, "flag.decide", flag + R"(,"decision":"dismiss","reason":"x","revises":1})").text,
            "args.revises: a first decision revises nothing; use flag.revise");
  // The tenant sees the flag but may not revise; another consultant does not see it.
  const auto tenant =
      runtime_->call(person("tenant", "tenant-1"), "flag.revise", flag + R"(,"decision":"dismiss","reason":"no","revises":1})");
  EXPECT_EQ(tenant.status, HEARTH_ERROR_DENIED);
  EXPECT_EQ(tenant.text, "role 'tenant' may not decide on flags");
  const auto other = runtime_->call(person("housing_consultant", "consultant-2"), "flag.revise",
                                    flag + R"(,"decision":"dismiss","reason":"no","revises":1})");
  EXPECT_EQ(other.status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(other.text, "flag '" + id + "': not found");
  // Nothing of that changed the decision.
  const auto shown = object_of(runtime_->ok(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-1"})"))
                         ->getArray("flags")
                         ->getObject(1);
  EXPECT_EQ(shown->getValue<std::string>("status"), "accepted");
  EXPECT_EQ(shown->getArray("decisions")->size(), 1u);
}

TEST_P(EarlyWarningFlags, UnknownOperationAndBadArguments) {
  const auto unknown = runtime_->call(consultant_, "flags.delete-all");
  EXPECT_EQ(unknown.status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(unknown.text, "unknown operation 'flags.delete-all'");
  EXPECT_EQ(runtime_->call(consultant_, "flags.for-tenancy", "{}").text, "args.tenancy_id: missing");
  EXPECT_EQ(runtime_->call(consultant_, "flags.for-tenancy", R"({"tenancy_id":7})").text, "args.tenancy_id: not a string");
  EXPECT_EQ(runtime_->call(consultant_, "flags.for-tenancy", R"({"tenancy_id":"T-1","lang":"de"})").text,
            "args.lang: 'de' is not one of nl, en");
  EXPECT_EQ(runtime_->call(consultant_, "flags.for-tenancy", "not json").text, "args: not a JSON object");
}

INSTANTIATE_TEST_SUITE_P(Backends, EarlyWarningFlags, testing::Values(Backend::sqlite, Backend::postgresql),
                         backend_name);
