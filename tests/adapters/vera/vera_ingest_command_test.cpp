// `hearth ingest --adapter vera FILE...` end to end on a SQLite store: the summary line,
// duplicates on a second run, refusals named on stderr with exit status 1, the settings
// file (config/adapters/vera.ini) with its size limit, plain progress lines when standard
// error is not a terminal, and usage errors.
#include <fstream>

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <hearth/host.h>

#include "cli_errors.hpp"
#include "ingest_command.hpp"
#include "test_environment.hpp"
#include "vera_adapter/vera_parser.hpp"
#include "vera_messages.hpp"

namespace hearth::test::vera {
namespace {

using cli::CommandLine;

class VeraIngestCommand : public testing::Test {
protected:
  void SetUp() override {
    std::filesystem::create_directories(scratch_.path() / "config" / "adapters");
    std::ofstream ini(config_dir() / "hearth.ini");
    ini << "[storage]\nbackend = sqlite\nsqlite_path = " << (scratch_.path() / "hearth.db").string()
        << "\n[plugins]\nbundled = false\n[events]\npoll_ms = 100\n";
    ini.close();
    hearth_runtime *runtime = nullptr;
    char *error = nullptr;
    ASSERT_EQ(hearth_runtime_open(config_dir().c_str(), &runtime, &error), HEARTH_OK) << (error ? error : "");
    hearth_actor system{sizeof(hearth_actor), 0, "test", "system", "corp:test", nullptr, "test"};
    const std::string unit = R"([{"kind":"unit","id":")" + std::string(kUnit) +
                             R"(","street":"Oosterparkstraat","house_number":"12","neighbourhood_code":"BU03630402"}])";
    EXPECT_EQ(hearth_runtime_put_records(runtime, &system, unit.c_str(), nullptr, &error), HEARTH_OK);
    hearth_free(error);
    hearth_runtime_close(runtime);
  }

  std::filesystem::path config_dir() const { return scratch_.path() / "config"; }

  std::filesystem::path write(const std::string &name, const std::string &text) {
    const auto path = scratch_.path() / name;
    std::ofstream(path) << text;
    return path;
  }

  // Runs the command; returns its exit code with what it wrote.
  int run(const std::vector<std::string> &arguments, std::string &out, std::string &err) {
    CommandLine command_line;
    command_line.config_dir = config_dir().string();
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    int code = -1;
    try {
      code = cli::run_ingest(command_line, arguments);
    } catch (...) {
      out = testing::internal::GetCapturedStdout();
      err = testing::internal::GetCapturedStderr();
      throw;
    }
    out = testing::internal::GetCapturedStdout();
    err = testing::internal::GetCapturedStderr();
    return code;
  }

  static std::string every_resource() {
    Poco::JSON::Object document;
    for (const auto &resource : adapters::vera::vera_resources()) {
      Poco::JSON::Array items;
      items.add(sample(std::string(resource.path)));
      document.set(std::string(resource.path), items);
    }
    return to_json(document);
  }

  ScratchDir scratch_;
};

TEST_F(VeraIngestCommand, IngestsAFileAndSummarisesThenFindsDuplicates) {
  const auto file = write("export.json", every_resource());
  std::string out, err;
  EXPECT_EQ(run({"--adapter", "vera", file.string()}, out, err), cli::exit_success) << err;
  EXPECT_EQ(out, "accepted 5, duplicate 0, rejected 0, ignored 0, records 2 (7 input records from 1 file)\n");
  EXPECT_NE(err.find("export.json: 7/7 100%"), std::string::npos) << err; // plain progress
  EXPECT_NE(err.find(" done\n"), std::string::npos) << err;
  EXPECT_EQ(run({"--adapter=vera", "--no-progress", file.string()}, out, err), cli::exit_success) << err;
  EXPECT_EQ(out, "accepted 0, duplicate 5, rejected 0, ignored 0, records 2 (7 input records from 1 file)\n");
}

TEST_F(VeraIngestCommand, NamesRefusedFieldsAndExitsWithOne) {
  auto bad = copy(signalering("SIG-9"));
  bad->getObject("soort")->set("code", "XYZ");
  Poco::JSON::Array items;
  items.add(bad);
  Poco::JSON::Object document;
  document.set("signaleringen", items);
  const auto good = write("good.json", every_resource());
  const auto refused = write("bad.json", to_json(document));
  const auto broken = write("broken.json", "{\"zaken\": [");
  std::string out, err;
  EXPECT_EQ(run({"--adapter", "vera", good.string(), refused.string(), broken.string()}, out, err), cli::exit_failure);
  EXPECT_EQ(out, "accepted 5, duplicate 0, rejected 2, ignored 0, records 2 (9 input records from 3 files)\n");
  EXPECT_NE(err.find("bad.json: refused signaleringen[0].soort.code: is not a SIGNALERINGSOORT code"), std::string::npos)
      << err;
  EXPECT_NE(err.find("broken.json: refused document: is not well-formed JSON"), std::string::npos) << err;
}

TEST_F(VeraIngestCommand, ReadsItsSettingsFromTheAdaptersFolder) {
  std::ofstream(config_dir() / "adapters" / "vera.ini") << "[vera]\nsource = vera:woonstad\nmax_document_bytes = 10\n";
  const auto file = write("export.json", every_resource());
  std::string out, err;
  EXPECT_EQ(run({"--adapter", "vera", file.string()}, out, err), cli::exit_failure);
  EXPECT_NE(err.find("refused document: is larger than the limit of 10 bytes"), std::string::npos) << err;
  std::ofstream(config_dir() / "adapters" / "vera.ini") << "[vera]\nmax_document_bytes = ten\n";
  EXPECT_THROW(run({"--adapter", "vera", file.string()}, out, err), cli::CommandFailure);
}

TEST_F(VeraIngestCommand, RefusesBadUsage) {
  std::string out, err;
  EXPECT_THROW(run({"export.json"}, out, err), cli::UsageError);
  EXPECT_THROW(run({"--adapter", "sap", "export.json"}, out, err), cli::UsageError);
  EXPECT_THROW(run({"--adapter", "vera"}, out, err), cli::UsageError);
  EXPECT_THROW(run({"--adapter", "vera", "--chunk", "0", "x"}, out, err), cli::UsageError);
  EXPECT_THROW(run({"--adapter", "vera", "--source", "", "x"}, out, err), cli::UsageError);
}

TEST_F(VeraIngestCommand, AMissingFileIsARefusalNamingIt) {
  std::string out, err;
  EXPECT_EQ(run({"--adapter", "vera", (scratch_.path() / "absent.json").string()}, out, err), cli::exit_failure);
  EXPECT_NE(err.find("refused file: cannot be read"), std::string::npos) << err;
}

} // namespace
} // namespace hearth::test::vera
