// What tests need from their surroundings: the source and build trees, the shared
// fixtures, a PostgreSQL server, a scratch folder. Missing outside CI means "skip with a
// reason"; missing when CI=true means the test fails.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace hearth::test {

// True when the environment variable CI is "true".
bool running_in_ci();

// The folder ../shared/fixtures next to the repository, if it exists.
std::optional<std::filesystem::path> fixtures_dir();

// The libpq connection string of the test PostgreSQL server, from HEARTH_TEST_POSTGRES
// (scripts/start-postgres.sh prints it), if set.
std::optional<std::string> postgres_url();

// A fresh, empty folder under the build tree's tmp/, removed when the object dies.
class ScratchDir {
public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir &) = delete;
  ScratchDir &operator=(const ScratchDir &) = delete;
  const std::filesystem::path &path() const { return path_; }

private:
  std::filesystem::path path_;
};

} // namespace hearth::test

// Skips the current test with `why` outside CI, fails it in CI. Use at the test's start.
#define HEARTH_REQUIRE_OR_SKIP(condition, why)                                           \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      if (::hearth::test::running_in_ci()) {                                            \
        FAIL() << "required in CI: " << (why);                                           \
      }                                                                                  \
      GTEST_SKIP() << (why);                                                             \
    }                                                                                    \
  } while (0)
