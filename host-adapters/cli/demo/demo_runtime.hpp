// A runtime opened for storing demo data, closed when it goes out of scope.
#pragma once

#include <optional>
#include <string>

#include <hearth/host.h>

namespace hearth::demo {

// Opens a runtime from `config_dir` (nothing: built-in defaults) without loading plugins.
// Throws std::runtime_error("cannot open the runtime: ...") when it cannot.
class DemoRuntime {
public:
  explicit DemoRuntime(const std::optional<std::string> &config_dir);
  ~DemoRuntime();
  DemoRuntime(const DemoRuntime &) = delete;
  DemoRuntime &operator=(const DemoRuntime &) = delete;

  // The open runtime.
  hearth_runtime *get() const { return runtime_; }

private:
  hearth_runtime *runtime_ = nullptr;
};

// The message of a failed call: the library's `error` text when it gave one, else the
// status name. Frees `error`.
std::string take_error(std::int32_t status, char *error);

} // namespace hearth::demo
