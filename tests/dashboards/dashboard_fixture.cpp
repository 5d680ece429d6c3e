#include "dashboard_fixture.hpp"
#include "dashboard_seed.hpp"

#include <fstream>
#include <memory>
#include <mutex>
#include <regex>
#include <sstream>

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include "demo/demo_loader.hpp"
#include "demo/generator.hpp"

namespace hearth::test::dashboards {
namespace {

std::string take(char *text) {
  std::string out = text != nullptr ? text : "";
  hearth_free(text);
  return out;
}

std::filesystem::path source_path(const char *relative) { return std::filesystem::path(HEARTH_TEST_SOURCE_DIR) / relative; }

std::string sha256_hex(const std::string &text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

hearth_actor actor_of(const std::string &role, const std::string &user) {
  hearth_actor a{};
  a.struct_size = sizeof a;
  a.user = user.c_str();
  a.role = role.c_str();
  a.organisation = "corp:demo";
  a.access_point = "test";
  return a;
}

// hearth.ini lines shared by the seeding runtime and the test runtimes.
std::string common_ini(const std::filesystem::path &db, const std::filesystem::path &plugins) {
  std::ostringstream ini;
  ini << "[storage]\nbackend = sqlite\nsqlite_path = " << db.string() << "\n"
      << "[plugins]\nbundled = false\npath = " << plugins.string() << "\n"
      << "[log]\nlevel = info\n"
      << "[events]\npoll_ms = 50\n"
      << "[plugin.nl.hearth.early-warning]\n"
      << "rule_set = " << source_path("config/scoring/default.ini").string() << "\n"
      << "protected_attributes = " << source_path("config/scoring/protected-attributes.txt").string() << "\n"
      // The demo history ends 2025-12-31 and most of its episodes began months before:
      // keep flags from all of it, so that the portfolios hold flags to show.
      << "flag_max_age_days = 3650\n"
      << "[plugin.nl.hearth.coordinator-handoff]\nconfig_dir = " << source_path("config/handoff").string() << "\n";
  return ini.str();
}

void copy_plugin(const std::filesystem::path &to, const char *file) {
  std::filesystem::copy_file(std::filesystem::path(HEARTH_TEST_PLUGIN_DIR) / file, to / file);
}

// Stores the demo neighbourhood (200 tenancies, seed 1) into a fresh SQLite file `db` with
// the early-warning and coordinator-handoff plugins of this build; `folder` holds the
// seeding runtime's files.
void seed_demo_store(const std::filesystem::path &folder, const std::filesystem::path &db) {
  const auto plugins = folder / "plugins";
  std::filesystem::create_directories(plugins);
  copy_plugin(plugins, "hearth_early_warning.so");
  copy_plugin(plugins, "hearth_coordinator_handoff.so");
  {
    std::ofstream ini(folder / "hearth.ini");
    ini << common_ini(db, plugins);
  }
  hearth_runtime *runtime = nullptr;
  char *error = nullptr;
  if (hearth_runtime_open(folder.c_str(), &runtime, &error) != HEARTH_OK) {
    throw std::runtime_error("cannot open the seeding runtime: " + take(error));
  }
  hearth_runtime_set_clock(runtime, [](void *) -> std::int64_t { return kNowMs; }, nullptr);
  if (hearth_runtime_load_plugins(runtime, &error) != HEARTH_OK) {
    const std::string message = take(error);
    hearth_runtime_close(runtime);
    throw std::runtime_error("cannot load plugins to seed: " + message);
  }
  demo::store_neighbourhood(runtime, demo::generate_neighbourhood(200, 1));
  hearth_runtime_drain(runtime, 60'000);
  hearth_runtime_close(runtime);
}

// True when `seed` exists and is at least as new as this test program and the plugins it
// was seeded with: a store seeded by an earlier build is never used.
bool fresh_shared_seed(const std::filesystem::path &seed) {
  std::error_code error;
  const auto seeded = std::filesystem::last_write_time(seed, error);
  if (error) return false;
  const std::filesystem::path inputs[] = {
      std::filesystem::read_symlink("/proc/self/exe", error),
      std::filesystem::path(HEARTH_TEST_PLUGIN_DIR) / "hearth_early_warning.so",
      std::filesystem::path(HEARTH_TEST_PLUGIN_DIR) / "hearth_coordinator_handoff.so",
  };
  for (const auto &input : inputs) {
    const auto built = std::filesystem::last_write_time(input, error);
    if (error || built > seeded) return false;
  }
  return true;
}

// The demo neighbourhood every runtime of this process copies. Under CTest it is the file
// the dashboards.seed test wrote before any dashboards test ran (seeding takes seconds under
// the sanitizers, longer than most tests); a program run by hand seeds its own once.
class SeededStore {
public:
  static const std::filesystem::path &file() {
    static SeededStore store;
    return store.db_;
  }

private:
  SeededStore() {
    const std::filesystem::path shared(HEARTH_TEST_DASHBOARD_SEED);
    if (fresh_shared_seed(shared)) {
      db_ = shared;
      return;
    }
    db_ = scratch_.path() / "seeded.db";
    seed_demo_store(scratch_.path(), db_);
  }

  ScratchDir scratch_;
  std::filesystem::path db_;
};

} // namespace

void write_shared_seed(const std::filesystem::path &to) {
  ScratchDir scratch;
  const auto db = scratch.path() / "seeded.db";
  seed_demo_store(scratch.path(), db);
  // Renamed into place: a reader never sees half a file.
  const auto partial = to.string() + ".partial";
  std::filesystem::copy_file(db, partial, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::rename(partial, to);
}

DashboardRuntime::DashboardRuntime(const RuntimeOptions &options) {
  const auto db = scratch_.path() / "hearth.db";
  std::filesystem::copy_file(SeededStore::file(), db);
  const auto plugins = scratch_.path() / "plugins";
  std::filesystem::create_directories(plugins);
  copy_plugin(plugins, "hearth_early_warning.so");
  copy_plugin(plugins, "hearth_coordinator_handoff.so");
  copy_plugin(plugins, "hearth_dashboards.so");
  {
    std::ofstream ini(scratch_.path() / "hearth.ini");
    ini << common_ini(db, plugins) << "[runtime]\nmode = " << options.mode << "\n"
        << "[http]\nport = 0\n"
        << "[auth]\nkeys = crm\njwt.algorithm = HS256\njwt.hs256_secret = " << kJwtSecret
        << "\njwt.issuer = crm.test\njwt.audience = hearth\njwt.max_lifetime_s = 900\n"
        << "[auth.key.crm]\nsha256 = " << sha256_hex(kApiKey)
        << "\nuser = system:crm\nrole = system\norganisation = corp:demo\naccess_point = crm:viewpoint\n"
        << "[plugin.nl.hearth.dashboards]\n"
        << options.dashboard_ini << "\n"
        << options.extra_ini << "\n";
  }
  char *error = nullptr;
  if (hearth_runtime_open(scratch_.path().c_str(), &runtime_, &error) != HEARTH_OK) {
    ADD_FAILURE() << "open: " << take(error);
    return;
  }
  hearth_runtime_set_clock(runtime_, &DashboardRuntime::clock, this);
  if (hearth_runtime_load_plugins(runtime_, &error) != HEARTH_OK) {
    ADD_FAILURE() << "load plugins: " << take(error);
  }
  if (hearth_runtime_serve_http(runtime_, "127.0.0.1", 0, &port_, &error) != HEARTH_OK) {
    ADD_FAILURE() << "serve: " << take(error);
  }
}

DashboardRuntime::~DashboardRuntime() { hearth_runtime_close(runtime_); }

std::uint32_t DashboardRuntime::plugin_state(const std::string &file, std::string &message) const {
  for (std::uint32_t i = 0; i < hearth_runtime_plugin_count(runtime_); ++i) {
    hearth_plugin_info info{};
    info.struct_size = sizeof info;
    hearth_runtime_plugin_at(runtime_, i, &info);
    if (std::filesystem::path(info.path).filename() == file + ".so") {
      message = info.message != nullptr ? info.message : "";
      return info.state;
    }
  }
  message = "not listed";
  return HEARTH_PLUGIN_STATE_REFUSED;
}

std::pair<std::int32_t, std::string> DashboardRuntime::call(const std::string &role, const std::string &user,
                                                            const std::string &plugin, const std::string &operation,
                                                            const std::string &args) {
  const hearth_actor who = actor_of(role, user);
  char *result = nullptr;
  char *error = nullptr;
  const std::int32_t status =
      hearth_runtime_call(runtime_, &who, plugin.c_str(), operation.c_str(), args.c_str(), &result, &error);
  const std::string answer = take(result);
  const std::string failure = take(error);
  return {status, status == HEARTH_OK ? answer : failure};
}

std::string Page::header(const std::string &name) const {
  for (const auto &[n, v] : headers) {
    if (Poco::icompare(n, name) == 0) {
      return v;
    }
  }
  return {};
}

std::vector<std::string> Page::set_cookies() const {
  std::vector<std::string> out;
  for (const auto &[n, v] : headers) {
    if (Poco::icompare(n, "Set-Cookie") == 0) {
      out.push_back(v);
    }
  }
  return out;
}

Page Browser::send(const std::string &method, const std::string &target, const std::string &body,
                   const std::string &content_type, const std::map<std::string, std::string> &headers) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port_);
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!cookies.empty()) {
    Poco::Net::NameValueCollection jar;
    for (const auto &[name, value] : cookies) {
      jar.add(name, value);
    }
    request.setCookies(jar);
  }
  for (const auto &[name, value] : headers) {
    request.set(name, value);
  }
  if (!content_type.empty()) {
    request.setContentType(content_type);
  }
  if (method == "POST") {
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream &in = session.receiveResponse(response);
  Page page;
  page.status = static_cast<int>(response.getStatus());
  Poco::StreamCopier::copyToString(in, page.body);
  for (const auto &[name, value] : response) {
    page.headers.emplace_back(name, value);
  }
  std::vector<Poco::Net::HTTPCookie> set;
  response.getCookies(set);
  for (const auto &cookie : set) {
    if (cookie.getMaxAge() == 0) {
      cookies.erase(cookie.getName());
    } else {
      cookies[cookie.getName()] = cookie.getValue();
    }
  }
  return page;
}

Page Browser::get(const std::string &target, const std::map<std::string, std::string> &headers) {
  return send("GET", target, "", "", headers);
}

Page Browser::post(const std::string &target, const std::vector<std::pair<std::string, std::string>> &fields,
                   const std::map<std::string, std::string> &headers) {
  Poco::Net::HTMLForm form;
  for (const auto &[name, value] : fields) {
    form.add(name, value);
  }
  std::ostringstream body;
  form.write(body);
  return send("POST", target, body.str(), "application/x-www-form-urlencoded", headers);
}

std::string Browser::csrf_of(const Page &page) {
  static const std::regex field("name=\"csrf\" value=\"([0-9a-f]{64})\"");
  std::smatch match;
  return std::regex_search(page.body, match, field) ? match[1].str() : std::string();
}

void Browser::sign_in_as(const std::string &persona) {
  const Page picker = get("/dashboard/sign-in");
  ASSERT_EQ(picker.status, 200) << picker.body;
  const Page signed_in = post("/dashboard/sign-in", {{"csrf", csrf_of(picker)}, {"persona", persona}});
  ASSERT_EQ(signed_in.status, 303) << signed_in.body;
  ASSERT_EQ(cookies.count("hearth_session"), 1u);
}

std::string Browser::csrf(const std::string &path) { return csrf_of(get(path)); }

std::string crm_token(std::int64_t now_ms, long lifetime_s, const std::string &user, const std::string &role,
                      const std::string &scope, const std::string &secret) {
  Poco::JWT::Token token;
  token.setType("JWT");
  token.setSubject(user);
  token.setIssuer("crm.test");
  token.setAudience("hearth");
  const Poco::Timestamp issued = Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(now_ms / 1000));
  token.setIssuedAt(issued);
  token.setExpiration(issued + Poco::Timespan(lifetime_s, 0));
  token.payload().set("role", role);
  token.payload().set("org", std::string("corp:demo"));
  if (!scope.empty()) {
    token.payload().set("scope", scope);
  }
  Poco::JWT::Signer signer(secret);
  return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

std::vector<std::string> portfolio_flags(DashboardRuntime &runtime, const std::string &consultant) {
  const auto [status, answer] = runtime.call("housing_consultant", consultant, "nl.hearth.early-warning",
                                             "flags.portfolio", R"({"min_level":"green","status":"proposed"})");
  EXPECT_EQ(status, HEARTH_OK) << answer;
  std::vector<std::string> ids;
  if (status != HEARTH_OK) {
    return ids;
  }
  const auto flags = Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Object::Ptr>()->getArray("flags");
  for (unsigned i = 0; i < flags->size(); ++i) {
    ids.push_back(flags->getObject(i)->getValue<std::string>("flag_id"));
  }
  return ids;
}

} // namespace hearth::test::dashboards
