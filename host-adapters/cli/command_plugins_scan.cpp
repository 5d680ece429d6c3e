// `hearth plugins scan DIR [--json]`: inspects every module in a folder, each in a child
// process of its own, so that a module that crashes or hangs while loading is reported
// and the scan goes on. Exit 0 when every module is a usable plugin, 1 otherwise.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "module_inspection.hpp"

namespace hearth::cli {

namespace {

// How long one module may take before its child is killed and the module reported as hung.
constexpr std::chrono::milliseconds scan_time_limit{10'000};

// What the scan found for one file.
struct ScanEntry {
  std::string file;
  std::string outcome; // "plugin", "refused" or "failed" (crashed, hung)
  std::string detail;  // the plugin's id and version, or the reason
  Poco::JSON::Object::Ptr report;
};

// The module files of `folder` (regular files ending in .so), sorted by name.
std::vector<std::filesystem::path> module_files(const std::filesystem::path &folder) {
  std::vector<std::filesystem::path> files;
  for (const auto &entry : std::filesystem::directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".so") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

ScanEntry scan_one(const std::filesystem::path &file) {
  ScanEntry entry;
  entry.file = file.filename().string();
  try {
    const InspectionOutcome outcome = inspect_module_in_child(file.string(), scan_time_limit);
    if (!outcome.accepted) {
      entry.outcome = "refused";
      entry.detail = outcome.refusal;
      return entry;
    }
    entry.outcome = "plugin";
    try {
      entry.report = Poco::JSON::Parser().parse(outcome.report_json).extract<Poco::JSON::Object::Ptr>();
      entry.detail = entry.report->optValue<std::string>("id", "?") + " " +
                     entry.report->optValue<std::string>("version", "?");
    } catch (const Poco::Exception &) {
      entry.outcome = "failed";
      entry.detail = "the inspection report is not JSON";
    }
  } catch (const CommandFailure &failure) {
    entry.outcome = "failed";
    entry.detail = failure.what();
  }
  return entry;
}

} // namespace

int run_plugins_scan(const CommandLine &command_line, const std::vector<std::string> &arguments) {
  (void)command_line;
  const CommandOptions options = parse_command_options("plugins scan", arguments, {"--json"}, {});
  if (options.positional.size() != 1) {
    throw UsageError("'plugins scan' needs exactly one folder");
  }
  const std::filesystem::path folder = options.positional.front();
  std::error_code status_error;
  if (!std::filesystem::is_directory(folder, status_error)) {
    throw CommandFailure("cannot scan " + folder.string() + ": not a folder");
  }
  std::vector<ScanEntry> entries;
  for (const auto &file : module_files(folder)) {
    entries.push_back(scan_one(file));
  }
  const bool all_usable = std::all_of(entries.begin(), entries.end(),
                                      [](const ScanEntry &entry) { return entry.outcome == "plugin"; });
  if (options.has("--json")) {
    Poco::JSON::Array list;
    for (const auto &entry : entries) {
      Poco::JSON::Object item;
      item.set("file", entry.file);
      item.set("outcome", entry.outcome);
      if (entry.report) {
        item.set("plugin", entry.report);
      } else {
        item.set("reason", entry.detail);
      }
      list.add(item);
    }
    Poco::JSON::Stringifier::condense(list, std::cout);
    std::cout << '\n';
  } else {
    for (const auto &entry : entries) {
      std::cout << entry.outcome << "  " << entry.file << "  " << entry.detail << '\n';
    }
    std::cout << entries.size() << (entries.size() == 1 ? " module" : " modules") << " scanned\n";
  }
  return all_usable ? exit_success : exit_failure;
}

} // namespace hearth::cli
