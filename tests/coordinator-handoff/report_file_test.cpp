// report.file: a neighbour files a nuisance report in Hearth itself. The address finds the
// home, the report becomes a signal with the neighbour as reporter and a report they can
// follow; their text is kept with it and read only by them and the consultant whose
// portfolio holds the tenancy; a repeat with the same key changes nothing; every field is
// checked and a bad one stores nothing. On SQLite and PostgreSQL.
#include <sstream>

#include "handoff_test_base.hpp"

namespace hearth::test::handoff {
namespace {

using namespace cast;

// A valid request for the home at Oosterparkstraat 80 (1091 AD, tenancy T-4 of hc-1);
// `changes` replaces or (with a null value) removes fields.
std::string request(const std::map<std::string, std::optional<std::string>> &changes = {}) {
  std::map<std::string, std::optional<std::string>> fields{
      {"postcode", "1091 ad"},       {"house_number", "80"},
      {"category", "noise"},         {"description", "Loud music every night after 23:00."},
      {"occurred_on", "2026-03-01"}, {"idempotency_key", "key-0001-abcdef"},
  };
  for (const auto &[name, value] : changes) {
    fields[name] = value;
  }
  Poco::JSON::Object json;
  for (const auto &[name, value] : fields) {
    if (value) json.set(name, *value);
  }
  std::ostringstream out;
  json.stringify(out);
  return out.str();
}

class ReportFile : public HandoffTest {
protected:
  std::int64_t signals() { return number("SELECT COUNT(*) FROM hearth_signal"); }
  std::int64_t reports() { return number("SELECT COUNT(*) FROM ch_report"); }
  std::int64_t texts() { return number("SELECT COUNT(*) FROM ch_report_text"); }
};

TEST_P(ReportFile, NeighbourFilesAReportAndFollowsIt) {
  const auto filed = rt().ok(neighbour, "report.file", request());
  const std::string report_id = filed->getValue<std::string>("report_id");
  EXPECT_EQ(filed->getValue<std::string>("status"), "received");
  EXPECT_EQ(filed->getValue<std::string>("category"), "noise");
  EXPECT_EQ(filed->getValue<std::string>("description"), "Loud music every night after 23:00.");
  EXPECT_EQ(filed->getValue<std::string>("received_on"), "2026-03-02");
  EXPECT_FALSE(filed->getValue<bool>("repeated"));
  // Nothing about the tenancy, the tenant or a case.
  std::vector<std::string> names;
  filed->getNames(names);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()),
            (std::set<std::string>{"report_id", "your_reference", "status", "message", "received_on", "next_update_by",
                                   "closed_on", "category", "description", "repeated"}));

  // The signal: noise on T-4, the neighbour as reporter, on the day they named.
  EXPECT_EQ(text("SELECT type || '/' || detail || '/' || tenancy_id || '/' || reporter_user FROM hearth_signal"),
            "OVE/GEL/T-4/nb-1");
  EXPECT_EQ(number("SELECT occurred_at_ms FROM hearth_signal"), TestClock::start_ms() - 21 * 3'600'000LL);
  rt().drain(); // the plugin's own listener sees the signal too: still one report
  EXPECT_EQ(reports(), 1);

  const auto mine = rt().ok(neighbour, "report.mine")->getArray("reports");
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->getObject(0)->getValue<std::string>("report_id"), report_id);
  EXPECT_EQ(mine->getObject(0)->getValue<std::string>("description"), "Loud music every night after 23:00.");
  EXPECT_EQ(rt().ok(neighbour, "report.get", R"({"report_id":")" + report_id + R"("})")->getValue<std::string>("category"),
            "noise");

  // Audited: the creation as the neighbour; the signal as the plugin on their behalf.
  bool created_by_neighbour = false;
  for (const auto &row : audit_rows(db(), "report:" + report_id)) {
    created_by_neighbour |= row.event == "create" && row.user == "nb-1" && row.outcome == "allowed";
  }
  EXPECT_TRUE(created_by_neighbour);
}

TEST_P(ReportFile, TheSameKeyFilesOnce) {
  const auto first = rt().ok(neighbour, "report.file", request());
  const auto again = rt().ok(neighbour, "report.file", request());
  EXPECT_EQ(again->getValue<std::string>("report_id"), first->getValue<std::string>("report_id"));
  EXPECT_TRUE(again->getValue<bool>("repeated"));
  EXPECT_EQ(signals(), 1);
  EXPECT_EQ(reports(), 1);
  EXPECT_EQ(texts(), 1);

  // The same key with other content is a conflict, and changes nothing.
  const auto changed = rt().call(neighbour, "report.file", request({{"description", "Something else"}}));
  EXPECT_EQ(changed.status, HEARTH_ERROR_CONFLICT);
  EXPECT_EQ(changed.body, "idempotency_key: was used before for a different report");
  EXPECT_EQ(signals(), 1);

  // Keys are per neighbour: another neighbour's same key is another report.
  const auto other = rt().ok(neighbour_other, "report.file", request());
  EXPECT_NE(other->getValue<std::string>("report_id"), first->getValue<std::string>("report_id"));
  EXPECT_FALSE(other->getValue<bool>("repeated"));
  EXPECT_EQ(reports(), 2);
  // A new key is a new report.
  rt().ok(neighbour, "report.file", request({{"idempotency_key", "key-0002-abcdef"}}));
  EXPECT_EQ(rt().ok(neighbour, "report.mine")->getArray("reports")->size(), 2u);
}

TEST_P(ReportFile, EveryFieldIsCheckedAndABadOneStoresNothing) {
  struct Case {
    std::map<std::string, std::optional<std::string>> changes;
    std::string message;
  };
  const std::string long_text(2001, 'x');
  const std::vector<Case> cases{
      {{{"postcode", std::nullopt}}, "postcode: missing"},
      {{{"postcode", "109 AD"}}, "postcode: is not a Dutch postcode (four digits and two letters, e.g. 1091 AB)"},
      {{{"postcode", "0191AD"}}, "postcode: is not a Dutch postcode (four digits and two letters, e.g. 1091 AB)"},
      {{{"house_number", std::nullopt}}, "house_number: missing"},
      {{{"house_number", "0"}}, "house_number: must be a number from 1, optionally with a letter or addition (12, 12A, 12-1)"},
      {{{"house_number", "8<b>"}}, "house_number: must be a number from 1, optionally with a letter or addition (12, 12A, 12-1)"},
      {{{"entrance", "A!"}}, "entrance: may hold only letters and digits"},
      {{{"category", "fire"}}, "category: is not one of aggression, drugs, noise, nuisance, pollution"},
      {{{"category", std::nullopt}}, "category: missing"},
      {{{"description", std::nullopt}}, "description: missing"},
      {{{"description", "   \n "}}, "description: missing: say what happened"},
      {{{"description", "bell\arang"}}, "description: contains control characters"},
      {{{"occurred_on", "1-3-2026"}}, ""},
      {{{"occurred_on", "2026-03-03"}}, "occurred_on: 2026-03-03 lies in the future"},
      {{{"occurred_on", "2025-03-01"}}, "occurred_on: 2025-03-01 lies more than a year in the past"},
      {{{"idempotency_key", "short"}}, "idempotency_key: must be 8 to 64 letters, digits, '-' or '_'"},
      {{{"idempotency_key", "has spaces in it"}}, "idempotency_key: must be 8 to 64 letters, digits, '-' or '_'"},
      {{{"idempotency_key", std::nullopt}}, "idempotency_key: missing"},
  };
  for (const auto &c : cases) {
    const auto reply = rt().call(neighbour, "report.file", request(c.changes));
    EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT) << reply.body;
    if (c.message.empty()) {
      EXPECT_EQ(reply.body.rfind("occurred_on: ", 0), 0u) << reply.body;
    } else {
      EXPECT_EQ(reply.body, c.message);
    }
  }
  const auto too_long = rt().call(neighbour, "report.file", request({{"description", long_text}}));
  EXPECT_EQ(too_long.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(too_long.body.rfind("description: ", 0), 0u) << too_long.body;
  EXPECT_EQ(rt().call(neighbour, "report.file", "[1]").status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(signals(), 0);
  EXPECT_EQ(reports(), 0);
  EXPECT_EQ(texts(), 0);
}

TEST_P(ReportFile, AnAddressWithoutACurrentTenancyIsRefused) {
  const std::string no_home = "postcode: no rented home of ours at this postcode and house number";
  auto reply = rt().call(neighbour, "report.file", request({{"postcode", "9999ZZ"}, {"house_number", "1"}}));
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(reply.body, no_home);
  // U-6 (12-3, entrance A) had a tenancy that ended on 2026-01-31.
  reply = rt().call(neighbour, "report.file",
                    request({{"postcode", "1091AB"}, {"house_number", "12-3"}, {"entrance", "A"}}));
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(reply.body, no_home + " and entrance");
  // U-1 (12-1, entrance a): found, whatever the case of the entrance.
  rt().ok(neighbour, "report.file", request({{"postcode", "1091AB"}, {"house_number", "12-1"}, {"entrance", "a"}}));
  EXPECT_EQ(text("SELECT tenancy_id FROM hearth_signal"), "T-1");
  EXPECT_EQ(signals(), 1);
}

TEST_P(ReportFile, TheTextIsReadByTheReporterAndTheConsultantOnly) {
  const std::string script = "<script>alert('x')</script> & \"quotes\"";
  const auto filed = rt().ok(neighbour, "report.file", request({{"description", script}}));
  const std::string id = filed->getValue<std::string>("report_id");
  const std::string on_report = R"({"report_id":")" + id + R"("})";
  // Stored and answered as written (whoever prints it escapes it).
  EXPECT_EQ(filed->getValue<std::string>("description"), script);
  // The consultant whose portfolio holds T-4.
  EXPECT_EQ(rt().ok(consultant, "report.get", on_report)->getValue<std::string>("description"), script);
  // Another consultant, another neighbour: the same answer as a missing report.
  const auto missing = rt().call(neighbour_other, "report.get", R"({"report_id":"report-999"})");
  EXPECT_EQ(missing.status, HEARTH_ERROR_NOT_FOUND);
  for (const Who *who : {&consultant_other, &neighbour_other}) {
    const auto reply = rt().call(*who, "report.get", on_report);
    EXPECT_EQ(reply.status, HEARTH_ERROR_NOT_FOUND) << who->user;
    EXPECT_EQ(reply.body, missing.body) << who->user;
  }
  EXPECT_EQ(rt().ok(neighbour_other, "report.mine")->getArray("reports")->size(), 0u);
  // Nobody else may read reports at all.
  for (const Who *who : {&tenant, &coordinator, &care_pro, &auditor, &administrator}) {
    EXPECT_EQ(rt().call(*who, "report.get", on_report).status, HEARTH_ERROR_DENIED) << who->role;
  }
  // Only neighbours file.
  for (const Who *who : {&consultant, &tenant, &coordinator, &system}) {
    EXPECT_EQ(rt().call(*who, "report.file", request()).status, HEARTH_ERROR_DENIED) << who->role;
  }
  // The tenancy's signals (read by its consultant) never carry the text.
  EXPECT_EQ(text("SELECT COUNT(*) FROM hearth_signal WHERE external_id LIKE '%script%'"), "0");
}

TEST_P(ReportFile, AnOpenCaseMakesTheFiledReportBeingHandled) {
  rt().open_case(coordinator, "T-4");
  const auto filed = rt().ok(neighbour, "report.file", request());
  EXPECT_EQ(filed->getValue<std::string>("status"), "being_handled");
  EXPECT_FALSE(filed->has("case_id"));
}

HANDOFF_BACKENDS(ReportFile);

} // namespace
} // namespace hearth::test::handoff
