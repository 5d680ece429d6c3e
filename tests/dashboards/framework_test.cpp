// The dashboards' framework parts without a runtime: settings (every key checked, a bad
// value named), the session store (expiry, idle time, capacity), escaping and the
// helpers views use, form decoding.
#include <map>
#include <optional>

#include <gtest/gtest.h>

#include "http_exchange.hpp"
#include "session_store.hpp"
#include "settings.hpp"
#include "view.hpp"

namespace hearth::dashboards {
namespace {

Settings settings_from(const std::map<std::string, std::string> &values) {
  return read_settings([&](const std::string &key) -> std::optional<std::string> {
    const auto found = values.find(key);
    return found == values.end() ? std::nullopt : std::optional<std::string>(found->second);
  });
}

TEST(DashboardSettings, DefaultsAreSafe) {
  const Settings s = settings_from({});
  EXPECT_EQ(s.frame_ancestors, "'none'");
  EXPECT_TRUE(s.demo_sign_in);
  EXPECT_EQ(s.session_idle_minutes, 30);
  EXPECT_EQ(s.session_max_minutes, 480);
  EXPECT_EQ(s.cookie_samesite, "Strict");
  EXPECT_FALSE(s.cookie_secure);
  EXPECT_EQ(s.demo_personas.size(), 7u);
  EXPECT_EQ(s.demo_personas.at("housing_consultant").user, "consultant-01");
}

TEST(DashboardSettings, GoodValuesAreTaken) {
  const Settings s = settings_from({{"frame_ancestors", " https://crm.example.nl  'self' http://localhost:8080 "},
                                    {"demo_sign_in", "off"},
                                    {"session_idle_minutes", "5"},
                                    {"session_max_minutes", "60"},
                                    {"cookie_samesite", "None"},
                                    {"max_sessions", "10"},
                                    {"demo_tenant", "tenant-000042 corp:demo"}});
  EXPECT_EQ(s.frame_ancestors, "https://crm.example.nl 'self' http://localhost:8080");
  EXPECT_FALSE(s.demo_sign_in);
  EXPECT_EQ(s.session_idle_minutes, 5);
  EXPECT_EQ(s.session_max_minutes, 60);
  EXPECT_TRUE(s.cookie_secure); // SameSite=None needs Secure
  EXPECT_EQ(s.max_sessions, 10u);
  EXPECT_EQ(s.demo_personas.at("tenant").user, "tenant-000042");
}

TEST(DashboardSettings, BadValuesAreRefusedNamingTheKey) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"frame_ancestors", "*"},
      {"frame_ancestors", "https://crm.example.nl/path"},
      {"frame_ancestors", "https://crm.example.nl; script-src *"},
      {"frame_ancestors", "javascript:alert(1)"},
      {"frame_ancestors", "'none' https://crm.example.nl"},
      {"frame_ancestors", "  "},
      {"demo_sign_in", "maybe"},
      {"session_idle_minutes", "0"},
      {"session_idle_minutes", "ten"},
      {"session_max_minutes", "100000"},
      {"cookie_samesite", "strict"},
      {"cookie_secure", "2"},
      {"max_sessions", "-1"},
      {"access_point", "dash board"},
      {"demo_tenant", "only-a-user"},
      {"demo_auditor", "a b c"},
  };
  for (const auto &[key, value] : bad) {
    try {
      settings_from({{key, value}});
      ADD_FAILURE() << key << " = " << value << " was taken";
    } catch (const std::invalid_argument &e) {
      EXPECT_EQ(std::string(e.what()).rfind(key + ": ", 0), 0u) << e.what();
    }
  }
}

Session person(const std::string &role) {
  Session s;
  s.user = "u-1";
  s.role = role;
  s.organisation = "corp:test";
  s.access_point = "test";
  return s;
}

TEST(DashboardSessions, ASessionEndsByIdleTimeMaximumAgeOrItsCredential) {
  SessionStore store(10 * 60'000, 60 * 60'000, 100);
  const Session s = store.start(person("tenant"), 1'000'000, 0);
  EXPECT_EQ(s.id.size(), 64u);
  EXPECT_EQ(s.csrf_token.size(), 64u);
  EXPECT_NE(s.id, s.csrf_token);
  EXPECT_EQ(s.expires_at_ms, 1'000'000 + 60 * 60'000);
  EXPECT_TRUE(store.find(s.id, 1'000'000 + 9 * 60'000));
  EXPECT_FALSE(store.find(s.id, 1'000'000 + 20 * 60'000)); // idle 11 minutes
  EXPECT_FALSE(store.find(s.id, 1'000'000 + 9 * 60'000));  // and forgotten

  const Session token_bound = store.start(person("tenant"), 0, 5 * 60'000);
  EXPECT_EQ(token_bound.expires_at_ms, 5 * 60'000);
  EXPECT_TRUE(store.find(token_bound.id, 5 * 60'000 - 1));
  EXPECT_FALSE(store.find(token_bound.id, 5 * 60'000));
  EXPECT_FALSE(store.find("", 0));
  EXPECT_FALSE(store.find("unknown", 0));
}

TEST(DashboardSessions, TheStoreIsBoundedAndDropsTheLeastRecentlyUsed) {
  SessionStore store(60'000, 600'000, 2);
  const Session a = store.start(person("tenant"), 0, 0);
  const Session b = store.start(person("tenant"), 1, 0);
  EXPECT_TRUE(store.find(a.id, 2)); // a is used again: b is now the oldest
  const Session c = store.start(person("tenant"), 3, 0);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_TRUE(store.find(a.id, 4));
  EXPECT_FALSE(store.find(b.id, 4));
  EXPECT_TRUE(store.find(c.id, 4));
  store.end(a.id);
  EXPECT_FALSE(store.find(a.id, 5));
}

TEST(DashboardSessions, SecretsCompareWhole) {
  EXPECT_TRUE(same_secret("abc", "abc"));
  EXPECT_FALSE(same_secret("abd", "abc"));
  EXPECT_FALSE(same_secret("ab", "abc"));
  EXPECT_FALSE(same_secret("", ""));
  EXPECT_NE(random_token(), random_token());
}

TEST(DashboardViews, EscapeCoversEveryHtmlSpecialCharacter) {
  EXPECT_EQ(escape("<a href=\"x\" title='y'>&</a>"), "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(escape("plain tekst é"), "plain tekst é");
  Session s = person("tenant");
  s.csrf_token = "tok\"en";
  EXPECT_EQ(csrf_field(s), "<input type=\"hidden\" name=\"csrf\" value=\"tok&quot;en\">");
  EXPECT_EQ(url_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(format_date(1'764'288'000'000, "nl"), "28-11-2025");
  EXPECT_EQ(format_date(1'764'288'000'000, "en"), "2025-11-28");
  EXPECT_EQ(level_label("amber", "nl"), "oranje");
  EXPECT_EQ(role_label("housing_consultant", "en"), "Housing consultant");
}

TEST(DashboardViews, TheRegistryRefusesBadOrDoubleRoutes) {
  ViewRegistry registry;
  const ViewHandler handler = [](ViewRequest &) { return ViewResponse{}; };
  registry.add({"GET", "/dashboard/a", {"tenant"}, handler, "A", "A"});
  registry.add({"GET", "/dashboard/b", {"tenant", "auditor"}, handler, "", ""});
  EXPECT_THROW(registry.add({"GET", "/dashboard/a", {"tenant"}, handler, "", ""}), std::invalid_argument);
  EXPECT_THROW(registry.add({"PUT", "/dashboard/c", {"tenant"}, handler, "", ""}), std::invalid_argument);
  EXPECT_THROW(registry.add({"GET", "/elsewhere", {"tenant"}, handler, "", ""}), std::invalid_argument);
  EXPECT_THROW(registry.add({"GET", "/dashboard/d", {}, handler, "", ""}), std::invalid_argument);
  EXPECT_THROW(registry.add({"GET", "/dashboard/e", {"tenant"}, nullptr, "", ""}), std::invalid_argument);
  ASSERT_NE(registry.start_for("tenant"), nullptr);
  EXPECT_EQ(registry.start_for("tenant")->path, "/dashboard/a");
  EXPECT_EQ(registry.start_for("auditor"), nullptr); // no nav entry
  EXPECT_NE(registry.find("GET", "/dashboard/b"), nullptr);
  EXPECT_EQ(registry.find("POST", "/dashboard/b"), nullptr);
}

TEST(DashboardForms, UrlencodedBodiesDecode) {
  std::map<std::string, std::string> form;
  decode_form("a=1&b=x+y%21&a=2&empty=&flag&c=%3Cs%3E", form);
  EXPECT_EQ(form.at("a"), "1"); // the first of repeated names
  EXPECT_EQ(form.at("b"), "x y!");
  EXPECT_EQ(form.at("empty"), "");
  EXPECT_EQ(form.at("flag"), "");
  EXPECT_EQ(form.at("c"), "<s>");
  EXPECT_THROW(decode_form("a=%zz", form), std::invalid_argument);
  EXPECT_EQ(query_value("tenancy=T%2D1&x=2", "tenancy"), "T-1");
  EXPECT_EQ(query_value("xtenancy=1", "tenancy"), "");
}

} // namespace
} // namespace hearth::dashboards
