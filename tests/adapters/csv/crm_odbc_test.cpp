// The CRM database source through ODBC (mapping backend "odbc"): the same CRM table, read
// once through SOCI's native backend and once through unixODBC with a DSN-less connection
// string naming the driver's shared library, gives the same signals, refusals, ignored
// rows and watermark; and the ODBC batch ingests like the native one. On SQLite
// (libsqliteodbc's libsqlite3odbc.so) and on the test PostgreSQL server (odbc-postgresql's
// psqlodbcw.so). The drivers are found at run time with `dpkg -L`; a missing driver skips
// the test with the package to install, and fails it when CI=true.
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "adapter_common/ingest_driver.hpp"
#include "csv_adapter/csv_adapter.hpp"
#include "data_fixture.hpp"

// LeakSanitizer (the asan preset): psqlODBC keeps a few hundred bytes it allocates once per
// process (frames only inside psqlodbcw.so; no SOCI or Hearth frame) and never frees them.
// This test binary alone tells LSan to ignore allocations made by that driver; anything
// allocated by Hearth, SOCI or unixODBC is still reported. Unused outside sanitizer builds.
extern "C" __attribute__((visibility("default"), used)) const char *__lsan_default_suppressions() {
  return "leak:psqlodbcw.so\n";
}

namespace hearth::test::csv {
namespace {

using adapters::ParseContext;
using adapters::ParsedBatch;

// The path of `file_name` among the files of Debian package `package`, found with
// `dpkg -L`; nullopt when the package (or dpkg) is absent.
std::optional<std::string> packaged_file(const std::string &package, const std::string &file_name) {
  const std::string command = "dpkg -L " + package + " 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE *)> pipe(::popen(command.c_str(), "r"), &::pclose);
  if (!pipe) {
    return std::nullopt;
  }
  std::array<char, 4096> line{};
  std::optional<std::string> found;
  while (std::fgets(line.data(), static_cast<int>(line.size()), pipe.get()) != nullptr) {
    std::string path(line.data());
    while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) {
      path.pop_back();
    }
    const std::string suffix = "/" + file_name;
    if (path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        std::filesystem::exists(path)) {
      found = path;
    }
  }
  return found;
}

// A libpq "key=value key='quoted value'" connection string as a map.
std::map<std::string, std::string> libpq_keywords(const std::string &text) {
  std::map<std::string, std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && text[at] == ' ') {
      ++at;
    }
    const auto equals = text.find('=', at);
    if (equals == std::string::npos) {
      break;
    }
    const std::string key = text.substr(at, equals - at);
    std::string value;
    at = equals + 1;
    if (at < text.size() && text[at] == '\'') {
      const auto close = text.find('\'', at + 1);
      value = text.substr(at + 1, close - at - 1);
      at = close == std::string::npos ? text.size() : close + 1;
    } else {
      const auto space = text.find(' ', at);
      value = text.substr(at, space == std::string::npos ? std::string::npos : space - at);
      at = space == std::string::npos ? text.size() : space;
    }
    out[key] = value;
  }
  return out;
}

const char *const kCodes = "[crm.codes]\nHUURACHTERSTAND = SCH/BET\nGEEN_TOEGANG = X-REP\nNOTITIE = ignore\n";

class CrmOdbc : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set (scripts/start-postgres.sh)");
      driver_ = packaged_file("odbc-postgresql", "psqlodbcw.so");
      HEARTH_REQUIRE_OR_SKIP(driver_.has_value(),
                             "the PostgreSQL ODBC driver is not installed (apt-get install unixodbc odbc-postgresql)");
    } else {
      driver_ = packaged_file("libsqliteodbc", "libsqlite3odbc.so");
      HEARTH_REQUIRE_OR_SKIP(driver_.has_value(),
                             "the SQLite ODBC driver is not installed (apt-get install unixodbc libsqliteodbc)");
    }
    store_ = std::make_unique<TestStore>(GetParam());
    runtime_ = std::make_unique<DataRuntime>(store_->store());
    runtime_->add_tenancy("HO-1", "consultant-1", "tenant-1");
    runtime_->add_tenancy("HO-2", "consultant-1", "tenant-2");

    crm_ = std::make_unique<soci::session>();
    if (GetParam() == Backend::sqlite) {
      native_backend_ = "sqlite";
      native_connection_ = (scratch_.path() / "crm.db").string();
      crm_->open(soci::sqlite3, native_connection_);
      odbc_connection_ = "DRIVER=" + *driver_ + ";Database=" + native_connection_;
    } else {
      native_backend_ = "postgresql";
      native_connection_ = store_->store().postgresql;
      crm_->open(soci::postgresql, native_connection_);
      auto keywords = libpq_keywords(native_connection_);
      odbc_connection_ = "DRIVER=" + *driver_ + ";Servername=" + keywords["host"] + ";Port=" + keywords["port"] +
                         ";Database=" + keywords["dbname"] + ";Username=" + keywords["user"] +
                         ";Password=" + keywords["password"] + ";pqopt={options=" + keywords["options"] + "}";
    }
    *crm_ << "CREATE TABLE crm_signalen (id TEXT PRIMARY KEY, contract TEXT, datum TEXT, soort TEXT,"
             " bedrag NUMERIC(10, 2), gewijzigd TEXT, naam TEXT)";
  }

  // A mapping file for `backend` and `connection` reading crm_signalen by its watermark.
  std::filesystem::path mapping(const std::string &name, const std::string &backend, const std::string &connection) {
    const auto file = scratch_.path() / (name + ".ini");
    std::ofstream(file) << "[crm]\nsource = crm:test\nbackend = " << backend << "\nconnection = " << connection
                        << "\nquery = SELECT id, contract, datum, soort, bedrag, gewijzigd FROM crm_signalen"
                           " WHERE gewijzigd >= :watermark ORDER BY gewijzigd\n"
                           "watermark_column = gewijzigd\nstate_file = "
                        << name
                        << ".watermark\nwatermark_initial = 1970-01-01T00:00:00\n"
                           "[crm.column]\nexternal_id = id\ntenancy_id = contract\noccurred_at = datum\n"
                           "type = soort\namount = bedrag\n"
                        << kCodes;
    return file;
  }

  void row(const std::string &id, const std::string &contract, const std::string &date, const std::string &code,
           const std::optional<double> &amount, const std::string &changed) {
    const std::string name = "Canary Naam";
    soci::indicator amount_given = amount ? soci::i_ok : soci::i_null;
    const double amount_value = amount.value_or(0.0);
    *crm_ << "INSERT INTO crm_signalen (id, contract, datum, soort, bedrag, gewijzigd, naam)"
             " VALUES (:i, :c, :d, :s, :b, :g, :n)",
        soci::use(id), soci::use(contract), soci::use(date), soci::use(code), soci::use(amount_value, amount_given),
        soci::use(changed), soci::use(name);
  }

  ParsedBatch read(const std::filesystem::path &mapping_file) {
    ParseContext context;
    context.now_ms = hearth_runtime_now_ms(runtime_->runtime());
    return adapters::csv::parse_crm_source(mapping_file, context);
  }

  adapters::IngestSummary ingest(const ParsedBatch &batch) {
    adapters::RuntimeTarget target(runtime_->runtime(), &system_);
    auto summary = adapters::ingest_batch(target, batch, adapters::IngestOptions{});
    if (batch.after_ingest) {
      batch.after_ingest();
    }
    return summary;
  }

  static void expect_same(const ParsedBatch &odbc, const ParsedBatch &native) {
    EXPECT_EQ(odbc.source, native.source);
    EXPECT_EQ(odbc.items, native.items);
    EXPECT_EQ(odbc.ignored, native.ignored);
    ASSERT_EQ(odbc.signals.size(), native.signals.size());
    for (std::size_t i = 0; i < native.signals.size(); ++i) {
      const auto &a = odbc.signals[i];
      const auto &b = native.signals[i];
      EXPECT_EQ(a.external_id, b.external_id) << i;
      EXPECT_EQ(a.type, b.type) << i;
      EXPECT_EQ(a.detail, b.detail) << i;
      EXPECT_EQ(a.tenancy_id, b.tenancy_id) << i;
      EXPECT_EQ(a.occurred_at_ms, b.occurred_at_ms) << i;
      EXPECT_EQ(a.amount_cents, b.amount_cents) << i;
      EXPECT_EQ(a.severity, b.severity) << i;
      EXPECT_EQ(a.legal_basis, b.legal_basis) << i;
      EXPECT_EQ(a.purpose, b.purpose) << i;
    }
    ASSERT_EQ(odbc.rejections.size(), native.rejections.size());
    for (std::size_t i = 0; i < native.rejections.size(); ++i) {
      EXPECT_EQ(odbc.rejections[i].item_index, native.rejections[i].item_index) << i;
      EXPECT_EQ(odbc.rejections[i].message(), native.rejections[i].message()) << i;
    }
  }

  int count(const char *what) {
    std::string out;
    EXPECT_EQ(runtime_->read(actor("administrator", "admin-1"), "store.counts", "{}", out), HEARTH_OK) << out;
    return Poco::JSON::Parser().parse(out).extract<Poco::JSON::Object::Ptr>()->getValue<int>(what);
  }

  const hearth_actor system_ = actor("system", "adapter-crm", "corp:test");
  ScratchDir scratch_;
  std::optional<std::string> driver_;
  std::unique_ptr<TestStore> store_;
  std::unique_ptr<DataRuntime> runtime_;
  std::unique_ptr<soci::session> crm_;
  std::string native_backend_, native_connection_, odbc_connection_;
};

TEST_P(CrmOdbc, OdbcGivesTheSameSignalsRefusalsAndWatermarkAsTheNativeBackend) {
  row("C-1", "HO-1", "2024-03-01", "HUURACHTERSTAND", 612.5, "2024-03-01T08:00:00");
  row("C-2", "HO-2", "2024-03-02T10:00:00Z", "GEEN_TOEGANG", std::nullopt, "2024-03-02T08:00:00");
  row("C-3", "HO-1", "2024-03-03", "NOTITIE", std::nullopt, "2024-03-03T08:00:00");
  row("C-4", "HO-1", "2024-03-04", "ONBEKEND", std::nullopt, "2024-03-04T08:00:00");    // unknown code
  row("C-5", "HO-2", "2099-01-01", "HUURACHTERSTAND", 10.0, "2024-03-05T08:00:00");    // in the future
  row("C-6", "HO-2", "2024-03-06", "HUURACHTERSTAND", -3.0, "2024-03-06T08:00:00");    // negative
  const auto native = read(mapping("native", native_backend_, native_connection_));
  const auto odbc_mapping = mapping("odbc", "odbc", odbc_connection_);
  const auto odbc = read(odbc_mapping);
  EXPECT_EQ(native.items, 6u);
  EXPECT_EQ(native.signals.size(), 2u);
  EXPECT_EQ(native.rejections.size(), 3u);
  expect_same(odbc, native);
  ASSERT_GE(odbc.signals.size(), 1u);
  EXPECT_EQ(odbc.signals[0].amount_cents, 61250);

  // Ingested through the runtime like any batch; the watermark advances after it.
  const auto summary = ingest(odbc);
  EXPECT_EQ(summary.accepted, 2u);
  EXPECT_EQ(summary.rejected, 3u);
  EXPECT_EQ(count("signal"), 2);
  EXPECT_EQ(adapters::csv::read_watermark(scratch_.path() / "odbc.watermark", ""), "2024-03-06T08:00:00");

  // The next run reads from the watermark on: the boundary row again and the new one.
  row("C-7", "HO-2", "2024-03-07", "HUURACHTERSTAND", 50.0, "2024-03-07T08:00:00");
  const auto next = read(odbc_mapping);
  EXPECT_EQ(next.items, 2u);
  const auto again = ingest(next);
  EXPECT_EQ(again.accepted, 1u);
  EXPECT_EQ(count("signal"), 3);
}

TEST_P(CrmOdbc, AnOdbcSourceThatCannotBeReachedIsAFailureNotInput) {
  // A driver library that does not exist: the driver manager refuses the connection.
  const auto missing_driver =
      mapping("missing", "odbc", "DRIVER=" + (scratch_.path() / "no-such-driver.so").string() + ";Database=x");
  try {
    read(missing_driver);
    ADD_FAILURE() << "no failure";
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("crm source missing.ini: "), std::string::npos) << e.what();
  }
  // A query naming a table that is not there.
  const auto bad_query = mapping("bad-query", "odbc", odbc_connection_);
  std::ofstream(bad_query, std::ios::app) << "[crm]\nquery = SELECT a FROM no_such_table WHERE a >= :watermark\n";
  EXPECT_THROW(read(bad_query), std::runtime_error);
  EXPECT_EQ(count("signal"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, CrmOdbc, testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::test::csv
