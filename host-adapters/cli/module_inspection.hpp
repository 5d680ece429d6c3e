// Inspects a plugin module in a forked child process, so that a module that crashes or
// hangs while being loaded cannot take the `hearth` command with it.
#pragma once

#include <chrono>
#include <string>

namespace hearth::cli {

// What hearth_inspect_module() said about a module.
struct InspectionOutcome {
  bool accepted = false;   // true: `report_json` is set; false: `refusal` is
  std::string report_json; // the module's descriptor and ABI version as JSON
  std::string refusal;     // why the module was refused
};

// Runs hearth_inspect_module(`path`) in a child process and returns what it answered.
// Throws CommandFailure when the child crashed ("the module crashed while being inspected:
// signal 11 (Segmentation fault)"), did not answer within `time_limit`, or could not be
// started. Call it while this process has a single thread.
InspectionOutcome inspect_module_in_child(const std::string &path,
                                          std::chrono::milliseconds time_limit);

} // namespace hearth::cli
