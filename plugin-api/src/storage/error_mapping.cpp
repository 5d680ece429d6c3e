#include "storage/error_mapping.hpp"

#include "storage/sql_text.hpp"

#include <charconv>
#include <cstdio>
#include <regex>
#include <vector>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace hearth::storage {
namespace {

constexpr std::string_view masked = "<masked>";
constexpr std::string_view unique_violation_sqlstate = "23505";

// The text forms in which a bound value could show up in a database message.
std::vector<std::string> renderings(const Value &value) {
  std::vector<std::string> forms;
  if (const auto *text = std::get_if<std::string>(&value)) {
    forms.push_back(*text);
  } else if (const auto *integer = std::get_if<std::int64_t>(&value)) {
    forms.push_back(std::to_string(*integer));
  } else if (const auto *real = std::get_if<double>(&value)) {
    char buffer[64];
    const auto written = std::to_chars(buffer, buffer + sizeof buffer, *real);
    forms.emplace_back(buffer, written.ptr);
  } else if (const auto *blob = std::get_if<Blob>(&value)) {
    std::string hex;
    for (const std::uint8_t byte : blob->bytes) {
      char pair[3];
      std::snprintf(pair, sizeof pair, "%02x", byte);
      hex += pair;
    }
    forms.push_back(hex);
    forms.emplace_back(blob->bytes.begin(), blob->bytes.end());
  }
  return forms;
}

// Replaces every occurrence of `needle` in `text` with the mask.
void mask_occurrences(std::string &text, const std::string &needle) {
  std::size_t pos = 0;
  while ((pos = text.find(needle, pos)) != std::string::npos) {
    text.replace(pos, needle.size(), masked);
    pos += masked.size();
  }
}

// The database's reason in one line: the text after "ERROR:" when present (PostgreSQL),
// without SOCI's "sqlite3_statement_backend::...: " prefix, cut at the first newline so
// that DETAIL (which quotes key values) and CONTEXT lines never appear.
std::string one_line_reason(std::string message) {
  if (const auto error_at = message.find("ERROR:"); error_at != std::string::npos) {
    message.erase(0, error_at + 6);
  }
  if (message.rfind("sqlite3_statement_backend::", 0) == 0) {
    if (const auto colon = message.find(": "); colon != std::string::npos) {
      message.erase(0, colon + 2);
    }
  }
  if (const auto newline = message.find('\n'); newline != std::string::npos) {
    message.erase(newline);
  }
  const auto first = message.find_first_not_of(" \t");
  const auto last = message.find_last_not_of(" \t\r");
  return first == std::string::npos ? std::string("no reason given")
                                    : message.substr(first, last - first + 1);
}

// True when SOCI reports a unique or primary-key violation.
bool is_unique_violation(const soci::soci_error &error) {
  if (const auto *sqlite = dynamic_cast<const soci::sqlite3_soci_error *>(&error)) {
    return (sqlite->result() & 0xff) == SQLITE_CONSTRAINT &&
           sqlite->get_error_message().find("UNIQUE constraint failed") != std::string::npos;
  }
  if (const auto *postgres = dynamic_cast<const soci::postgresql_soci_error *>(&error)) {
    return postgres->sqlstate() == unique_violation_sqlstate;
  }
  return false;
}

// The password in a libpq key=value string or URI, if any (for scrubbing messages).
std::string find_password(std::string_view target) {
  static const std::regex keyword(R"(password\s*=\s*('((?:[^'\\]|\\.)*)'|([^\s&]*)))");
  static const std::regex uri(R"(^postgres(?:ql)?://[^:/@]*:([^@]*)@)");
  const std::string text(target);
  std::smatch match;
  if (std::regex_search(text, match, keyword)) {
    return match[2].matched ? match[2].str() : match[3].str();
  }
  if (std::regex_search(text, match, uri)) {
    return match[1].str();
  }
  return {};
}

// `reason` as one line: newlines and tabs become spaces.
std::string single_line(std::string reason) {
  for (char &c : reason) {
    if (c == '\n' || c == '\t' || c == '\r') {
      c = ' ';
    }
  }
  while (!reason.empty() && reason.back() == ' ') {
    reason.pop_back();
  }
  return reason;
}

} // namespace

std::string mask_values(std::string message, std::span<const Value> params) {
  for (const Value &value : params) {
    for (const std::string &form : renderings(value)) {
      if (form.size() > 1) {
        mask_occurrences(message, form);
      }
    }
  }
  return message;
}

StorageError statement_error(const soci::soci_error &error, std::string_view sql,
                             std::span<const Value> params) {
  const bool conflict = is_unique_violation(error);
  // get_error_message(), unlike what(), leaves out SOCI's context, which quotes every
  // bound value ("with :p1=...").
  const std::string reason = mask_values(one_line_reason(error.get_error_message()), params);
  const std::string statement = "`" + sql_text::first_words(sql) + " ...`";
  if (conflict) {
    return {StorageError::Kind::conflict, "unique constraint violated by " + statement + ": " + reason};
  }
  return {StorageError::Kind::io, statement + " failed: " + reason};
}

std::string describe_target(std::string_view target) {
  static const std::regex keyword(R"(password\s*=\s*('(?:[^'\\]|\\.)*'|[^\s&]*))");
  static const std::regex uri(R"(^(postgres(?:ql)?://[^:/@]*:)[^@]*@)");
  std::string text = std::regex_replace(std::string(target), keyword, "password=***");
  return std::regex_replace(text, uri, "$1***@");
}

StorageError open_error(Backend backend, std::string_view target, std::string_view reason) {
  std::string clean_reason = single_line(std::string(reason));
  if (const std::string password = find_password(target); !password.empty()) {
    std::size_t pos = 0;
    while ((pos = clean_reason.find(password, pos)) != std::string::npos) {
      clean_reason.replace(pos, password.size(), "***");
    }
  }
  const std::string what = backend == Backend::sqlite
                               ? "cannot open SQLite store at " + describe_target(target)
                               : "cannot connect to PostgreSQL at " + describe_target(target);
  return {StorageError::Kind::io, what + ": " + clean_reason};
}

} // namespace hearth::storage
