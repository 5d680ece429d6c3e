// `hearth new-plugin`: a plugin project from the templates, renamed, and every refusal.
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "cli_errors.hpp"
#include "command_line.hpp"
#include "command_new_plugin.hpp"
#include "plugin_project.hpp"
#include "test_environment.hpp"

namespace {

namespace fs = std::filesystem;
using hearth::cli::create_plugin_project;
using hearth::cli::PluginProjectRequest;

// The whole of `file`.
std::string read(const fs::path &file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The source tree's templates (the same files the build tree and the install carry).
fs::path source_templates() { return fs::path(HEARTH_TEST_SOURCE_DIR) / "examples"; }

PluginProjectRequest request_for(const fs::path &target, const std::string &language) {
  PluginProjectRequest request;
  request.name = "rent-reminder";
  request.language = language;
  request.target = target;
  request.templates = source_templates();
  return request;
}

TEST(NewPlugin, CreatesARenamedCProject) {
  hearth::test::ScratchDir scratch;
  const auto written = create_plugin_project(request_for(scratch.path() / "rent-reminder", "c"));
  const std::vector<fs::path> expected = {"CMakeLists.txt", "Makefile", "rent_reminder.c"};
  EXPECT_EQ(written, expected);
  const std::string cmake = read(scratch.path() / "rent-reminder" / "CMakeLists.txt");
  EXPECT_NE(cmake.find("project(rent_reminder VERSION 1.0.0 LANGUAGES C)"), std::string::npos) << cmake;
  EXPECT_NE(cmake.find("hearth_add_plugin(rent_reminder SOURCES rent_reminder.c INSTALL)"), std::string::npos);
  const std::string source = read(scratch.path() / "rent-reminder" / "rent_reminder.c");
  EXPECT_NE(source.find("#define MY_PLUGIN_ID \"org.example.rent-reminder\""), std::string::npos);
  EXPECT_EQ(source.find("my_plugin"), std::string::npos);
  EXPECT_EQ(source.find("org.example.my-plugin"), std::string::npos);
  EXPECT_NE(read(scratch.path() / "rent-reminder" / "Makefile").find("plugins/rent_reminder.so: rent_reminder.c"),
            std::string::npos);
}

TEST(NewPlugin, CreatesACppProjectWithTheGivenId) {
  hearth::test::ScratchDir scratch;
  auto request = request_for(scratch.path() / "out", "cpp");
  request.plugin_id = "nl.woonstad.rent-reminder";
  const auto written = create_plugin_project(request);
  const std::vector<fs::path> expected = {"CMakeLists.txt", "Makefile", "rent_reminder.cpp"};
  EXPECT_EQ(written, expected);
  const std::string source = read(scratch.path() / "out" / "rent_reminder.cpp");
  EXPECT_NE(source.find("\"nl.woonstad.rent-reminder\""), std::string::npos);
  EXPECT_EQ(source.find("org.example"), std::string::npos);
}

TEST(NewPlugin, RefusesBadInputNamingTheFieldAndWritesNothing) {
  hearth::test::ScratchDir scratch;
  const fs::path target = scratch.path() / "project";
  struct Case {
    std::string name, language, id, expected_prefix;
  };
  const std::vector<Case> cases = {
      {"Rent", "c", "", "name: 'Rent' is not a plugin name"},
      {"-rent", "c", "", "name: '-rent' is not a plugin name"},
      {"rent_reminder", "c", "", "name: 'rent_reminder' is not a plugin name"},
      {"", "c", "", "name: '' is not a plugin name"},
      {"rent", "rust", "", "language: 'rust' is not c or cpp"},
      {"rent", "c", "Org..Example", "plugin id: 'Org..Example' is not a plugin id"},
  };
  for (const auto &c : cases) {
    auto request = request_for(target, c.language);
    request.name = c.name;
    request.plugin_id = c.id;
    try {
      create_plugin_project(request);
      ADD_FAILURE() << "accepted " << c.name << " " << c.language << " " << c.id;
    } catch (const std::invalid_argument &refused) {
      EXPECT_EQ(std::string(refused.what()).rfind(c.expected_prefix, 0), 0u) << refused.what();
    }
    EXPECT_FALSE(fs::exists(target)) << "wrote something for " << c.name;
  }
}

TEST(NewPlugin, RefusesANonEmptyFolderAndAMissingTemplate) {
  hearth::test::ScratchDir scratch;
  const fs::path target = scratch.path() / "taken";
  fs::create_directories(target);
  std::ofstream(target / "keep.txt") << "mine";
  EXPECT_THROW(create_plugin_project(request_for(target, "c")), std::invalid_argument);
  EXPECT_EQ(read(target / "keep.txt"), "mine");

  auto request = request_for(scratch.path() / "fresh", "c");
  request.templates = scratch.path() / "no-templates";
  EXPECT_THROW(create_plugin_project(request), std::runtime_error);
  EXPECT_FALSE(fs::exists(scratch.path() / "fresh"));
}

TEST(NewPluginCommand, CreatesTheProjectAndRefusesUsageErrors) {
  hearth::test::ScratchDir scratch;
  const std::string target = (scratch.path() / "made").string();
  const std::string templates = source_templates().string();
  std::ostringstream captured;
  auto *previous = std::cout.rdbuf(captured.rdbuf());
  const int exit_code = hearth::cli::run_new_plugin(
      {}, {"rent-reminder", "--lang", "cpp", "--dir", target, "--templates", templates});
  std::cout.rdbuf(previous);
  EXPECT_EQ(exit_code, hearth::cli::exit_success);
  EXPECT_NE(captured.str().find("rent_reminder.cpp"), std::string::npos) << captured.str();
  EXPECT_TRUE(fs::exists(scratch.path() / "made" / "rent_reminder.cpp"));

  EXPECT_THROW(hearth::cli::run_new_plugin({}, {}), hearth::cli::UsageError);
  EXPECT_THROW(hearth::cli::run_new_plugin({}, {"a", "b"}), hearth::cli::UsageError);
  EXPECT_THROW(hearth::cli::run_new_plugin({}, {"Bad", "--templates", templates}), hearth::cli::UsageError);
  EXPECT_THROW(hearth::cli::run_new_plugin({}, {"rent", "--bogus"}), hearth::cli::UsageError);
  EXPECT_THROW(hearth::cli::run_new_plugin({}, {"rent-reminder", "--dir", target, "--templates", templates}),
               hearth::cli::CommandFailure);
}

} // namespace
