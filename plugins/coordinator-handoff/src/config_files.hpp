// Reading one of the plugin's INI files (config/handoff/*.ini) with errors that name the
// file, the key and the reason. Used only while the configuration loads, on the host thread.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/Util/IniFileConfiguration.h>

namespace hearth::handoff {

// One INI file. Keys are "section.key" (Poco's notation); section and key names are
// case-insensitive. Every accessor throws std::invalid_argument("<file>: <key>: <reason>").
class IniFile {
public:
  // Reads `file`; throws std::invalid_argument naming the file when it is missing or malformed.
  explicit IniFile(const std::filesystem::path &file);

  // The file name, for messages.
  const std::string &name() const { return name_; }
  // True when `key` is present.
  bool has(const std::string &key) const;
  // The value of `key` with surrounding blanks removed; throws when absent or empty.
  std::string text(const std::string &key) const;
  // The value of `key`, or nullopt when absent or empty.
  std::optional<std::string> optional_text(const std::string &key) const;
  // A whole number in [minimum, maximum]; `fallback` when absent (throws when absent and
  // there is no fallback).
  long long number(const std::string &key, long long minimum, long long maximum,
                   std::optional<long long> fallback = std::nullopt) const;
  // "true" / "false" (also yes/no, 1/0); `fallback` when absent.
  bool flag(const std::string &key, bool fallback) const;
  // A ','-separated list, blanks trimmed, empty items dropped; empty when absent.
  std::vector<std::string> list(const std::string &key) const;
  // The sub-keys directly below `prefix` ("" for the sections), in file order where Poco
  // keeps it (sorted otherwise).
  std::vector<std::string> keys(const std::string &prefix) const;
  // An error for `key` with `reason`, to throw.
  std::invalid_argument error(const std::string &key, const std::string &reason) const;

private:
  std::string name_;
  Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini_;
};

// Trims blanks (space, tab, CR, LF) from both ends.
std::string trim(const std::string &text);

// Splits `text` on `separator`, trimming blanks and dropping empty items.
std::vector<std::string> split_list(const std::string &text, char separator = ',');

} // namespace hearth::handoff
