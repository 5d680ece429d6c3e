// `hearth plugins list [--json]`.
#include <algorithm>
#include <array>
#include <filesystem>
#include <iostream>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "plugin_names.hpp"
#include "runtime_session.hpp"

namespace hearth::cli {

namespace {

constexpr std::size_t column_count = 5;
using TableRow = std::array<std::string, column_count>;

// The table row for one plugin. A module refused before its descriptor was read has no id;
// its file name stands in.
TableRow row_for(const PluginRecord &plugin) {
  std::string id = plugin.id;
  if (id.empty()) {
    id = std::filesystem::path(plugin.path).filename().string();
  }
  return {id, plugin.version.empty() ? "-" : plugin.version, plugin_kind_name(plugin.kind),
          plugin_state_name(plugin.state), plugin.message};
}

// Writes `rows` as a table with aligned columns; the last column is not padded.
void print_table(const std::vector<TableRow> &rows) {
  std::array<std::size_t, column_count> widths{};
  for (const auto &row : rows) {
    for (std::size_t column = 0; column < column_count; ++column) {
      widths[column] = std::max(widths[column], row[column].size());
    }
  }
  for (const auto &row : rows) {
    std::string line;
    for (std::size_t column = 0; column < column_count; ++column) {
      line += row[column];
      if (column + 1 < column_count) {
        line += std::string(widths[column] - row[column].size() + 2, ' ');
      }
    }
    line.erase(line.find_last_not_of(' ') + 1);
    std::cout << line << '\n';
  }
}

} // namespace

int run_plugins_list(const CommandLine &command_line, const std::vector<std::string> &arguments) {
  const CommandOptions options = parse_command_options("plugins list", arguments, {"--json"}, {});
  if (!options.positional.empty()) {
    throw UsageError("'plugins list' takes no arguments");
  }
  RuntimeSession session(effective_config_dir(command_line));
  session.load_plugins();
  if (options.has("--json")) {
    std::cout << session.plugins_json() << '\n';
    return exit_success;
  }
  const std::vector<PluginRecord> plugins = session.plugins();
  if (plugins.empty()) {
    std::cout << "No plugins found.\n";
    return exit_success;
  }
  std::vector<TableRow> rows{{"ID", "VERSION", "KIND", "STATE", "MESSAGE"}};
  for (const auto &plugin : plugins) {
    rows.push_back(row_for(plugin));
  }
  print_table(rows);
  return exit_success;
}

} // namespace hearth::cli
