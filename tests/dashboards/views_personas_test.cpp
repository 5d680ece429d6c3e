// The care, coordinator, tenant, neighbour and auditor pages over real HTTP on loopback:
// a runtime on SQLite with the coordinator-handoff, early-warning and dashboards plugins,
// people signed in through the demo sign-in, data made through the plugins' operations.
// Each persona sees its own data and nothing of anyone else's; the neighbour's filing path
// with bad input and a repeated form; stored text printed escaped; refusals look like 404.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <hearth/host.h>

#include "test_environment.hpp"

namespace hearth::test::dashboards_views {
namespace {

constexpr const char *kHandoff = "nl.hearth.coordinator-handoff";

// A person acting through host.h to set up data.
struct Person {
  std::string user, role, organisation;
  hearth_actor actor() const {
    hearth_actor a{};
    a.struct_size = sizeof a;
    a.user = user.c_str();
    a.role = role.c_str();
    a.organisation = organisation.c_str();
    a.access_point = "test";
    return a;
  }
};

const Person kCoordinator{"coord-1", "coordinator", "gemeente:0363"};
const Person kCare{"ggz-consult-1", "care_professional", "care:ggz-west"};
const Person kConsultant{"hc-1", "housing_consultant", "corp:woonstad"};
const Person kNeighbour{"nb-1", "neighbour", "buurt:oost"};
const Person kOtherNeighbour{"nb-2", "neighbour", "buurt:oost"};
const Person kSystem{"loader", "system", "corp:woonstad"};

struct Page {
  int status = 0;
  std::string body, location;
};

std::int64_t start_ms() {
  using namespace std::chrono;
  const sys_days day = year{2026} / March / 2;
  return duration_cast<milliseconds>(day.time_since_epoch()).count() + 9 * 3'600'000;
}

// What a page says in its <main> (the layout around it names the current path), to
// compare two answers.
std::string main_of(const std::string &page) {
  const auto from = page.find("<main");
  const auto to = page.find("</main>");
  return from == std::string::npos || to == std::string::npos ? page : page.substr(from, to - from);
}

std::size_t count_of(const std::string &text, const std::string &needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

class PersonaViews : public testing::Test {
protected:
  void SetUp() override {
    const auto plugins = scratch_.path() / "plugins";
    std::filesystem::create_directories(plugins);
    for (const char *module : {"hearth_coordinator_handoff.so", "hearth_early_warning.so", "hearth_dashboards.so"}) {
      std::filesystem::copy_file(std::filesystem::path(HEARTH_TEST_PLUGIN_DIR) / module, plugins / module);
    }
    const std::filesystem::path source(HEARTH_TEST_SOURCE_DIR);
    {
      std::ofstream ini(scratch_.path() / "hearth.ini");
      ini << "[storage]\nbackend = sqlite\nsqlite_path = " << (scratch_.path() / "hearth.db").string() << "\n"
          << "[plugins]\nbundled = false\npath = " << plugins.string() << "\n[log]\nlevel = info\n"
          << "[events]\npoll_ms = 100\n[runtime]\nmode = demo\n[http]\nport = 0\n"
          << "[plugin.nl.hearth.coordinator-handoff]\nconfig_dir = " << handoff_config().string() << "\n"
          << "[plugin.nl.hearth.early-warning]\nrule_set = " << (source / "config" / "scoring" / "default.ini").string()
          << "\nprotected_attributes = " << (source / "config" / "scoring" / "protected-attributes.txt").string() << "\n"
          << "[plugin.nl.hearth.dashboards]\ndemo_sign_in = on\n"
          << "demo_tenant = tenant-1 corp:woonstad\n"
          << "demo_neighbour = nb-1 buurt:oost\n"
          << "demo_housing_consultant = hc-1 corp:woonstad\n"
          << "demo_care_professional = ggz-consult-1 care:ggz-west\n"
          << "demo_coordinator = coord-1 gemeente:0363\n"
          << "demo_auditor = auditor-1 corp:woonstad\n";
    }
    char *error = nullptr;
    ASSERT_EQ(hearth_runtime_open(scratch_.path().c_str(), &runtime_, &error), HEARTH_OK) << take(error);
    hearth_runtime_set_clock(runtime_, &PersonaViews::read_clock, &now_ms_);
    ASSERT_EQ(hearth_runtime_load_plugins(runtime_, &error), HEARTH_OK) << take(error);
    char *plugins_json = nullptr;
    ASSERT_EQ(hearth_runtime_plugins_json(runtime_, &plugins_json, &error), HEARTH_OK) << take(error);
    const std::string listing = take(plugins_json);
    ASSERT_EQ(count_of(listing, "\"active\""), 3u) << listing;
    seed();
    ASSERT_EQ(hearth_runtime_serve_http(runtime_, "127.0.0.1", 0, &port_, &error), HEARTH_OK) << take(error);
  }
  void TearDown() override {
    if (runtime_ != nullptr) {
      hearth_runtime_stop_http(runtime_);
      hearth_runtime_close(runtime_);
    }
  }

  // The coordinator-handoff plugin's config folder (the repository's config/handoff).
  virtual std::filesystem::path handoff_config() {
    return std::filesystem::path(HEARTH_TEST_SOURCE_DIR) / "config" / "handoff";
  }

  static std::string take(char *text) {
    std::string out = text != nullptr ? text : "";
    hearth_free(text);
    return out;
  }
  static int64_t read_clock(void *self) { return static_cast<std::atomic<std::int64_t> *>(self)->load(); }

  // Units at Oosterparkstraat (1091AB entrance A, 1091AD) and Wibautstraat; T-1 of
  // tenant-1 and T-2 of tenant-2 in hc-1's portfolio, T-3 of tenant-3 in hc-2's.
  void seed() {
    const std::string records =
        R"([{"kind":"unit","id":"U-1","street":"Oosterparkstraat","house_number":"12-1","postcode":"1091AB","entrance":"A","neighbourhood_code":"BU03630402"},)"
        R"({"kind":"unit","id":"U-2","street":"Oosterparkstraat","house_number":"80","postcode":"1091AD","neighbourhood_code":"BU03630402"},)"
        R"({"kind":"unit","id":"U-3","street":"Wibautstraat","house_number":"3","postcode":"1091GH","neighbourhood_code":"BU03630403"},)"
        R"({"kind":"tenancy","id":"T-1","unit_id":"U-1","start_date":"2019-04-01","portfolio_owner":"hc-1","tenant_user":"tenant-1"},)"
        R"({"kind":"tenancy","id":"T-2","unit_id":"U-2","start_date":"2019-04-01","portfolio_owner":"hc-1","tenant_user":"tenant-2"},)"
        R"({"kind":"tenancy","id":"T-3","unit_id":"U-3","start_date":"2019-04-01","portfolio_owner":"hc-2","tenant_user":"tenant-3"}])";
    const hearth_actor actor = kSystem.actor();
    uint32_t stored = 0;
    char *error = nullptr;
    ASSERT_EQ(hearth_runtime_put_records(runtime_, &actor, records.c_str(), &stored, &error), HEARTH_OK) << take(error);
  }

  // Runs an operation of the coordinator-handoff plugin; fails the test unless it succeeds.
  Poco::JSON::Object::Ptr ok(const Person &who, const std::string &operation, const std::string &args) {
    const hearth_actor actor = who.actor();
    char *result = nullptr;
    char *error = nullptr;
    const int32_t status = hearth_runtime_call(runtime_, &actor, kHandoff, operation.c_str(), args.c_str(), &result, &error);
    const std::string body = take(result);
    EXPECT_EQ(status, HEARTH_OK) << operation << ": " << take(error);
    if (status != HEARTH_OK) return new Poco::JSON::Object;
    return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
  }

  std::string open_case(const std::string &tenancy) {
    return ok(kCoordinator, "case.open",
              R"({"tenancy_id":")" + tenancy + R"(","legal_basis":"avg-6-1-e","reason":"Worries about rent"})")
        ->getValue<std::string>("case_id");
  }

  // One browser: its cookies, and the anti-forgery token of the last page it saw.
  class Browser {
  public:
    explicit Browser(std::uint16_t port) : port_(port) {}

    Page get(const std::string &path) { return send("GET", path, {}); }
    // POSTs `fields` as a form; adds the current anti-forgery token unless `with_csrf` is false.
    Page post(const std::string &path, std::map<std::string, std::string> fields, bool with_csrf = true) {
      if (with_csrf) fields.emplace("csrf", csrf_);
      return send("POST", path, fields);
    }
    // Demo sign-in as `persona` (a role); fails the test unless it leads to a session.
    void sign_in(const std::string &persona) {
      const Page picker = get("/dashboard/sign-in");
      ASSERT_EQ(picker.status, 200) << picker.body;
      const Page signed_in = post("/dashboard/sign-in", {{"persona", persona}});
      ASSERT_EQ(signed_in.status, 303) << signed_in.body;
      ASSERT_FALSE(cookies_["hearth_session"].empty());
    }
    void set_language(const std::string &lang) { cookies_["hearth_lang"] = lang; }

  private:
    Page send(const std::string &method, const std::string &path, const std::map<std::string, std::string> &fields) {
      Poco::Net::HTTPClientSession session("127.0.0.1", port_);
      Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
      Poco::Net::NameValueCollection cookies;
      for (const auto &[name, value] : cookies_) {
        if (!value.empty()) cookies.add(name, value);
      }
      request.setCookies(cookies);
      std::string body;
      if (method == "POST") {
        Poco::Net::HTMLForm form;
        for (const auto &[name, value] : fields) form.add(name, value);
        std::ostringstream encoded;
        form.write(encoded);
        body = encoded.str();
        request.setContentType("application/x-www-form-urlencoded");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        request.set("Origin", "http://127.0.0.1:" + std::to_string(port_));
      }
      session.sendRequest(request) << body;
      Poco::Net::HTTPResponse response;
      std::istream &in = session.receiveResponse(response);
      Page page;
      Poco::StreamCopier::copyToString(in, page.body);
      page.status = static_cast<int>(response.getStatus());
      page.location = response.get("Location", "");
      std::vector<Poco::Net::HTTPCookie> set;
      response.getCookies(set);
      for (const auto &cookie : set) cookies_[cookie.getName()] = cookie.getMaxAge() == 0 ? "" : cookie.getValue();
      static const std::regex csrf_field(R"re(name="csrf" value="([^"]+)")re");
      std::smatch match;
      if (std::regex_search(page.body, match, csrf_field)) csrf_ = match[1];
      return page;
    }

    std::uint16_t port_;
    std::map<std::string, std::string> cookies_;
    std::string csrf_;
  };

  Browser browser() { return Browser(port_); }

  ScratchDir scratch_;
  std::atomic<std::int64_t> now_ms_{start_ms()};
  hearth_runtime *runtime_ = nullptr;
  std::uint16_t port_ = 0;
};

std::map<std::string, std::string> report_form(const std::string &description, const std::string &key) {
  return {{"postcode", "1091 ab"}, {"house_number", "12-1"},     {"entrance", "A"},           {"category", "noise"},
          {"description", description}, {"occurred_on", "2026-03-01"}, {"idempotency_key", key}};
}

TEST_F(PersonaViews, NeighbourFilesAReportAndSeesOnlyTheirOwn) {
  // Another neighbour's report on the same home.
  ok(kOtherNeighbour, "report.file",
     R"({"postcode":"1091AB","house_number":"12-1","entrance":"A","category":"noise","description":"Secret of nb-2",)"
     R"("occurred_on":"2026-03-01","idempotency_key":"nb2-key-00000001"})");
  Browser neighbour = browser();
  neighbour.sign_in("neighbour");
  Page page = neighbour.get("/dashboard/neighbour");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(count_of(page.body, "data-test=\"report-row\""), 0u);
  EXPECT_NE(page.body.find("data-test=\"report-form\""), std::string::npos);
  EXPECT_EQ(page.body.find("Secret of nb-2"), std::string::npos);

  // File one with a script in its text: stored, shown inert.
  const std::string script = "<script>alert('x')</script> loud music";
  Page filed = neighbour.post("/dashboard/neighbour/report", report_form(script, "form-key-000000001"));
  ASSERT_EQ(filed.status, 303) << filed.body;
  EXPECT_EQ(filed.location, "/dashboard/neighbour?filed=1");
  page = neighbour.get("/dashboard/neighbour?filed=1");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("data-test=\"report-filed\""), std::string::npos);
  EXPECT_EQ(count_of(page.body, "data-test=\"report-row\""), 1u);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; loud music"), std::string::npos);
  EXPECT_EQ(page.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.body.find("data-test=\"report-status\">Ontvangen<"), std::string::npos);
  // Nothing about anyone else: no other report, no tenancy, tenant or consultant.
  for (const char *foreign : {"Secret of nb-2", "T-1", "tenant-1", "hc-1", "U-1"}) {
    EXPECT_EQ(page.body.find(foreign), std::string::npos) << foreign;
  }

  // The same form sent twice (same key): still one report.
  filed = neighbour.post("/dashboard/neighbour/report", report_form(script, "form-key-000000001"));
  EXPECT_EQ(filed.status, 303) << filed.body;
  EXPECT_EQ(count_of(neighbour.get("/dashboard/neighbour").body, "data-test=\"report-row\""), 1u);

  // Bad input: 400, the field named, the form filled in again (escaped), nothing stored.
  auto bad = report_form("Stil <b>nu</b>", "form-key-000000002");
  bad["postcode"] = "10911";
  page = neighbour.post("/dashboard/neighbour/report", bad);
  EXPECT_EQ(page.status, 400);
  EXPECT_NE(page.body.find("data-test=\"error\""), std::string::npos);
  EXPECT_NE(page.body.find("postcode: is geen Nederlandse postcode"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find(">Stil &lt;b&gt;nu&lt;/b&gt;</textarea>"), std::string::npos);
  bad = report_form("", "form-key-000000003");
  EXPECT_EQ(neighbour.post("/dashboard/neighbour/report", bad).status, 400);
  bad = report_form("Te laat", "form-key-000000004");
  bad["occurred_on"] = "2026-03-09";
  page = neighbour.post("/dashboard/neighbour/report", bad);
  EXPECT_EQ(page.status, 400);
  EXPECT_NE(page.body.find("occurred_on: 2026-03-09 ligt in de toekomst"), std::string::npos); // the page's language
  EXPECT_EQ(count_of(neighbour.get("/dashboard/neighbour").body, "data-test=\"report-row\""), 1u);

  // A forged post (no anti-forgery token) changes nothing.
  EXPECT_EQ(neighbour.post("/dashboard/neighbour/report", report_form("forged", "form-key-000000005"), false).status, 403);
  EXPECT_EQ(count_of(neighbour.get("/dashboard/neighbour").body, "data-test=\"report-row\""), 1u);

  // Other personas' pages and the case page answer as if they did not exist.
  const Page missing = neighbour.get("/dashboard/no-such-page");
  for (const char *path : {"/dashboard/tenant", "/dashboard/coordinator", "/dashboard/care", "/dashboard/auditor",
                           "/dashboard/case?id=case-1"}) {
    const Page refused = neighbour.get(path);
    EXPECT_EQ(refused.status, 404) << path;
    EXPECT_EQ(main_of(refused.body), main_of(missing.body)) << path;
  }
}

TEST_F(PersonaViews, TheConsultantReadsTheReportTextEscaped) {
  ok(kNeighbour, "report.file",
     R"({"postcode":"1091AB","house_number":"12-1","entrance":"A","category":"noise","description":"<img src=x onerror=alert(1)>",)"
     R"("occurred_on":"2026-03-01","idempotency_key":"nb1-key-00000001"})");
  // The plugin answers the consultant (tested in report_file_test); the neighbour's page
  // prints it escaped in English too.
  Browser neighbour = browser();
  neighbour.set_language("en");
  neighbour.sign_in("neighbour");
  const Page page = neighbour.get("/dashboard/neighbour");
  EXPECT_NE(page.body.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_EQ(page.body.find("<img src=x"), std::string::npos);
  EXPECT_NE(page.body.find("data-test=\"report-status\">Received<"), std::string::npos);
}

TEST_F(PersonaViews, TenantSeesTheirOwnTenancyOnly) {
  const std::string mine = open_case("T-1");
  const std::string theirs = open_case("T-2");
  ok(kCoordinator, "plan.update",
     R"({"case_id":")" + mine + R"(","what_do_you_need":"Rust in huis <b>nu</b>","what_can_you_offer":"Tuinieren","in_words_of":"tenant"})");
  ok(kCoordinator, "plan.update",
     R"({"case_id":")" + theirs + R"(","what_do_you_need":"Plan of tenant-2","what_can_you_offer":"x","in_words_of":"tenant"})");
  ok(kCoordinator, "network.add",
     R"({"case_id":")" + mine +
         R"(","kind":"buddy","relation":"peer_expert","user":"buddy-7","consent":{"status":"given","basis":"consent","on":"2026-03-01"},"may_see":["plan"]})");
  ok(kConsultant, "case.get", R"({"case_id":")" + mine + R"("})");

  Browser tenant = browser();
  tenant.sign_in("tenant");
  const Page page = tenant.get("/dashboard/tenant");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Rust in huis &lt;b&gt;nu&lt;/b&gt;"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Tuinieren"), std::string::npos);
  EXPECT_NE(page.body.find("data-test=\"my-coordinator\""), std::string::npos);
  EXPECT_NE(page.body.find("coord-1"), std::string::npos);
  EXPECT_NE(page.body.find("data-test=\"my-buddy\""), std::string::npos);
  EXPECT_NE(page.body.find("buddy-7"), std::string::npos);
  // The score trend is an accessible SVG; who viewed the file lists the consultant.
  EXPECT_NE(page.body.find("data-test=\"chart-line\""), std::string::npos);
  EXPECT_NE(page.body.find("role=\"img\""), std::string::npos);
  EXPECT_GE(count_of(page.body, "data-test=\"viewer-row\""), 1u);
  EXPECT_NE(page.body.find("hc-1"), std::string::npos);
  // Nothing of tenant-2.
  for (const char *foreign : {"Plan of tenant-2", "T-2", theirs.c_str(), "tenant-2"}) {
    EXPECT_EQ(page.body.find(foreign), std::string::npos) << foreign;
  }
  EXPECT_EQ(tenant.get("/dashboard/case?id=" + mine).status, 404);
  EXPECT_EQ(tenant.get("/dashboard/neighbour").status, 404);
}

// A refusal of the plugin reads in the page's language, naming the field: Dutch by
// default, English when switched; the plugin's English line never on a Dutch page.
TEST_F(PersonaViews, BackendErrorsReadInThePagesLanguageWithTheFieldName) {
  const std::string id = open_case("T-1");
  const std::map<std::string, std::string> bad_offer{
      {"case_id", id}, {"to_organisation", "care:ggz-west"}, {"to_role", "king"}, {"reason", "r"}};
  Browser dutch = browser();
  dutch.sign_in("coordinator");
  dutch.get("/dashboard/case?id=" + id);
  Page page = dutch.post("/dashboard/handoff/offer", bad_offer);
  EXPECT_EQ(page.status, 400);
  EXPECT_NE(page.body.find("to_role: een king kan geen eigenaar van een zaak zijn"), std::string::npos) << main_of(page.body);
  EXPECT_EQ(page.body.find("may not own"), std::string::npos) << main_of(page.body);

  Browser english = browser();
  english.set_language("en");
  english.sign_in("coordinator");
  english.get("/dashboard/case?id=" + id);
  page = english.post("/dashboard/handoff/offer", bad_offer);
  EXPECT_EQ(page.status, 400);
  EXPECT_NE(page.body.find("to_role: a king may not own a case"), std::string::npos) << main_of(page.body);

  // A conflict: the case already has an open offer.
  const std::map<std::string, std::string> good_offer{
      {"case_id", id}, {"to_organisation", "care:ggz-west"}, {"to_role", "care_professional"}, {"reason", "r"}};
  ASSERT_EQ(dutch.post("/dashboard/handoff/offer", good_offer).status, 303);
  dutch.get("/dashboard/coordinator");
  page = dutch.post("/dashboard/handoff/offer", good_offer);
  EXPECT_EQ(page.status, 400);
  EXPECT_NE(page.body.find("case_id: de zaak heeft al een open aanbod; trek dat eerst in"), std::string::npos)
      << main_of(page.body);
  english.get("/dashboard/coordinator");
  page = english.post("/dashboard/handoff/offer", good_offer);
  EXPECT_NE(page.body.find("case_id: the case already has an open offer; withdraw it first"), std::string::npos)
      << main_of(page.body);

  // The neighbour's form: a bad postcode, in Dutch.
  Browser neighbour = browser();
  neighbour.sign_in("neighbour");
  neighbour.get("/dashboard/neighbour");
  auto form = report_form("Loud music", "form-key-lang-0001");
  form["postcode"] = "10x";
  page = neighbour.post("/dashboard/neighbour/report", form);
  EXPECT_EQ(page.status, 400);
  EXPECT_NE(page.body.find("postcode: is geen Nederlandse postcode"), std::string::npos) << main_of(page.body);
}

// Stalled on the coordinator's page is the plugin's rule (handoff.ini [cases]
// stalled_after_calendar_days = 14): 13 days without progress is not stalled, 14 is.
TEST_F(PersonaViews, CoordinatorSeesACaseStalledAfterFourteenCalendarDaysNotThirteen) {
  const std::string id = open_case("T-1");
  const auto stalled_rows = [&] {
    Browser coordinator = browser();
    coordinator.set_language("en");
    coordinator.sign_in("coordinator");
    const Page page = coordinator.get("/dashboard/coordinator");
    EXPECT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("in the last 14 calendar days"), std::string::npos);
    const auto from = page.body.find("id=\"stalled\"");
    EXPECT_NE(from, std::string::npos);
    return count_of(page.body.substr(from, page.body.find("</section>", from) - from), "data-test=\"case-row\"");
  };
  EXPECT_EQ(stalled_rows(), 0u);
  now_ms_ += 13LL * 86'400'000;
  EXPECT_EQ(stalled_rows(), 0u);
  now_ms_ += 86'400'000 - 1;
  EXPECT_EQ(stalled_rows(), 0u);
  now_ms_ += 1;
  EXPECT_EQ(stalled_rows(), 1u);
  EXPECT_NE(ok(kCoordinator, "case.get", R"({"case_id":")" + id + R"("})")->getValue<bool>("stalled"), false);
}

TEST_F(PersonaViews, CoordinatorWorksCasesOffersAndTheNeighbourhood) {
  const std::string id = open_case("T-1");
  open_case("T-3");
  Browser coordinator = browser();
  coordinator.set_language("en");
  coordinator.sign_in("coordinator");
  Page page = coordinator.get("/dashboard/coordinator");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(count_of(page.body, "data-test=\"case-row\""), 2u);
  EXPECT_NE(page.body.find(id), std::string::npos);
  EXPECT_NE(page.body.find("data-test=\"ladder-level\""), std::string::npos);
  EXPECT_NE(page.body.find("<caption>Escalation ladder</caption>"), std::string::npos);

  // The case page offers a handoff; the offer then waits.
  page = coordinator.get("/dashboard/case?id=" + id);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("data-test=\"case-summary\""), std::string::npos);
  EXPECT_NE(page.body.find("data-test=\"offer-form\""), std::string::npos);
  Page offered = coordinator.post("/dashboard/handoff/offer", {{"case_id", id},
                                                               {"to_organisation", "care:ggz-west"},
                                                               {"to_role", "care_professional"},
                                                               {"to_user", "ggz-consult-1"},
                                                               {"reason", "Care <needed>"},
                                                               {"summary_class", ""},
                                                               {"summary_text", ""}});
  ASSERT_EQ(offered.status, 303) << offered.body;
  EXPECT_EQ(offered.location, "/dashboard/case?id=" + id);
  EXPECT_NE(coordinator.get(offered.location).body.find("data-test=\"open-offer\""), std::string::npos);
  page = coordinator.get("/dashboard/coordinator");
  EXPECT_EQ(count_of(page.body, "data-test=\"offer-made-row\""), 1u);
  // A bad offer: the reason named, 400.
  const Page bad = coordinator.post("/dashboard/handoff/offer",
                                    {{"case_id", id}, {"to_organisation", "care:ggz-west"}, {"to_role", "king"}, {"reason", "r"}});
  EXPECT_EQ(bad.status, 400);

  // Stalled after two quiet weeks.
  now_ms_ += 15LL * 86'400'000;
  coordinator.sign_in("coordinator"); // the session ended while the clock moved
  page = coordinator.get("/dashboard/coordinator");
  EXPECT_NE(page.body.find("(stalled)"), std::string::npos);

  // The neighbourhood: counts only, as an SVG heat grid with the numbers printed and a table.
  page = coordinator.get("/dashboard/coordinator/neighbourhood");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("data-test=\"chart-heat\""), std::string::npos);
  EXPECT_NE(page.body.find("BU03630402"), std::string::npos);
  EXPECT_EQ(count_of(page.body, "data-test=\"neighbourhood-row\""), 2u);
  EXPECT_NE(page.body.find("data-test=\"place"), std::string::npos);
  EXPECT_EQ(page.body.find("T-1"), std::string::npos) << "no tenancy on the neighbourhood page";
  // Per street and entrance: a heat grid and a table; one or two cases per cell are not shown.
  EXPECT_NE(page.body.find("data-test=\"street-heat-grid\""), std::string::npos);
  EXPECT_GE(count_of(page.body, "data-test=\"street-row\""), 3u);
  EXPECT_NE(page.body.find("not shown (fewer than 3)"), std::string::npos);
  EXPECT_EQ(page.body.find("data-test=\"over-limit\""), std::string::npos) << "a suppressed count sets no mark";
  EXPECT_EQ(page.body.find("12-1"), std::string::npos) << "no house number";
  // Passing the buck per organisation: the offer to care:ggz-west waits.
  EXPECT_NE(page.body.find("data-test=\"organisation-row\""), std::string::npos);
  EXPECT_NE(page.body.find("care:ggz-west"), std::string::npos);

  // A case that does not exist and another coordinator's case read like any refused page.
  const Person other{"coord-3", "coordinator", "gemeente:0363"};
  const std::string foreign = ok(other, "case.open", R"({"tenancy_id":"T-2","legal_basis":"avg-6-1-e","reason":"r"})")
                                  ->getValue<std::string>("case_id");
  const Page unknown = coordinator.get("/dashboard/case?id=case-none");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(main_of(unknown.body), main_of(coordinator.get("/dashboard/no-such-page").body));
  const Page refused = coordinator.get("/dashboard/case?id=" + foreign);
  EXPECT_EQ(refused.status, 404);
  EXPECT_EQ(main_of(refused.body), main_of(unknown.body));
  EXPECT_EQ(coordinator.get("/dashboard/coordinator").body.find(foreign), std::string::npos);
}

TEST_F(PersonaViews, CareProfessionalAnswersOffersAndConsults) {
  const std::string declined_case = open_case("T-1");
  const std::string accepted_case = open_case("T-2");
  for (const auto &id : {declined_case, accepted_case}) {
    ok(kCoordinator, "handoff.offer",
       R"({"case_id":")" + id +
           R"(","to_user":"ggz-consult-1","to_organisation":"care:ggz-west","to_role":"care_professional","reason":"Needs GGZ <now>"})");
  }
  const std::string consult_case = open_case("T-3");
  ok(kCoordinator, "consult.request",
     R"({"case_id":")" + consult_case + R"(","expertise":"mental-health","question":"What support fits <here>?"})");

  Browser care = browser();
  care.sign_in("care_professional");
  Page page = care.get("/dashboard/care");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(count_of(page.body, "data-test=\"offer-row\""), 2u);
  EXPECT_NE(page.body.find("Needs GGZ &lt;now&gt;"), std::string::npos);
  EXPECT_EQ(count_of(page.body, "data-test=\"consult-row\""), 1u);
  EXPECT_NE(page.body.find("What support fits &lt;here&gt;?"), std::string::npos);
  EXPECT_EQ(count_of(page.body, "data-test=\"case-row\""), 0u);

  const std::string offer_of_declined =
      ok(kCoordinator, "case.get", R"({"case_id":")" + declined_case + R"("})")->getObject("open_offer")->getValue<std::string>("offer_id");
  const std::string offer_of_accepted =
      ok(kCoordinator, "case.get", R"({"case_id":")" + accepted_case + R"("})")->getObject("open_offer")->getValue<std::string>("offer_id");
  // Declining needs a reason.
  EXPECT_EQ(care.post("/dashboard/handoff/decline", {{"offer_id", offer_of_declined}, {"back", "/dashboard/care"}}).status, 400);
  Page answered = care.post("/dashboard/handoff/decline",
                            {{"offer_id", offer_of_declined}, {"reason", "No capacity"}, {"back", "https://evil.example/"}});
  EXPECT_EQ(answered.status, 303);
  EXPECT_EQ(answered.location, "/dashboard") << "only known pages are return targets";
  answered = care.post("/dashboard/handoff/accept", {{"offer_id", offer_of_accepted}, {"back", "/dashboard/care"}});
  ASSERT_EQ(answered.status, 303) << answered.body;
  EXPECT_EQ(answered.location, "/dashboard/case?id=" + accepted_case);
  EXPECT_EQ(care.get(answered.location).status, 200);
  // Answering again: the offer is no longer open.
  EXPECT_NE(care.post("/dashboard/handoff/accept", {{"offer_id", offer_of_accepted}}).status, 303);

  const std::string consult_id = ok(kCoordinator, "consult.list", R"({"case_id":")" + consult_case + R"("})")
                                     ->getArray("consults")
                                     ->getObject(0)
                                     ->getValue<std::string>("consult_id");
  EXPECT_EQ(care.post("/dashboard/consult/answer", {{"consult_id", consult_id}, {"answer", ""}}).status, 400);
  answered = care.post("/dashboard/consult/answer",
                       {{"consult_id", consult_id}, {"answer", "Weekly visits"}, {"back", "/dashboard/care"}});
  EXPECT_EQ(answered.status, 303);
  page = care.get("/dashboard/care");
  EXPECT_EQ(count_of(page.body, "data-test=\"offer-row\""), 0u);
  EXPECT_EQ(count_of(page.body, "data-test=\"consult-row\""), 0u);
  EXPECT_EQ(count_of(page.body, "data-test=\"case-row\""), 1u);
  // The case the care professional does not own reads as missing.
  EXPECT_EQ(care.get("/dashboard/case?id=" + declined_case).status, 404);
}

TEST_F(PersonaViews, AuditorSearchesTheLogAndRunsTheTamperCheck) {
  const std::string id = open_case("T-1");
  ok(kConsultant, "case.get", R"({"case_id":")" + id + R"("})");
  Browser auditor = browser();
  auditor.sign_in("auditor");
  Page page = auditor.get("/dashboard/auditor");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("data-test=\"audit-search-form\""), std::string::npos);
  EXPECT_EQ(count_of(page.body, "data-test=\"audit-row\""), 0u);

  page = auditor.get("/dashboard/auditor?user=hc-1&object=&event=&from=2026-03-02&to=2026-03-02&limit=50");
  ASSERT_EQ(page.status, 200) << page.body;
  const std::size_t rows = count_of(page.body, "data-test=\"audit-row\"");
  EXPECT_GE(rows, 1u);
  EXPECT_EQ(count_of(page.body, "<td>hc-1</td>"), rows) << "only hc-1's entries";
  // Escaped search terms come back in the form, inert.
  page = auditor.get("/dashboard/auditor?user=%3Cscript%3E&limit=10");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("value=\"&lt;script&gt;\""), std::string::npos);
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
  // Bad input names the field.
  page = auditor.get("/dashboard/auditor?from=2026-13-01");
  EXPECT_EQ(page.status, 400);
  EXPECT_NE(page.body.find("from: "), std::string::npos);
  EXPECT_EQ(auditor.get("/dashboard/auditor?limit=0").status, 400);

  page = auditor.post("/dashboard/auditor/verify", {});
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("data-test=\"verify-intact\""), std::string::npos);
  EXPECT_EQ(auditor.post("/dashboard/auditor/verify", {}, false).status, 403);
  EXPECT_EQ(auditor.get("/dashboard/tenant").status, 404);
}

TEST_F(PersonaViews, AuditorRunsTheBacktestWithCharts) {
  Browser auditor = browser();
  auditor.sign_in("auditor");
  Page page = auditor.get("/dashboard/auditor/backtest");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("data-test=\"backtest-form\""), std::string::npos);
  EXPECT_EQ(page.body.find("<svg"), std::string::npos) << "nothing run before the form is sent";
  page = auditor.get("/dashboard/auditor/backtest?from=2025-01-01&to=2025-12-31");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(count_of(page.body, "data-test=\"chart-histogram\""), 2u);
  EXPECT_EQ(count_of(page.body, "data-test=\"chart-precision-recall\""), 1u);
  EXPECT_EQ(count_of(page.body, "data-test=\"backtest-figure\""), 3u);
  page = auditor.get("/dashboard/auditor/backtest?from=2025-12-31&to=2025-01-01");
  EXPECT_EQ(page.status, 400);
  EXPECT_NE(page.body.find("to: mag niet vóór from liggen"), std::string::npos) << page.body; // Dutch page
  Browser neighbour = browser();
  neighbour.sign_in("neighbour");
  EXPECT_EQ(neighbour.get("/dashboard/auditor/backtest?from=2025-01-01&to=2025-12-31").status, 404);
}

TEST_F(PersonaViews, CareDetailsOnlyUnderARecordedBasis) {
  const std::string id = open_case("T-1");
  ok(kCoordinator, "network.add",
     R"({"case_id":")" + id +
         R"(","kind":"professional","relation":"care","user":"ggz-consult-1","organisation":"care:ggz-west","role":"care_professional","consent":{"status":"given","basis":"consent","on":"2026-03-01"},"may_see":["plan","timeline"]})");
  Browser care = browser();
  care.sign_in("care_professional");
  Page page = care.get("/dashboard/care");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(count_of(page.body, "data-test=\"case-row\""), 1u);
  EXPECT_EQ(count_of(page.body, "data-test=\"care-entry\""), 0u);
  EXPECT_NE(page.body.find("data-test=\"care-details-empty\""), std::string::npos);

  ok(kCoordinator, "case.set_care_basis", R"({"case_id":")" + id + R"(","care_basis":"consent","reason":"signed"})");
  ok(kCare, "timeline.add_note", R"({"case_id":")" + id + R"(","data_class":"care","text":"Sleeps badly <b>again</b>"})");
  page = care.get("/dashboard/care");
  EXPECT_EQ(count_of(page.body, "data-test=\"care-entry\""), 1u);
  EXPECT_NE(page.body.find("Sleeps badly &lt;b&gt;again&lt;/b&gt;"), std::string::npos);

  // Withdrawn basis: the care details go from the page.
  ok(kCoordinator, "case.set_care_basis", R"({"case_id":")" + id + R"(","care_basis":"none","reason":"withdrawn"})");
  page = care.get("/dashboard/care");
  EXPECT_EQ(count_of(page.body, "data-test=\"care-entry\""), 0u);
  EXPECT_EQ(page.body.find("Sleeps badly"), std::string::npos);
}


// The neighbourhood page with placement.ini [overview] min_count = 1: a cell at its limit
// says so in words in the table and with "!" in the heat grid, not by colour alone.
class PersonaViewsWithoutSuppression : public PersonaViews {
protected:
  std::filesystem::path handoff_config() override {
    const auto folder = scratch_.path() / "handoff-config";
    std::filesystem::create_directories(folder);
    for (const auto &entry : std::filesystem::directory_iterator(PersonaViews::handoff_config())) {
      std::filesystem::copy_file(entry.path(), folder / entry.path().filename());
    }
    std::ifstream in(folder / "placement.ini");
    std::stringstream text;
    text << in.rdbuf();
    in.close();
    std::string ini = text.str();
    const auto at = ini.find("min_count = 3");
    EXPECT_NE(at, std::string::npos);
    if (at != std::string::npos) ini.replace(at, 13, "min_count = 1");
    std::ofstream(folder / "placement.ini") << ini;
    return folder;
  }
};

TEST_F(PersonaViewsWithoutSuppression, NeighbourhoodMarksAnEntranceAtItsLimitInWords) {
  open_case("T-1"); // Oosterparkstraat 1091AB entrance A: 1 open case, the entrance limit is 1
  Browser dutch = browser();
  dutch.sign_in("coordinator");
  Page page = dutch.get("/dashboard/coordinator/neighbourhood");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(count_of(page.body, "data-test=\"over-limit\""), 1u) << "the entrance (limit 1), not the street (limit 5)";
  EXPECT_NE(page.body.find("ja: op of boven de grens"), std::string::npos);
  EXPECT_NE(page.body.find(">1 !<"), std::string::npos) << "the grid says it in text";
  EXPECT_NE(page.body.find("class=\"cell over\""), std::string::npos);
  EXPECT_EQ(page.body.find("niet getoond"), std::string::npos);
  Browser english = browser();
  english.set_language("en");
  english.sign_in("coordinator");
  page = english.get("/dashboard/coordinator/neighbourhood");
  EXPECT_NE(page.body.find("yes: at or over the limit"), std::string::npos);
  EXPECT_NE(page.body.find("<caption>Per street and entrance (counts only)</caption>"), std::string::npos);
}

} // namespace
} // namespace hearth::test::dashboards_views
