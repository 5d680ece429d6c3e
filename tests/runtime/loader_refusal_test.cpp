// Every reason the loader refuses a module, each with a real, deliberately broken module,
// checked through hearth_inspect_module() and through a running runtime that keeps its
// good plugin working.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "runtime_fixture.hpp"

namespace hearth::test {
namespace {

struct RefusalCase {
  const char *module;
  int32_t status;
  const char *cause;      // a phrase the message must contain
  std::string plugin_abi; // "plugin ABI x" as the message must show it
};

// Printed by GoogleTest as the parameter's name.
std::string case_name(const testing::TestParamInfo<RefusalCase> &info) { return info.param.module; }

const std::string kHostAbi = "host ABI " + std::to_string(HEARTH_ABI_MAJOR) + "." + std::to_string(HEARTH_ABI_MINOR);
const std::string kNewerMinor = std::to_string(HEARTH_ABI_MAJOR) + "." + std::to_string(HEARTH_ABI_MINOR + 1);
// The ABI this tree builds plugins for, as "1.1".
const std::string kThisAbi = std::to_string(HEARTH_ABI_MAJOR) + "." + std::to_string(HEARTH_ABI_MINOR);

const RefusalCase kRefusals[] = {
    {"test_not_a_library", HEARTH_ERROR_IO, "is not a shared library", "plugin ABI unknown"},
    {"test_no_entry", HEARTH_ERROR_NOT_FOUND, "does not export hearth_get_plugin_entry", "plugin ABI unknown"},
    {"test_undefined_symbol", HEARTH_ERROR_IO, "hearth_test_symbol_that_does_not_exist", "plugin ABI unknown"},
    {"test_null_entry", HEARTH_ERROR_VERSION, "returned NULL", "plugin ABI unknown"},
    {"test_entry_throws", HEARTH_ERROR_PLUGIN, "entry function threw", "plugin ABI unknown"},
    {"test_bad_magic", HEARTH_ERROR_VERSION, "wrong magic", "plugin ABI unknown"},
    {"test_major_two", HEARTH_ERROR_VERSION, "another major ABI version", "plugin ABI 2." + std::to_string(HEARTH_ABI_MINOR)},
    {"test_newer_minor", HEARTH_ERROR_VERSION, "newer minor ABI version", "plugin ABI " + kNewerMinor},
    {"test_short_entry", HEARTH_ERROR_VERSION, "entry struct_size", "plugin ABI " + kThisAbi},
    {"test_short_descriptor", HEARTH_ERROR_VERSION, "descriptor struct_size", "plugin ABI " + kThisAbi},
    {"test_missing_name", HEARTH_ERROR_INVALID_ARGUMENT, "descriptor.name is missing", "plugin ABI " + kThisAbi},
    {"test_bad_id", HEARTH_ERROR_INVALID_ARGUMENT, "is not a reverse-DNS id", "plugin ABI " + kThisAbi},
};

class LoaderRefusal : public testing::TestWithParam<RefusalCase> {};

TEST_P(LoaderRefusal, InspectNamesFileCauseAndBothVersions) {
  const auto &c = GetParam();
  const auto path = module_path(c.module);
  Message report, error;
  const int32_t status = hearth_inspect_module(path.c_str(), report.out(), error.out());
  EXPECT_EQ(status, c.status) << hearth_status_name(status) << ": " << error.str();
  EXPECT_EQ(report.text, nullptr);
  EXPECT_NE(error.str().find(path.string()), std::string::npos) << error.str();
  EXPECT_NE(error.str().find(c.cause), std::string::npos) << error.str();
  EXPECT_NE(error.str().find(c.plugin_abi), std::string::npos) << error.str();
  EXPECT_NE(error.str().find(kHostAbi), std::string::npos) << error.str();
}

TEST_P(LoaderRefusal, RuntimeRecordsRefusalAndKeepsGoodPluginRunning) {
  const auto &c = GetParam();
  RuntimeFixture fixture({"test_good", c.module});
  fixture.open_and_load();
  const auto refused = fixture.info_of(c.module);
  EXPECT_EQ(refused.state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_REFUSED));
  EXPECT_NE(std::string(refused.message).find(c.cause), std::string::npos) << refused.message;

  const auto good = fixture.info_of("test_good");
  EXPECT_EQ(good.state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE)) << good.message;
  std::string answer;
  EXPECT_EQ(fixture.query("nl.hearth.test.good", "echo", answer, R"({"still":"alive"})"), HEARTH_OK) << answer;
  EXPECT_EQ(answer, R"({"still":"alive"})");
}

TEST_P(LoaderRefusal, LoadPluginReturnsTheRefusal) {
  const auto &c = GetParam();
  RuntimeFixture fixture({});
  ASSERT_EQ(fixture.open(), HEARTH_OK) << fixture.open_error();
  Message error;
  const int32_t status = hearth_runtime_load_plugin(fixture.runtime(), module_path(c.module).c_str(), error.out());
  EXPECT_EQ(status, c.status) << error.str();
  EXPECT_NE(error.str().find(c.cause), std::string::npos) << error.str();
  EXPECT_EQ(hearth_runtime_plugin_count(fixture.runtime()), 1u);
}

INSTANTIATE_TEST_SUITE_P(EveryReason, LoaderRefusal, testing::ValuesIn(kRefusals), case_name);

TEST(LoaderRefusalOther, MissingFileIsRefusedWithItsPath) {
  const auto path = std::filesystem::path(HEARTH_TEST_MODULE_DIR) / "no_such_module.so";
  Message report, error;
  EXPECT_EQ(hearth_inspect_module(path.c_str(), report.out(), error.out()), HEARTH_ERROR_IO);
  EXPECT_NE(error.str().find("no_such_module.so: the file does not exist"), std::string::npos) << error.str();
}

TEST(LoaderRefusalOther, FolderIsNotARegularFile) {
  ScratchDir scratch;
  const auto folder = scratch.path() / "looks_like.so";
  std::filesystem::create_directories(folder);
  Message report, error;
  EXPECT_EQ(hearth_inspect_module(folder.c_str(), report.out(), error.out()), HEARTH_ERROR_IO);
  EXPECT_NE(error.str().find("is not a regular file"), std::string::npos) << error.str();
}

// A file its reader may not read. Root reads everything, so when the tests run as root
// (as in CI) the check runs in a child process that drops to the unprivileged user
// "nobody" first; the child reports through its exit code.
TEST(LoaderRefusalOther, UnreadableFileIsRefused) {
  ScratchDir scratch;
  std::filesystem::permissions(scratch.path(), std::filesystem::perms::all);
  const auto copy = scratch.path() / "unreadable.so";
  std::filesystem::copy_file(module_path("test_configurable"), copy);
  std::filesystem::permissions(copy, std::filesystem::perms::none);
  for (auto dir = scratch.path(); dir.has_relative_path() && dir != dir.root_path(); dir = dir.parent_path()) {
    std::error_code ignored; // the nobody user must be able to reach the file's folder
    std::filesystem::permissions(dir, std::filesystem::perms::others_exec, std::filesystem::perm_options::add, ignored);
  }

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) {
      ::_exit(3);
    }
    char *report = nullptr;
    char *error = nullptr;
    const int32_t status = hearth_inspect_module(copy.c_str(), &report, &error);
    const bool named = error != nullptr && std::string(error).find("cannot be read: Permission denied") != std::string::npos &&
                       std::string(error).find("unreadable.so") != std::string::npos;
    ::_exit(status == HEARTH_ERROR_IO && named ? 0 : 4);
  }
  int wait_status = 0;
  ASSERT_EQ(::waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFEXITED(wait_status));
  EXPECT_EQ(WEXITSTATUS(wait_status), 0) << "3: could not drop privileges, 4: wrong status or message";
}

TEST(LoaderRefusalOther, InspectReportsDescriptorOfAGoodModule) {
  Message report, error;
  ASSERT_EQ(hearth_inspect_module(module_path("test_good").c_str(), report.out(), error.out()), HEARTH_OK) << error.str();
  const std::string json = report.str();
  EXPECT_NE(json.find(R"("id":"nl.hearth.test.good")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("abi":")" + kThisAbi + "\""), std::string::npos) << json;
  EXPECT_NE(json.find(R"("features":["nl.hearth.test"])"), std::string::npos) << json;
}

} // namespace
} // namespace hearth::test
