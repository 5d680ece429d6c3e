// Checks a site's configuration folder (hearth.ini, policy.ini and the files hearth.ini
// names) and collects every problem, not just the first: what `hearth config check` prints.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace hearth::cli {

// One problem in a site's configuration.
struct ConfigProblem {
  std::string file;   // the file holding the value ("environment HEARTH_X" when set there)
  std::string key;    // "section.key", or "" for the file as a whole
  std::string reason; // why it is wrong, naming what would be right

  // "file: key: reason" (or "file: reason" without a key), the runtime's own format.
  std::string text() const;
};

// Checks the configuration folder `config_dir` (nothing: the built-in defaults, so only
// the environment's HEARTH_* values are checked) as the runtime would read it: the site's
// hearth.ini over the defaults, each key overridden by its HEARTH_* environment variable.
// Relative paths are taken relative to the working directory, like the runtime does.
// Returns every problem found, section by section; empty when the configuration is sound.
// Reads files only; opens no store and loads no plugin.
std::vector<ConfigProblem> check_site_config(const std::optional<std::filesystem::path> &config_dir);

} // namespace hearth::cli
