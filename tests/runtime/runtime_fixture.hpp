// A runtime opened through the public C API (host.h, libhearth.so) on a scratch
// configuration folder with a chosen set of test modules.
#pragma once

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <hearth/host.h>

#include "test_environment.hpp"

namespace hearth::test {

// The path of a built test module ("test_good" -> <module dir>/test_good.so).
inline std::filesystem::path module_path(const std::string &name) {
  return std::filesystem::path(HEARTH_TEST_MODULE_DIR) / (name + ".so");
}

// Owns one message from the C API and frees it with hearth_free().
struct Message {
  char *text = nullptr;
  ~Message() { hearth_free(text); }
  char **out() { return &text; }
  std::string str() const { return text != nullptr ? text : ""; }
};

class RuntimeFixture {
public:
  // Writes hearth.ini (storage in the scratch folder, bundled plugins off, plugin folder
  // with copies of `modules`) plus `extra_ini`, then opens the runtime.
  explicit RuntimeFixture(std::initializer_list<std::string> modules, const std::string &extra_ini = "") {
    plugin_dir_ = scratch_.path() / "plugins";
    std::filesystem::create_directories(plugin_dir_);
    for (const auto &name : modules) {
      std::filesystem::copy_file(module_path(name), plugin_dir_ / (name + ".so"));
    }
    trace_file_ = scratch_.path() / "trace.txt";
    write_config(extra_ini);
  }
  ~RuntimeFixture() { close(); }

  void write_config(const std::string &extra_ini) {
    std::ofstream ini(scratch_.path() / "hearth.ini");
    ini << "[storage]\nbackend = sqlite\nsqlite_path = " << (scratch_.path() / "hearth.db").string() << "\n"
        << "[plugins]\nbundled = false\npath = " << plugin_dir_.string() << "\n"
        << "[log]\nlevel = info\n"
        << extra_ini;
  }

  int32_t open() {
    ::setenv("HEARTH_TEST_TRACE", trace_file_.c_str(), 1);
    Message error;
    const int32_t status = hearth_runtime_open(scratch_.path().c_str(), &runtime_, error.out());
    open_error_ = error.str();
    return status;
  }

  void open_and_load() {
    ASSERT_EQ(open(), HEARTH_OK) << open_error_;
    Message error;
    ASSERT_EQ(hearth_runtime_load_plugins(runtime_, error.out()), HEARTH_OK) << error.str();
  }

  void close() {
    hearth_runtime_close(runtime_);
    runtime_ = nullptr;
  }

  // The info of the plugin (or refused module) whose file is `<module>.so`.
  hearth_plugin_info info_of(const std::string &module) const {
    const uint32_t count = hearth_runtime_plugin_count(runtime_);
    for (uint32_t i = 0; i < count; ++i) {
      hearth_plugin_info info{};
      info.struct_size = sizeof info;
      if (hearth_runtime_plugin_at(runtime_, i, &info) == HEARTH_OK &&
          std::filesystem::path(info.path).filename() == module + ".so") {
        return info;
      }
    }
    ADD_FAILURE() << "no record for module " << module;
    return hearth_plugin_info{};
  }

  // Queries a plugin; returns the status and puts the answer or error into `text`.
  int32_t query(const std::string &plugin, const std::string &name, std::string &text,
                const char *args = nullptr) {
    Message result, error;
    const int32_t status = hearth_runtime_query(runtime_, plugin.c_str(), name.c_str(), args, result.out(), error.out());
    text = status == HEARTH_OK ? result.str() : error.str();
    return status;
  }

  std::vector<std::string> trace() const {
    std::vector<std::string> lines;
    std::ifstream in(trace_file_);
    for (std::string line; std::getline(in, line);) {
      lines.push_back(line);
    }
    return lines;
  }

  hearth_runtime *runtime() const { return runtime_; }
  const std::filesystem::path &dir() const { return scratch_.path(); }
  const std::filesystem::path &plugin_dir() const { return plugin_dir_; }
  const std::string &open_error() const { return open_error_; }

private:
  ScratchDir scratch_;
  std::filesystem::path plugin_dir_;
  std::filesystem::path trace_file_;
  hearth_runtime *runtime_ = nullptr;
  std::string open_error_;
};

} // namespace hearth::test
