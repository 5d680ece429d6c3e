#include "test_environment.hpp"

#include <atomic>
#include <cstdlib>
#include <random>
#include <string_view>
#include <unistd.h>

namespace hearth::test {

bool running_in_ci() {
  const char *ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

std::optional<std::filesystem::path> fixtures_dir() {
  const auto candidate =
      std::filesystem::path(HEARTH_TEST_SOURCE_DIR).parent_path() / "shared" / "fixtures";
  if (std::filesystem::is_directory(candidate)) {
    return candidate;
  }
  return std::nullopt;
}

std::optional<std::string> postgres_url() {
  const char *url = std::getenv("HEARTH_TEST_POSTGRES");
  if (url == nullptr || *url == '\0') {
    return std::nullopt;
  }
  return std::string(url);
}

ScratchDir::ScratchDir() {
  static std::atomic<unsigned> counter{0};
  std::random_device random;
  path_ = std::filesystem::path(HEARTH_TEST_BINARY_DIR) / "tmp" /
          ("t" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
           std::to_string(random() % 100000));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

} // namespace hearth::test
