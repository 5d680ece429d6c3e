#include "storage/sql_text.hpp"

#include <cctype>

namespace hearth::storage::sql_text {
namespace {

// True for characters that may appear in a dollar-quote tag ($tag$).
bool is_tag_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// Length of the dollar-quote opener ("$$" or "$tag$") starting at `pos`, or 0 when the
// `$` there does not open one (for instance a `$1` parameter).
std::size_t dollar_quote_opener_length(std::string_view sql, std::size_t pos) {
  std::size_t end = pos + 1;
  if (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end])) != 0) {
    return 0;
  }
  while (end < sql.size() && is_tag_char(sql[end])) {
    ++end;
  }
  return end < sql.size() && sql[end] == '$' ? end + 1 - pos : 0;
}

// Position just after the quoted run that starts at `pos` with `quote` (' or "); a doubled
// quote inside is an escaped quote. Returns sql.size() when the run is not closed.
std::size_t skip_quoted(std::string_view sql, std::size_t pos, char quote) {
  std::size_t i = pos + 1;
  while (i < sql.size()) {
    if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return sql.size();
}

// If a literal, quoted identifier, dollar-quoted body or comment starts at `pos`, returns
// the position just after it; otherwise returns `pos`.
std::size_t skip_non_code(std::string_view sql, std::size_t pos) {
  const char c = sql[pos];
  const char next = pos + 1 < sql.size() ? sql[pos + 1] : '\0';
  if (c == '\'' || c == '"') {
    return skip_quoted(sql, pos, c);
  }
  if (c == '-' && next == '-') {
    const std::size_t end = sql.find('\n', pos + 2);
    return end == std::string_view::npos ? sql.size() : end + 1;
  }
  if (c == '/' && next == '*') {
    const std::size_t end = sql.find("*/", pos + 2);
    return end == std::string_view::npos ? sql.size() : end + 2;
  }
  if (c == '$') {
    const std::size_t opener = dollar_quote_opener_length(sql, pos);
    if (opener > 0) {
      const std::string_view tag = sql.substr(pos, opener);
      const std::size_t end = sql.find(tag, pos + opener);
      return end == std::string_view::npos ? sql.size() : end + opener;
    }
  }
  return pos;
}

// True when a comment (and not a literal) starts at `pos`.
bool comment_starts_at(std::string_view sql, std::size_t pos) {
  const char next = pos + 1 < sql.size() ? sql[pos + 1] : '\0';
  return (sql[pos] == '-' && next == '-') || (sql[pos] == '/' && next == '*');
}

// `text` without leading and trailing whitespace.
std::string trimmed(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin])) != 0) {
    ++begin;
  }
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1])) != 0) {
    --end;
  }
  return std::string(text.substr(begin, end - begin));
}

// True for characters that make up a word of first_words().
bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '*';
}

} // namespace

RewrittenSql rewrite_placeholders(std::string_view sql,
                                  const std::function<std::string(std::size_t)> &replacement) {
  RewrittenSql result;
  result.sql.reserve(sql.size() + 16);
  std::size_t pos = 0;
  while (pos < sql.size()) {
    const std::size_t after = skip_non_code(sql, pos);
    if (after != pos) {
      result.sql.append(sql.substr(pos, after - pos));
      pos = after;
    } else if (sql[pos] == '?') {
      result.sql += replacement(result.placeholder_count++);
      ++pos;
    } else {
      result.sql += sql[pos++];
    }
  }
  return result;
}

std::vector<std::string> split_statements(std::string_view sql) {
  // A trigger's body (SQLite: CREATE TRIGGER ... BEGIN stmt; stmt; END) holds semicolons
  // that do not end the statement: inside a CREATE TRIGGER, BEGIN and CASE open a block that
  // END closes, and a ';' ends the statement only outside every block. (PostgreSQL's trigger
  // functions are dollar-quoted and skipped as a whole.)
  std::vector<std::string> statements;
  std::size_t start = 0;
  std::size_t pos = 0;
  bool has_code = false;
  std::vector<std::string> leading_words; // the statement's first words, upper case
  bool is_trigger = false;
  int open_blocks = 0;
  const auto finish_statement = [&](std::size_t end) {
    if (has_code) {
      statements.push_back(trimmed(sql.substr(start, end - start)));
    }
    has_code = false;
    leading_words.clear();
    is_trigger = false;
    open_blocks = 0;
  };
  while (pos < sql.size()) {
    const std::size_t after = skip_non_code(sql, pos);
    if (after != pos) {
      has_code = has_code || !comment_starts_at(sql, pos);
      pos = after;
    } else if (sql[pos] == ';' && open_blocks == 0) {
      finish_statement(pos);
      start = ++pos;
    } else if (std::isalpha(static_cast<unsigned char>(sql[pos])) != 0 || sql[pos] == '_') {
      has_code = true;
      const std::size_t begin = pos;
      while (pos < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[pos])) != 0 || sql[pos] == '_')) {
        ++pos;
      }
      std::string word(sql.substr(begin, pos - begin));
      for (char &c : word) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      if (leading_words.size() < 3) {
        leading_words.push_back(word);
        // CREATE TRIGGER, CREATE TEMP TRIGGER, CREATE TEMPORARY TRIGGER
        if (leading_words.front() == "CREATE" && word == "TRIGGER" &&
            (leading_words.size() == 2 || leading_words[1] == "TEMP" || leading_words[1] == "TEMPORARY")) {
          is_trigger = true;
        }
      } else if (is_trigger && (word == "BEGIN" || word == "CASE")) {
        ++open_blocks;
      } else if (is_trigger && word == "END" && open_blocks > 0) {
        --open_blocks;
      }
    } else {
      has_code = has_code || std::isspace(static_cast<unsigned char>(sql[pos])) == 0;
      ++pos;
    }
  }
  finish_statement(sql.size());
  return statements;
}

std::string first_words(std::string_view sql) {
  constexpr int max_words = 3;
  std::string words;
  int count = 0;
  std::size_t pos = 0;
  while (pos < sql.size() && count < max_words) {
    if (std::isspace(static_cast<unsigned char>(sql[pos])) != 0) {
      ++pos;
    } else if (comment_starts_at(sql, pos)) {
      pos = skip_non_code(sql, pos);
    } else if (is_word_char(sql[pos])) {
      const std::size_t begin = pos;
      while (pos < sql.size() && is_word_char(sql[pos])) {
        ++pos;
      }
      words += (words.empty() ? "" : " ") + std::string(sql.substr(begin, pos - begin));
      ++count;
    } else {
      break;
    }
  }
  return words.empty() ? std::string("(empty statement)") : words;
}

bool is_query(std::string_view sql) {
  std::size_t pos = 0;
  while (pos < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[pos])) != 0) {
      ++pos;
    } else if (comment_starts_at(sql, pos)) {
      pos = skip_non_code(sql, pos);
    } else {
      break;
    }
  }
  constexpr std::string_view select = "select";
  if (sql.size() - pos < select.size()) {
    return false;
  }
  for (std::size_t i = 0; i < select.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(sql[pos + i])) != select[i]) {
      return false;
    }
  }
  const std::size_t after = pos + select.size();
  return after == sql.size() || !is_word_char(sql[after]);
}

} // namespace hearth::storage::sql_text
