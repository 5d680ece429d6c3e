// Creates a plugin project from a template (plugin_project.hpp).
#include "plugin_project.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace hearth::cli {

namespace {

namespace fs = std::filesystem;

// The names the templates use, replaced in file names and contents.
constexpr const char *template_identifier = "my_plugin";
constexpr const char *template_id = "org.example.my-plugin";
constexpr const char *template_title = "My plugin";

// True for a plugin name: a lower-case letter, then lower-case letters, digits and '-'.
bool is_plugin_name(const std::string &name) {
  return !name.empty() && name.size() <= 64 && name.front() >= 'a' && name.front() <= 'z' &&
         name.back() != '-' && std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

// True for a plugin id: dot-separated parts of lower-case letters, digits and '-'.
bool is_plugin_id(const std::string &id) {
  if (id.empty() || id.size() > 128 || id.front() == '.' || id.back() == '.' || id.find("..") != std::string::npos) {
    return false;
  }
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'; });
}

// `text` with every `from` replaced by `to`.
std::string replace_all(std::string text, const std::string &from, const std::string &to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The whole of `file`.
std::string read_file(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + file.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

std::vector<fs::path> create_plugin_project(const PluginProjectRequest &request) {
  if (!is_plugin_name(request.name)) {
    throw std::invalid_argument("name: '" + request.name +
                                "' is not a plugin name (a lower-case letter, then lower-case letters, digits "
                                "and '-', at most 64)");
  }
  if (request.language != "c" && request.language != "cpp") {
    throw std::invalid_argument("language: '" + request.language + "' is not c or cpp");
  }
  const std::string id = request.plugin_id.empty() ? "org.example." + request.name : request.plugin_id;
  if (!is_plugin_id(id)) {
    throw std::invalid_argument("plugin id: '" + id +
                                "' is not a plugin id (dot-separated lower-case letters, digits and '-')");
  }
  std::error_code error;
  if (request.target.empty() || (fs::exists(request.target, error) && !fs::is_empty(request.target, error))) {
    throw std::invalid_argument("target: '" + request.target.string() + "' exists and is not empty");
  }
  const fs::path source = request.templates / ("plugin-template-" + request.language);
  if (!fs::is_directory(source, error)) {
    throw std::runtime_error("no plugin template at " + source.string() +
                             " (the templates come with the development files: hearth-dev)");
  }

  // Read and rename everything first, so that a missing template file writes nothing.
  std::string identifier = request.name;
  std::replace(identifier.begin(), identifier.end(), '-', '_');
  std::vector<std::pair<fs::path, std::string>> files;
  for (const auto &entry : fs::recursive_directory_iterator(source)) {
    if (!entry.is_regular_file()) {
      continue;
    }
    const fs::path relative = fs::relative(entry.path(), source);
    std::string text = read_file(entry.path());
    text = replace_all(text, template_id, id);
    text = replace_all(text, template_identifier, identifier);
    text = replace_all(text, template_title, request.name);
    files.emplace_back(replace_all(relative.string(), template_identifier, identifier), std::move(text));
  }
  std::sort(files.begin(), files.end());

  std::vector<fs::path> written;
  for (const auto &[relative, text] : files) {
    const fs::path destination = request.target / relative;
    fs::create_directories(destination.parent_path());
    std::ofstream out(destination, std::ios::binary);
    out << text;
    if (!out.flush()) {
      throw std::runtime_error("cannot write " + destination.string());
    }
    written.push_back(relative);
  }
  return written;
}

fs::path installed_templates_dir() {
  std::error_code error;
  const fs::path program = fs::read_symlink("/proc/self/exe", error);
  return program.parent_path().parent_path() / "share" / "hearth" / "templates";
}

} // namespace hearth::cli
