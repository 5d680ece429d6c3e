// `hearth new-plugin` (command_new_plugin.hpp).
#include "command_new_plugin.hpp"

#include <iostream>
#include <stdexcept>

#include "cli_errors.hpp"
#include "plugin_project.hpp"

namespace hearth::cli {

int run_new_plugin(const CommandLine & /*command_line*/, const std::vector<std::string> &arguments) {
  const CommandOptions options =
      parse_command_options("new-plugin", arguments, {}, {"--lang", "--dir", "--id", "--templates"});
  if (options.positional.size() != 1) {
    throw UsageError("'new-plugin' needs one NAME, e.g. hearth new-plugin rent-reminder");
  }
  PluginProjectRequest request;
  request.name = options.positional.front();
  request.language = options.value("--lang").value_or("c");
  request.plugin_id = options.value("--id").value_or("");
  request.target = options.value("--dir").value_or(request.name);
  request.templates = options.has("--templates") ? std::filesystem::path(*options.value("--templates"))
                                                 : installed_templates_dir();
  std::vector<std::filesystem::path> written;
  try {
    written = create_plugin_project(request);
  } catch (const std::invalid_argument &bad) {
    const std::string reason = bad.what();
    if (reason.rfind("target:", 0) == 0) {
      throw CommandFailure(reason);
    }
    throw UsageError(reason);
  } catch (const std::exception &failure) {
    throw CommandFailure(failure.what());
  }
  std::cout << "Created " << request.target.string() << ":\n";
  for (const auto &file : written) {
    std::cout << "  " << file.string() << '\n';
  }
  std::cout << "Build it against the installed Hearth:\n"
            << "  cmake -S " << request.target.string() << " -B " << (request.target / "build").string() << '\n'
            << "  cmake --build " << (request.target / "build").string() << '\n'
            << "and load it with [plugins] path = " << (request.target / "build" / "plugins").string()
            << " in hearth.ini (docs/integrators/quick-start.md).\n";
  return exit_success;
}

} // namespace hearth::cli
