// `hearth ingest --adapter crm SOURCE.ini` end to end on SQLite: the command reads the CRM
// table from the stored watermark, ingests, and only then stores the new watermark.
#include <fstream>

#include <gtest/gtest.h>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <hearth/host.h>

#include "cli_errors.hpp"
#include "ingest_command.hpp"
#include "test_environment.hpp"

namespace hearth::test::csv {
namespace {

class CrmIngestCommand : public testing::Test {
protected:
  void SetUp() override {
    std::filesystem::create_directories(scratch_.path() / "config");
    std::ofstream(scratch_.path() / "config" / "hearth.ini")
        << "[storage]\nbackend = sqlite\nsqlite_path = " << (scratch_.path() / "hearth.db").string()
        << "\n[plugins]\nbundled = false\n";
    hearth_runtime *runtime = nullptr;
    char *error = nullptr;
    ASSERT_EQ(hearth_runtime_open((scratch_.path() / "config").c_str(), &runtime, &error), HEARTH_OK);
    hearth_actor system{sizeof(hearth_actor), 0, "test", "system", "corp:test", nullptr, "test"};
    EXPECT_EQ(hearth_runtime_put_records(runtime, &system,
                                         R"([{"kind":"unit","id":"U-1","street":"S","house_number":"1","neighbourhood_code":"BU1"},)"
                                         R"({"kind":"tenancy","id":"HO-1","unit_id":"U-1","start_date":"2019-04-01"}])",
                                         nullptr, &error),
              HEARTH_OK);
    hearth_free(error);
    hearth_runtime_close(runtime);
    crm_.open(soci::sqlite3, (scratch_.path() / "crm.db").string());
    crm_ << "CREATE TABLE crm_signalen (id TEXT, contract TEXT, datum TEXT, soort TEXT, gewijzigd TEXT)";
    std::ofstream(scratch_.path() / "crm.ini")
        << "[crm]\nsource = crm:test\nbackend = sqlite\nconnection = " << (scratch_.path() / "crm.db").string()
        << "\nquery = SELECT id, contract, datum, soort, gewijzigd FROM crm_signalen WHERE gewijzigd >= :watermark"
           " ORDER BY gewijzigd\nwatermark_column = gewijzigd\nstate_file = crm.watermark\n"
           "watermark_initial = 0\n[crm.column]\nexternal_id = id\ntenancy_id = contract\noccurred_at = datum\n"
           "type = soort\n[crm.codes]\nGEEN_TOEGANG = X-REP\n";
  }

  void row(const std::string &id, const std::string &changed) {
    crm_ << "INSERT INTO crm_signalen VALUES (:i, 'HO-1', '2024-03-01', 'GEEN_TOEGANG', :g)", soci::use(id),
        soci::use(changed);
  }

  int run(std::string &out) {
    cli::CommandLine command_line;
    command_line.config_dir = (scratch_.path() / "config").string();
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    const int code = cli::run_ingest(command_line, {"--adapter", "crm", (scratch_.path() / "crm.ini").string()});
    out = testing::internal::GetCapturedStdout();
    testing::internal::GetCapturedStderr();
    return code;
  }

  ScratchDir scratch_;
  soci::session crm_;
};

TEST_F(CrmIngestCommand, ReadsFromTheWatermarkAndStoresItAfterIngesting) {
  row("C-1", "2024-03-01T08:00:00");
  row("C-2", "2024-03-02T08:00:00");
  std::string out;
  EXPECT_EQ(run(out), cli::exit_success);
  EXPECT_EQ(out, "accepted 2, duplicate 0, rejected 0, ignored 0, records 0 (2 input records from 1 file)\n");
  std::ifstream state(scratch_.path() / "crm.watermark");
  std::string watermark;
  std::getline(state, watermark);
  EXPECT_EQ(watermark, "2024-03-02T08:00:00");
  row("C-3", "2024-03-03T08:00:00");
  EXPECT_EQ(run(out), cli::exit_success);
  EXPECT_EQ(out, "accepted 1, duplicate 1, rejected 0, ignored 0, records 0 (2 input records from 1 file)\n");
}

} // namespace
} // namespace hearth::test::csv
