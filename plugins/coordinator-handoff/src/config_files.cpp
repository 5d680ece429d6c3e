#include "config_files.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>

#include <Poco/Exception.h>

namespace hearth::handoff {

std::string trim(const std::string &text) {
  const auto blank = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && blank(static_cast<unsigned char>(text[begin]))) {
    ++begin;
  }
  while (end > begin && blank(static_cast<unsigned char>(text[end - 1]))) {
    --end;
  }
  return text.substr(begin, end - begin);
}

std::vector<std::string> split_list(const std::string &text, char separator) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(separator, start), text.size());
    std::string item = trim(text.substr(start, end - start));
    if (!item.empty()) {
      items.push_back(std::move(item));
    }
    start = end + 1;
  }
  return items;
}

IniFile::IniFile(const std::filesystem::path &file) : name_(file.filename().string()) {
  if (!std::filesystem::is_regular_file(file)) {
    throw std::invalid_argument(name_ + ": the file is missing (looked in the folder named by config_dir)");
  }
  try {
    ini_ = new Poco::Util::IniFileConfiguration(file.string());
  } catch (const Poco::Exception &e) {
    throw std::invalid_argument(name_ + ": cannot be read: " + e.displayText());
  }
}

bool IniFile::has(const std::string &key) const { return ini_->hasProperty(key); }

std::invalid_argument IniFile::error(const std::string &key, const std::string &reason) const {
  return std::invalid_argument(name_ + ": " + key + ": " + reason);
}

std::optional<std::string> IniFile::optional_text(const std::string &key) const {
  if (!ini_->hasProperty(key)) {
    return std::nullopt;
  }
  std::string value = trim(ini_->getRawString(key));
  if (value.empty()) {
    return std::nullopt;
  }
  return value;
}

std::string IniFile::text(const std::string &key) const {
  auto value = optional_text(key);
  if (!value) {
    throw error(key, "missing");
  }
  return *value;
}

long long IniFile::number(const std::string &key, long long minimum, long long maximum,
                          std::optional<long long> fallback) const {
  const auto value = optional_text(key);
  if (!value) {
    if (fallback) {
      return *fallback;
    }
    throw error(key, "missing");
  }
  const bool digits = std::all_of(value->begin(), value->end(), [](unsigned char c) { return std::isdigit(c) != 0; });
  if (!digits || value->size() > 9) {
    throw error(key, "'" + *value + "' is not a whole number");
  }
  const long long number = std::stoll(*value);
  if (number < minimum || number > maximum) {
    throw error(key, std::to_string(number) + " is outside " + std::to_string(minimum) + ".." +
                         std::to_string(maximum));
  }
  return number;
}

bool IniFile::flag(const std::string &key, bool fallback) const {
  const auto value = optional_text(key);
  if (!value) {
    return fallback;
  }
  std::string lower = *value;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "true" || lower == "yes" || lower == "1") {
    return true;
  }
  if (lower == "false" || lower == "no" || lower == "0") {
    return false;
  }
  throw error(key, "'" + *value + "' is not true or false");
}

std::vector<std::string> IniFile::list(const std::string &key) const {
  const auto value = optional_text(key);
  return value ? split_list(*value) : std::vector<std::string>{};
}

std::vector<std::string> IniFile::keys(const std::string &prefix) const {
  Poco::Util::AbstractConfiguration::Keys keys;
  ini_->keys(prefix, keys);
  return keys;
}

} // namespace hearth::handoff
