// A scratch configuration folder for the demo tests: hearth.ini with its own SQLite store.
#pragma once

#include <string>

#include "test_environment.hpp"

namespace hearth::test {

// A configuration folder with storage and data in scratch space, HTTP on 127.0.0.1 with a
// free port, quiet logging, and `extra` appended to hearth.ini (e.g. a [data] section).
class DemoScratchConfig {
public:
  explicit DemoScratchConfig(const std::string &extra = {});
  // The folder to pass as --config or to hearth_runtime_open().
  std::string dir() const { return scratch_.path().string(); }

private:
  ScratchDir scratch_;
};

} // namespace hearth::test
