// Creates a plugin project from one of Hearth's templates (examples/plugin-template-c and
// -cpp; installed in share/hearth/templates): what `hearth new-plugin` does.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace hearth::cli {

// What to create.
struct PluginProjectRequest {
  std::string name;                  // e.g. "rent-reminder": [a-z][a-z0-9-]*, at most 64 chars
  std::string language = "c";        // "c" or "cpp"
  std::string plugin_id;             // empty: "org.example.<name>"
  std::filesystem::path target;      // the folder to create; must not exist or be empty
  std::filesystem::path templates;   // the folder holding plugin-template-c and -cpp
};

// Copies the template for `request.language` into `request.target`, renaming my_plugin to
// the name with '-' as '_' (files, the CMake target, the module), the id
// org.example.my-plugin to the plugin id, and "My plugin" to the name. Returns the files
// written, relative to the target. Throws std::invalid_argument naming the field at fault
// (name, language, plugin id, target) and std::runtime_error when the template is missing
// or a file cannot be written; writes nothing in either case.
std::vector<std::filesystem::path> create_plugin_project(const PluginProjectRequest &request);

// The templates folder of this installation: share/hearth/templates beside the folder of
// the running program (bin/), in an installed tree and in a build tree alike.
std::filesystem::path installed_templates_dir();

} // namespace hearth::cli
