// Reading SQL text the way the database will: which characters are inside a quoted
// literal, a quoted identifier, a dollar-quoted body or a comment. Used to rewrite `?`
// placeholders, to split migrations into statements and to name a statement in errors.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::storage::sql_text {

// The SQL with every `?` placeholder replaced, and how many placeholders there were.
struct RewrittenSql {
  std::string sql;
  std::size_t placeholder_count = 0;
};

// Replaces each `?` outside literals, quoted identifiers and comments with
// `replacement(index)` (index counts placeholders from 0, in order of appearance).
RewrittenSql rewrite_placeholders(std::string_view sql,
                                  const std::function<std::string(std::size_t)> &replacement);

// Splits `sql` on ';' outside literals, quoted identifiers and comments. Statements that
// hold only whitespace and comments are dropped; the others are returned trimmed. A
// CREATE [TEMP|TEMPORARY] TRIGGER runs on to the END that closes its BEGIN (counting
// CASE ... END inside), taking the ';' of its body with it.
std::vector<std::string> split_statements(std::string_view sql);

// The statement's first words (at most three, e.g. "INSERT INTO greetings"), skipping
// leading whitespace and comments and stopping at the first literal or punctuation, so
// that error messages can name a statement without quoting any of its data.
std::string first_words(std::string_view sql);

// True when the statement's first word (after whitespace and comments) is SELECT, in any
// case: a query that only reads, which a store may run on a reader connection.
bool is_query(std::string_view sql);

} // namespace hearth::storage::sql_text
