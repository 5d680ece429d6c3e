// Opening and closing a runtime for demo data.
#include "demo/demo_runtime.hpp"

#include <stdexcept>

namespace hearth::demo {

DemoRuntime::DemoRuntime(const std::optional<std::string> &config_dir) {
  char *error = nullptr;
  const std::int32_t status = hearth_runtime_open(config_dir ? config_dir->c_str() : nullptr, &runtime_, &error);
  if (status != HEARTH_OK) {
    runtime_ = nullptr;
    throw std::runtime_error("cannot open the runtime: " + take_error(status, error));
  }
  hearth_free(error);
}

DemoRuntime::~DemoRuntime() { hearth_runtime_close(runtime_); }

std::string take_error(std::int32_t status, char *error) {
  std::string message = error != nullptr && *error != '\0' ? error : hearth_status_name(status);
  hearth_free(error);
  return message;
}

} // namespace hearth::demo
