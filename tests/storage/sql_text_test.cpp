// How the store reads SQL text: placeholders, statement splitting, statement names.
#include <gtest/gtest.h>

#include "storage/sql_text.hpp"

namespace hearth::storage::sql_text {
namespace {

// Rewrites `sql` with SOCI-style names, as the store does.
RewrittenSql numbered(std::string_view sql) {
  return rewrite_placeholders(sql, [](std::size_t index) { return ":p" + std::to_string(index + 1); });
}

TEST(SqlText, RewritesPlaceholdersInOrder) {
  const auto rewritten = numbered("INSERT INTO t (a, b) VALUES (?, ?)");
  EXPECT_EQ(rewritten.sql, "INSERT INTO t (a, b) VALUES (:p1, :p2)");
  EXPECT_EQ(rewritten.placeholder_count, 2U);
}

TEST(SqlText, LeavesQuestionMarksInLiteralsIdentifiersAndComments) {
  const auto rewritten = numbered(
      "SELECT 'why?', 'it''s ?', \"col?\" FROM t -- really?\nWHERE a = ? /* or ? */ AND b = $$?$$");
  EXPECT_EQ(rewritten.sql,
            "SELECT 'why?', 'it''s ?', \"col?\" FROM t -- really?\nWHERE a = :p1 /* or ? */ AND b = $$?$$");
  EXPECT_EQ(rewritten.placeholder_count, 1U);
}

TEST(SqlText, SplitsStatementsOutsideQuotesAndComments) {
  const auto statements = split_statements(
      "CREATE TABLE a (x TEXT DEFAULT ';');\n"
      "-- a comment; with a semicolon\n"
      "INSERT INTO a VALUES ('x;y') /* ; */;\n"
      "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n"
      "  ;  -- only a comment\n");
  ASSERT_EQ(statements.size(), 3U);
  EXPECT_EQ(statements[0], "CREATE TABLE a (x TEXT DEFAULT ';')");
  EXPECT_EQ(statements[1], "-- a comment; with a semicolon\nINSERT INTO a VALUES ('x;y') /* ; */");
  EXPECT_EQ(statements[2], "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql");
}

TEST(SqlText, ATriggersBodyStaysInItsStatement) {
  const auto statements = split_statements(
      "CREATE TABLE a (x INT); CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = n + 1; "
      "DELETE FROM c; END; SELECT 1");
  ASSERT_EQ(statements.size(), 3U);
  EXPECT_EQ(statements[0], "CREATE TABLE a (x INT)");
  EXPECT_EQ(statements[1], "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = n + 1; DELETE FROM c; END");
  EXPECT_EQ(statements[2], "SELECT 1");
}

TEST(SqlText, ATriggersEndIsTheWordEndOutsideLiteralsAndCases) {
  const auto statements = split_statements(
      "create temp trigger backend_end after update on a begin\n"
      "  update b set end_date = 'END;', n = case when new.x > 0 then 1 else 0 end; -- END;\n"
      "  insert into c (\"end\") values (1);\n"
      "end;\n"
      "CREATE TEMPORARY TRIGGER u AFTER DELETE ON a BEGIN DELETE FROM b; END;"
      "UPDATE a SET x = CASE WHEN x > 1 THEN 2 END; SELECT 2");
  ASSERT_EQ(statements.size(), 4U);
  EXPECT_EQ(statements[0].substr(0, 28), "create temp trigger backend_");
  EXPECT_EQ(statements[0].substr(statements[0].size() - 3), "end");
  EXPECT_EQ(statements[1], "CREATE TEMPORARY TRIGGER u AFTER DELETE ON a BEGIN DELETE FROM b; END");
  EXPECT_EQ(statements[2], "UPDATE a SET x = CASE WHEN x > 1 THEN 2 END");
  EXPECT_EQ(statements[3], "SELECT 2");
}

TEST(SqlText, OnlyATriggerKeepsSemicolonsAfterBegin) {
  // A transaction's BEGIN is a statement of its own.
  const auto statements = split_statements("BEGIN; INSERT INTO a VALUES (1); END;");
  ASSERT_EQ(statements.size(), 3U);
  EXPECT_EQ(statements[0], "BEGIN");
  EXPECT_EQ(statements[2], "END");
}

TEST(SqlText, EmptyOrCommentOnlySqlHasNoStatements) {
  EXPECT_TRUE(split_statements("").empty());
  EXPECT_TRUE(split_statements(" ; -- nothing\n /* here */ ;").empty());
}

TEST(SqlText, FirstWordsNameTheStatementWithoutItsData) {
  EXPECT_EQ(first_words("  -- note\n INSERT INTO people (name) VALUES ('Jansen')"),
            "INSERT INTO people");
  EXPECT_EQ(first_words("UPDATE people SET name = 'Jansen'"), "UPDATE people SET");
  EXPECT_EQ(first_words("SELECT 'Jansen'"), "SELECT");
  EXPECT_EQ(first_words(""), "(empty statement)");
}

TEST(SqlText, AQueryIsAStatementWhoseFirstWordIsSelect) {
  EXPECT_TRUE(is_query("SELECT 1"));
  EXPECT_TRUE(is_query("  select id FROM t"));
  EXPECT_TRUE(is_query("-- who\n/* what */ Select(1)"));
  EXPECT_TRUE(is_query("SELECT"));
  EXPECT_FALSE(is_query("INSERT INTO t SELECT 1"));
  EXPECT_FALSE(is_query("WITH x AS (SELECT 1) DELETE FROM t"));
  EXPECT_FALSE(is_query("SELECTED_ROWS"));
  EXPECT_FALSE(is_query("PRAGMA table_info(t)"));
  EXPECT_FALSE(is_query("-- SELECT\nUPDATE t SET a = 1"));
  EXPECT_FALSE(is_query(""));
}

} // namespace
} // namespace hearth::storage::sql_text
