// The CSV and CRM adapter: the CSV reader, the row mapping and its refusals (pure), the
// shipped mapping files, and ingestion through the runtime on SQLite and PostgreSQL: CSV
// exports, and a CRM table read incrementally by its watermark, resumably.
#include <fstream>

#include <gtest/gtest.h>

#include <Poco/AutoPtr.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Util/IniFileConfiguration.h>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "adapter_common/ingest_driver.hpp"
#include "csv_adapter/csv_adapter.hpp"
#include "csv_adapter/csv_reader.hpp"
#include "data_fixture.hpp"

namespace hearth::test::csv {
namespace {

using adapters::ParseContext;
using adapters::ParsedBatch;
using adapters::csv::parse_csv_document;
using adapters::csv::read_csv;

constexpr std::int64_t kNowMs = 1717243200000LL; // 2024-06-01T12:00:00Z

std::map<std::string, std::string> flatten(const std::filesystem::path &file) {
  std::map<std::string, std::string> settings;
  Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini(new Poco::Util::IniFileConfiguration(file.string()));
  std::function<void(const std::string &)> walk = [&](const std::string &prefix) {
    Poco::Util::AbstractConfiguration::Keys keys;
    ini->keys(prefix, keys);
    for (const auto &key : keys) {
      const std::string full = prefix.empty() ? key : prefix + "." + key;
      if (ini->hasProperty(full)) {
        settings[full] = ini->getString(full);
      }
      walk(full);
    }
  };
  walk("");
  return settings;
}

// The shipped mapping, config/adapters/csv.ini, as the CLI reads it.
ParseContext shipped_context() {
  ParseContext context;
  context.now_ms = kNowMs;
  adapters::apply_settings(context, "csv", flatten(std::filesystem::path(HEARTH_TEST_SOURCE_DIR) / "config/adapters/csv.ini"));
  return context;
}

std::string only_problem(const ParsedBatch &batch) {
  EXPECT_EQ(batch.rejections.size(), 1u);
  EXPECT_TRUE(batch.signals.empty());
  return batch.rejections.empty() ? "" : batch.rejections[0].message();
}

const char *const kHeader = "id;contract;datum;soort;bedrag\n";

TEST(CsvReader, ReadsQuotedFieldsLineEndsAndTheByteOrderMark) {
  const auto table = read_csv("\xEF\xBB\xBF" "a;b;c\r\n1;\"x;y\";\"say \"\"hi\"\"\"\r\n\n2;\"multi\nline\";\n", ';');
  ASSERT_TRUE(table.problem.empty()) << table.problem;
  EXPECT_EQ(table.header, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].fields, (std::vector<std::string>{"1", "x;y", "say \"hi\""}));
  EXPECT_EQ(table.rows[1].fields, (std::vector<std::string>{"2", "multi\nline", ""}));
}

TEST(CsvReader, ReportsBadRowsAndGoesOn) {
  const auto table = read_csv("a,b\n1,2,3\n\"open,2\n", ',');
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].problem, "has 3 fields, the header has 2");
  EXPECT_EQ(table.rows[1].problem, "has an unterminated quote");
  EXPECT_EQ(read_csv("", ',').problem, "has no header row");
  EXPECT_EQ(read_csv("\"a,b\n", ',').problem, "the header row has an unterminated quote");
  EXPECT_EQ(read_csv("a,b\n1,x\"y\n", ',').rows[0].problem, "has a quote inside an unquoted field");
}

TEST(CsvMapping, MapsRowsByTheShippedMapping) {
  const auto batch = parse_csv_document(std::string(kHeader) +
                                            "R-1;HO-1;2024-03-01;HUURACHTERSTAND;612,50\n"
                                            "R-2;HO-1;2024-03-02T10:00:00Z;GELUIDSOVERLAST;\n"
                                            "R-3;HO-1;2024-03-03;NOTITIE;\n",
                                        shipped_context());
  EXPECT_EQ(batch.items, 3u);
  EXPECT_EQ(batch.ignored, 1u);
  ASSERT_EQ(batch.signals.size(), 2u);
  EXPECT_EQ(batch.signals[0].source, "crm:example");
  EXPECT_EQ(batch.signals[0].external_id, "R-1");
  EXPECT_EQ(batch.signals[0].type, "SCH");
  EXPECT_EQ(batch.signals[0].detail, "BET");
  EXPECT_EQ(batch.signals[0].amount_cents, 61250);
  EXPECT_EQ(batch.signals[0].occurred_at_ms, 1709251200000LL);
  EXPECT_EQ(batch.signals[0].legal_basis, "wgs-vroegsignalering");
  EXPECT_EQ(batch.signals[1].type, "OVE");
  EXPECT_EQ(batch.signals[1].legal_basis, "avg-6-1-e");
}

TEST(CsvMapping, RefusesEachKindOfBadRowNamingTheColumn) {
  const std::pair<std::string, std::string> cases[] = {
      {"R-1;HO-1;2024-03-01;ONBEKEND;\n", "rows[0].soort: is not a code of the mapping ([codes])"},
      {"R-1;HO-1;2099-01-01;HUURACHTERSTAND;\n", "rows[0].datum: is in the future"},
      {"R-1;HO-1;01-03-2024;HUURACHTERSTAND;\n", "rows[0].datum: is not an ISO 8601 date or date-time"},
      {"R-1;HO-1;2024-03-01;HUURACHTERSTAND;-3,00\n", "rows[0].bedrag: is negative"},
      {"R-1;HO-1;2024-03-01;HUURACHTERSTAND;veel\n", "rows[0].bedrag: is not a number"},
      {"R-1;HO-1;2024-03-01;GELUIDSOVERLAST;12,00\n", "rows[0].bedrag: is only allowed on finance signals"},
      {"R-1;;2024-03-01;HUURACHTERSTAND;\n", "rows[0].contract: is empty"},
      {"R-1;HO-\xC3;2024-03-01;HUURACHTERSTAND;\n", "rows[0].contract: is not valid UTF-8"},
      {"R-1;HO-1;2024-03-01\n", "rows[0]: has 3 fields, the header has 5"},
  };
  for (const auto &[row, expected] : cases) {
    EXPECT_EQ(only_problem(parse_csv_document(std::string(kHeader) + row, shipped_context())), expected) << row;
  }
  auto with_bsn = shipped_context();
  with_bsn.settings["csv.column.bsn"] = "bsn";
  EXPECT_EQ(only_problem(parse_csv_document("id;contract;datum;soort;bedrag;bsn\nR-1;HO-1;2024-03-01;HUURACHTERSTAND;;123456789\n",
                                            with_bsn)),
            "rows[0].bsn: fails the elfproef (11-test)");
  EXPECT_EQ(only_problem(parse_csv_document("id;contract;datum;bedrag\nR-1;HO-1;2024-03-01;1\n", shipped_context())),
            "rows[0].soort: is not a column of the input");
}

TEST(CsvMapping, RefusesABrokenMapping) {
  auto context = shipped_context();
  context.settings.erase("csv.column.tenancy_id");
  EXPECT_THROW(parse_csv_document(kHeader, context), std::invalid_argument);
  context = shipped_context();
  context.settings["csv.codes.RAAR"] = "XYZ/ABC";
  EXPECT_THROW(parse_csv_document(kHeader, context), std::invalid_argument);
  context = shipped_context();
  context.settings["csv.delimiter"] = ";;";
  EXPECT_THROW(parse_csv_document(kHeader, context), std::invalid_argument);
}

// ---- through the runtime --------------------------------------------------------------

class CsvIngest : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set");
    }
    store_ = std::make_unique<TestStore>(GetParam());
    runtime_ = std::make_unique<DataRuntime>(store_->store());
    runtime_->add_tenancy("HO-1", "consultant-1", "tenant-1");
    runtime_->add_tenancy("HO-2", "consultant-1", "tenant-2");
  }

  adapters::IngestSummary ingest(const ParsedBatch &batch) {
    adapters::RuntimeTarget target(runtime_->runtime(), &system_);
    auto summary = adapters::ingest_batch(target, batch, adapters::IngestOptions{});
    if (batch.after_ingest) {
      batch.after_ingest();
    }
    return summary;
  }

  int count(const char *what) {
    std::string out;
    EXPECT_EQ(runtime_->read(actor("administrator", "admin-1"), "store.counts", "{}", out), HEARTH_OK) << out;
    return Poco::JSON::Parser().parse(out).extract<Poco::JSON::Object::Ptr>()->getValue<int>(what);
  }

  // A CRM table on the test's backend: a SQLite file, or a table in the test's own
  // PostgreSQL schema. Returns the mapping file for it.
  std::filesystem::path crm_source() {
    const auto folder = scratch_.path();
    std::string backend, connection;
    if (GetParam() == Backend::sqlite) {
      backend = "sqlite";
      connection = (folder / "crm.db").string();
    } else {
      backend = "postgresql";
      connection = store_->store().postgresql;
    }
    crm_ = std::make_unique<soci::session>();
    if (GetParam() == Backend::sqlite) {
      crm_->open(soci::sqlite3, connection);
    } else {
      crm_->open(soci::postgresql, connection);
    }
    *crm_ << "CREATE TABLE crm_signalen (id TEXT PRIMARY KEY, contract TEXT, datum TEXT, soort TEXT, bedrag TEXT,"
             " gewijzigd TEXT, naam TEXT)";
    std::ofstream(folder / "crm.ini") << "[crm]\nsource = crm:test\nbackend = " << backend << "\nconnection = " << connection
                                      << "\nquery = SELECT id, contract, datum, soort, bedrag, gewijzigd FROM crm_signalen"
                                         " WHERE gewijzigd >= :watermark ORDER BY gewijzigd\n"
                                         "watermark_column = gewijzigd\nstate_file = crm.watermark\n"
                                         "watermark_initial = 1970-01-01T00:00:00\n"
                                         "[crm.column]\nexternal_id = id\ntenancy_id = contract\noccurred_at = datum\n"
                                         "type = soort\namount = bedrag\n"
                                         "[crm.codes]\nHUURACHTERSTAND = SCH/BET\nGEEN_TOEGANG = X-REP\nNOTITIE = ignore\n";
    return folder / "crm.ini";
  }

  void crm_row(const std::string &id, const std::string &contract, const std::string &code, const std::string &amount,
               const std::string &changed) {
    // soci::use binds by reference and runs the statement when the whole expression ends,
    // after temporaries are gone: every bound value must be a named object.
    const std::string date = "2024-03-01";
    const std::string name = "Canary Naam";
    *crm_ << "INSERT INTO crm_signalen (id, contract, datum, soort, bedrag, gewijzigd, naam) VALUES (:i, :c, :d, :s, :b, :g, :n)",
        soci::use(id), soci::use(contract), soci::use(date), soci::use(code), soci::use(amount),
        soci::use(changed), soci::use(name);
  }

  ParsedBatch read_crm(const std::filesystem::path &mapping) {
    ParseContext context;
    context.now_ms = hearth_runtime_now_ms(runtime_->runtime());
    return adapters::csv::parse_crm_source(mapping, context);
  }

  const hearth_actor system_ = actor("system", "adapter-csv", "corp:test");
  ScratchDir scratch_;
  std::unique_ptr<TestStore> store_;
  std::unique_ptr<DataRuntime> runtime_;
  std::unique_ptr<soci::session> crm_;
};

TEST_P(CsvIngest, AnExportIsStoredOnceAndItsBadRowsLeaveDeadLetters) {
  auto context = shipped_context();
  context.now_ms = hearth_runtime_now_ms(runtime_->runtime());
  const std::string csv = std::string(kHeader) + "R-1;HO-1;2024-03-01;HUURACHTERSTAND;612,50\n"
                                                 "R-2;HO-2;2024-03-02;GEEN_TOEGANG;\n"
                                                 "R-3;HO-9;2024-03-02;GEEN_TOEGANG;\n"  // unknown tenancy
                                                 "R-4;HO-1;2024-03-02;ONBEKEND;\n";     // unknown code
  auto summary = ingest(parse_csv_document(csv, context));
  EXPECT_EQ(summary.accepted, 2u);
  EXPECT_EQ(summary.rejected, 2u);
  EXPECT_EQ(summary.dead_letters, 1u); // the parser's; the runtime keeps the tenancy's
  EXPECT_EQ(count("signal"), 2);
  EXPECT_EQ(count("dead_letter"), 2);
  summary = ingest(parse_csv_document(csv, context));
  EXPECT_EQ(summary.accepted, 0u);
  EXPECT_EQ(summary.duplicates, 2u);
}

TEST_P(CsvIngest, ACrmTableIsReadIncrementallyByItsWatermark) {
  const auto mapping = crm_source();
  crm_row("C-1", "HO-1", "HUURACHTERSTAND", "100.00", "2024-03-01T08:00:00");
  crm_row("C-2", "HO-2", "GEEN_TOEGANG", "", "2024-03-02T08:00:00");
  crm_row("C-3", "HO-1", "NOTITIE", "", "2024-03-03T08:00:00");
  auto summary = ingest(read_crm(mapping));
  EXPECT_EQ(summary.items, 3u);
  EXPECT_EQ(summary.accepted, 2u);
  EXPECT_EQ(summary.ignored, 1u);
  EXPECT_EQ(adapters::csv::read_watermark(scratch_.path() / "crm.watermark", ""), "2024-03-03T08:00:00");

  crm_row("C-4", "HO-2", "HUURACHTERSTAND", "50", "2024-03-04T08:00:00");
  summary = ingest(read_crm(mapping));
  EXPECT_EQ(summary.items, 2u); // the boundary row again (ignored) and the new one
  EXPECT_EQ(summary.accepted, 1u);
  EXPECT_EQ(count("signal"), 3);
}

TEST_P(CsvIngest, AnInterruptedRunIsResumedFromTheStoredWatermark) {
  const auto mapping = crm_source();
  crm_row("C-1", "HO-1", "HUURACHTERSTAND", "100.00", "2024-03-01T08:00:00");
  crm_row("C-2", "HO-2", "GEEN_TOEGANG", "", "2024-03-02T08:00:00");
  // Read and ingested, but the process died before the watermark was stored.
  const ParsedBatch first = read_crm(mapping);
  adapters::RuntimeTarget target(runtime_->runtime(), &system_);
  adapters::ingest_batch(target, first, adapters::IngestOptions{});
  EXPECT_EQ(adapters::csv::read_watermark(scratch_.path() / "crm.watermark", "none"), "none");
  // The next run reads the same rows: nothing lost, nothing doubled.
  const auto summary = ingest(read_crm(mapping));
  EXPECT_EQ(summary.items, 2u);
  EXPECT_EQ(summary.duplicates, 2u);
  EXPECT_EQ(count("signal"), 2);
  EXPECT_EQ(adapters::csv::read_watermark(scratch_.path() / "crm.watermark", ""), "2024-03-02T08:00:00");
}

TEST_P(CsvIngest, ACrmSourceThatCannotBeReadIsAFailureNotInput) {
  const auto mapping = crm_source();
  std::ofstream(mapping, std::ios::app) << "[crm]\nquery = SELECT nothing FROM nowhere WHERE x >= :watermark\n";
  EXPECT_THROW(read_crm(mapping), std::runtime_error);
  std::ofstream(scratch_.path() / "bad.ini") << "[crm]\nbackend = oracle\nconnection = x\nquery = :watermark\n"
                                                "watermark_column = a\nstate_file = s\n[crm.column]\nexternal_id = a\n"
                                                "tenancy_id = b\noccurred_at = c\ntype = d\n[crm.codes]\nX = SCH\n";
  EXPECT_THROW(read_crm(scratch_.path() / "bad.ini"), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Backends, CsvIngest, testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::test::csv
