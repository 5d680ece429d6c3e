// `hearth plugins inspect FILE [--json]`.
#include <filesystem>
#include <iostream>

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "module_inspection.hpp"
#include "plugin_names.hpp"

namespace hearth::cli {

namespace {

// How long a module may take to be inspected before its child is killed.
constexpr std::chrono::milliseconds inspection_time_limit{30'000};

// Member `key` of `object` as text, or "" when absent or null.
std::string text_of(const Poco::JSON::Object::Ptr &object, const std::string &key) {
  if (object.isNull() || !object->has(key) || object->isNull(key)) {
    return {};
  }
  return object->get(key).convert<std::string>();
}

// The member list `key` of `object` joined with ", ", or "none".
std::string list_of(const Poco::JSON::Object::Ptr &object, const std::string &key) {
  Poco::JSON::Array::Ptr items =
      object.isNull() || !object->has(key) ? nullptr : object->getArray(key);
  if (items.isNull() || items->size() == 0) {
    return "none";
  }
  std::string joined;
  for (std::size_t index = 0; index < items->size(); ++index) {
    joined += (index == 0 ? "" : ", ") + items->get(index).convert<std::string>();
  }
  return joined;
}

// The plugin kind: a number of enum hearth_plugin_kind, or already a name.
std::string kind_of(const Poco::JSON::Object::Ptr &object) {
  if (object.isNull() || !object->has("kind")) {
    return "unknown";
  }
  const Poco::Dynamic::Var kind = object->get("kind");
  if (kind.isInteger()) {
    return plugin_kind_name(kind.convert<std::uint32_t>());
  }
  return kind.convert<std::string>();
}

// The module's ABI version as "MAJOR.MINOR", from "abi_major"/"abi_minor", or from "abi"
// as text or as an object with "major" and "minor".
std::string abi_of(const Poco::JSON::Object::Ptr &report) {
  if (report->has("abi_major")) {
    return text_of(report, "abi_major") + "." + text_of(report, "abi_minor");
  }
  if (report->has("abi")) {
    if (Poco::JSON::Object::Ptr abi = report->getObject("abi"); !abi.isNull()) {
      return text_of(abi, "major") + "." + text_of(abi, "minor");
    }
    return text_of(report, "abi");
  }
  return "unknown";
}

// Writes the inspection report in readable form.
void print_report(const std::string &path, const std::string &report_json) {
  Poco::JSON::Object::Ptr report;
  try {
    report = Poco::JSON::Parser().parse(report_json).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception &failure) {
    throw CommandFailure("the inspection report of " + path +
                         " is not a JSON object: " + failure.displayText());
  }
  // The descriptor's fields may sit at the top or in a "descriptor" member.
  Poco::JSON::Object::Ptr descriptor =
      report->has("descriptor") ? report->getObject("descriptor") : report;
  if (descriptor.isNull()) {
    descriptor = report;
  }
  std::cout << "File:         " << path << '\n'
            << "Id:           " << text_of(descriptor, "id") << '\n'
            << "Name:         " << text_of(descriptor, "name") << '\n'
            << "Vendor:       " << text_of(descriptor, "vendor") << '\n'
            << "Version:      " << text_of(descriptor, "version") << '\n'
            << "Kind:         " << kind_of(descriptor) << '\n'
            << "ABI:          " << abi_of(report) << '\n'
            << "Features:     " << list_of(descriptor, "features") << '\n'
            << "Dependencies: " << list_of(descriptor, "dependencies") << '\n';
  if (const std::string description = text_of(descriptor, "description"); !description.empty()) {
    std::cout << "Description:  " << description << '\n';
  }
}

} // namespace

int run_plugins_inspect(const CommandLine &command_line,
                        const std::vector<std::string> &arguments) {
  (void)command_line;
  const CommandOptions options =
      parse_command_options("plugins inspect", arguments, {"--json"}, {});
  if (options.positional.size() != 1) {
    throw UsageError("'plugins inspect' needs exactly one module file");
  }
  const std::string &path = options.positional.front();
  std::error_code status_error;
  if (!std::filesystem::is_regular_file(path, status_error)) {
    throw CommandFailure("cannot inspect " + path + ": no such file");
  }

  InspectionOutcome outcome;
  try {
    outcome = inspect_module_in_child(path, inspection_time_limit);
  } catch (const CommandFailure &failure) {
    throw CommandFailure("cannot inspect " + path + ": " + failure.what());
  }
  if (!outcome.accepted) {
    throw CommandFailure("refused " + path + ": " + outcome.refusal);
  }
  if (options.has("--json")) {
    std::cout << outcome.report_json << '\n';
  } else {
    print_report(path, outcome.report_json);
  }
  return exit_success;
}

} // namespace hearth::cli
