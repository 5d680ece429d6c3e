// A scratch configuration folder for the demo tests.
#include "demo_scratch.hpp"

#include <filesystem>
#include <fstream>

namespace hearth::test {

DemoScratchConfig::DemoScratchConfig(const std::string &extra) {
  std::filesystem::create_directories(scratch_.path() / "data");
  std::ofstream ini(scratch_.path() / "hearth.ini");
  ini << "[runtime]\n"
      << "data_dir = " << (scratch_.path() / "data").string() << "\n"
      << "[storage]\n"
      << "backend = sqlite\n"
      << "sqlite_path = " << (scratch_.path() / "hearth.sqlite").string() << "\n"
      << "[http]\n"
      << "address = 127.0.0.1\n"
      << "port = 0\n"
      << "[log]\n"
      << "level = warn\n"
      << extra;
}

} // namespace hearth::test
