// The backtest and the algorithm-register entry on the demo neighbourhood (its ground
// truth), through the plugin's operations and through the `hearth` commands score,
// backtest and register-entry, on SQLite and PostgreSQL.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "child_process.hpp"
#include "cli_errors.hpp"
#include "command_line.hpp"
#include "commands/backtest/command_backtest.hpp"
#include "commands/register-entry/command_register_entry.hpp"
#include "commands/score/command_score.hpp"
#include "demo/demo_loader.hpp"
#include "demo/generator.hpp"
#include "ew_runtime.hpp"
#include "rule_files.hpp"

using namespace hearth::test;
using namespace hearth::test::early_warning;

namespace {

constexpr std::uint32_t kTenancies = 300;

std::string read_file(const std::filesystem::path &file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string condensed(const Poco::Dynamic::Var &value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

const char *kRegisterSettings = "register.organisation = Woningcorporatie Test\n"
                                "register.status = in_use\n"
                                "register.iama = IAMA-2026-07 (intern)\n";

class EarlyWarningEvidence : public EwTest {
protected:
  void SetUp() override {
    if (!open_runtime(kRegisterSettings)) {
      return;
    }
    hood_ = hearth::demo::generate_neighbourhood(kTenancies, 1);
    hearth::demo::store_neighbourhood(runtime_->runtime(), hood_);
    ASSERT_EQ(hearth_runtime_drain(runtime_->runtime(), 60'000), HEARTH_OK);
  }

  // The ground truth's counts per outcome.
  std::map<std::string, std::int64_t> outcome_counts() const {
    std::map<std::string, std::int64_t> counts;
    for (const auto &outcome : hood_.outcomes) {
      ++counts[hearth::demo::outcome_name(outcome.kind)];
    }
    return counts;
  }

  hearth::demo::DemoNeighbourhood hood_;
  hearth_actor auditor_ = person("auditor", "auditor-1");
};

} // namespace

TEST_P(EarlyWarningEvidence, BacktestOnTheDemoGroundTruth) {
  const std::string window = R"("from":"2021-01-01","to":"2025-12-31")";
  const auto whole = object_of(runtime_->ok(auditor_, "backtest", "{" + window + "}"));
  const auto report = whole->getObject("report");
  const auto counts = outcome_counts();
  EXPECT_EQ(report->getValue<std::int64_t>("tenancies"), kTenancies);
  EXPECT_EQ(report->getValue<std::int64_t>("adverse_outcomes"), counts.at("notice_to_quit") + counts.at("eviction"));
  const auto outcomes = report->getArray("outcomes");
  ASSERT_EQ(outcomes->size(), counts.size());
  for (std::size_t i = 0; i < outcomes->size(); ++i) {
    const auto row = outcomes->getObject(static_cast<unsigned>(i));
    EXPECT_EQ(row->getValue<std::int64_t>("tenancies"), counts.at(row->getValue<std::string>("outcome")));
  }
  // The default rule set warns: most adverse outcomes were amber or red first, red flags
  // are far more precise than chance, and they came weeks before the decision.
  const double prevalence = report->getValue<double>("prevalence");
  EXPECT_GE(report->getObject("at_amber")->getValue<double>("recall"), 0.8);
  EXPECT_GE(report->getObject("at_red")->getValue<double>("precision"), 3 * prevalence);
  EXPECT_GT(report->getObject("lead_time")->getValue<std::int64_t>("count"), 0);
  EXPECT_GT(report->getObject("lead_time")->getValue<double>("median_days"), 14.0);
  EXPECT_EQ(report->getArray("neighbourhoods")->size(), hearth::demo::neighbourhoods().size());

  // Four parts merged give the same report as one.
  Poco::JSON::Array evidence;
  for (int part = 0; part < 4; ++part) {
    const auto answer = object_of(
        runtime_->ok(auditor_, "backtest", "{" + window + R"(,"parts":4,"part":)" + std::to_string(part) + "}"));
    EXPECT_EQ(answer->getValue<std::int64_t>("part"), part);
    evidence.add(answer->getObject("evidence"));
  }
  Poco::JSON::Object merge;
  merge.set("evidence", evidence);
  const auto merged = object_of(runtime_->ok(auditor_, "backtest.report", condensed(merge)));
  EXPECT_EQ(condensed(merged->getObject("report")), condensed(report));
  EXPECT_EQ(audit_lines(store_->store(), "backtest:2021-01-01..2025-12-31").size(), 5u);
}

TEST_P(EarlyWarningEvidence, BacktestRefusesOtherRolesAndBadArguments) {
  const auto consultant = runtime_->call(person("housing_consultant", "consultant-01"), "backtest",
                                         R"({"from":"2021-01-01","to":"2025-12-31"})");
  EXPECT_EQ(consultant.status, HEARTH_ERROR_DENIED);
  EXPECT_EQ(consultant.text, "role 'housing_consultant' may not use this operation");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"from":"2021-13-01","to":"2025-12-31"})", "args.from: '2021-13-01' is not a date like 2025-12-31"},
      {R"({"from":"2025-01-01","to":"2024-12-31"})", "args.to: must not be before args.from"},
      {R"({"to":"2025-12-31"})", "args.from: missing"},
      {R"({"from":"2021-01-01","to":"2025-12-31","parts":4,"part":4})", "args.part: 4 is not from 0 to 3"},
      {R"({"from":"2021-01-01","to":"2025-12-31","parts":0})", "args.parts: 0 is not from 1 to 10000"},
  };
  for (const auto &[args, message] : cases) {
    const auto result = runtime_->call(auditor_, "backtest", args);
    EXPECT_EQ(result.status, HEARTH_ERROR_INVALID_ARGUMENT) << args;
    EXPECT_EQ(result.text, message);
  }
  EXPECT_EQ(runtime_->call(auditor_, "backtest.report", "{}").text, "args.evidence: missing or not a list");
  EXPECT_EQ(runtime_->call(auditor_, "backtest.report", R"({"evidence":[]})").text, "args.evidence: empty");
  EXPECT_EQ(runtime_->call(auditor_, "backtest.report", R"({"evidence":[{"amber_from":30}]})").text,
            "args.evidence[0]: evidence.red_from: missing or not a whole number");
}

TEST_P(EarlyWarningEvidence, RegisterEntryForTheRunningConfiguration) {
  const auto entry = object_of(runtime_->ok(person("neighbour", "anyone"), "register-entry"));
  for (const char *field : {"name", "short_description", "organisation", "status", "purpose_and_impact",
                            "considerations", "human_intervention", "risk_management", "legal_basis",
                            "data_and_sources", "technical_operation", "source_code"}) {
    ASSERT_TRUE(entry->has(field)) << field;
    EXPECT_FALSE(entry->getValue<std::string>(field).empty()) << field;
  }
  const std::string short_description = entry->getValue<std::string>("short_description");
  const auto characters = std::count_if(short_description.begin(), short_description.end(),
                                        [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
  EXPECT_LT(characters, 350);
  EXPECT_EQ(entry->getValue<std::string>("organisation"), "Woningcorporatie Test");
  EXPECT_EQ(entry->getValue<std::string>("status"), "In gebruik");
  const auto assessments = entry->getArray("impact_assessments");
  EXPECT_EQ(assessments->getObject(0)->getValue<std::string>("reference"), "IAMA-2026-07 (intern)");
  EXPECT_EQ(assessments->getObject(1)->getValue<std::string>("reference"), "Nog niet vastgelegd.");
  const auto &rules = default_rules();
  EXPECT_NE(entry->getValue<std::string>("technical_operation").find("versie " + rules.version + " (sha256 " + rules.sha256),
            std::string::npos);
  EXPECT_EQ(entry->getArray("categories")->size(), rules.categories.size());
  const auto missing = entry->getArray("missing_settings");
  std::vector<std::string> names;
  for (std::size_t i = 0; i < missing->size(); ++i) {
    names.push_back(missing->getElement<std::string>(static_cast<unsigned>(i)));
  }
  EXPECT_NE(std::find(names.begin(), names.end(), "plugin.nl.hearth.early-warning.register.dpia"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "plugin.nl.hearth.early-warning.register.iama"), names.end());
}

TEST_P(EarlyWarningEvidence, CommandsScoreBacktestAndRegisterEntry) {
  const auto config = runtime_->config_dir();
  runtime_->close(); // the commands open their own runtime on the same store
  hearth::cli::CommandLine command_line;
  command_line.config_dir = config.string();
  ScratchDir out;

  testing::internal::CaptureStdout();
  EXPECT_EQ(hearth::cli::run_score(command_line, {"--full", "--json"}), 0);
  const auto summary = object_of(testing::internal::GetCapturedStdout());
  EXPECT_EQ(summary->getValue<std::int64_t>("changed"), 0);
  EXPECT_EQ(summary->getValue<std::int64_t>("tenancies"), kTenancies);
  EXPECT_THROW(hearth::cli::run_score(command_line, {}), hearth::cli::UsageError);

  testing::internal::CaptureStdout();
  EXPECT_EQ(hearth::cli::run_backtest(command_line, {"--from", "2021-01-01", "--to", "2025-12-31", "--parts", "5",
                                                     "--out", out.path().string()}),
            0);
  const std::string said = testing::internal::GetCapturedStdout();
  EXPECT_NE(said.find("Backtest 2021-01-01 to 2025-12-31 over 300 tenancies"), std::string::npos) << said;
  const auto report = object_of(read_file(out.path() / "backtest.json"));
  const std::string markdown = read_file(out.path() / "backtest.md");
  for (const char *section : {"# Backtest of the early-warning rule set", "## Population", "## Precision and recall",
                              "## Lead time", "## Calibration", "## Flag rates by neighbourhood",
                              "](score-distribution.svg)", "](precision-recall.svg)", "](lead-time.svg)"}) {
    EXPECT_NE(markdown.find(section), std::string::npos) << section;
  }
  char precision[32];
  std::snprintf(precision, sizeof precision, "| %.1f%% |",
                report->getObject("at_red")->getValue<double>("precision") * 100.0);
  EXPECT_NE(markdown.find(precision), std::string::npos) << precision;
  EXPECT_NE(markdown.find("| " + std::to_string(kTenancies) + " |"), std::string::npos);
  for (const char *chart : {"score-distribution.svg", "precision-recall.svg", "lead-time.svg"}) {
    const std::string svg = read_file(out.path() / chart);
    EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u) << chart;
    EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n") << chart;
    EXPECT_EQ(std::count(svg.begin(), svg.end(), '<'), std::count(svg.begin(), svg.end(), '>')) << chart;
  }
  EXPECT_NE(read_file(out.path() / "precision-recall.svg").find("<path d=\"M"), std::string::npos);
  EXPECT_THROW(hearth::cli::run_backtest(command_line, {"--from", "yesterday", "--to", "2025-12-31"}),
               hearth::cli::UsageError);
  EXPECT_THROW(hearth::cli::run_backtest(command_line, {"--to", "2025-12-31"}), hearth::cli::UsageError);

  const auto entry_file = out.path() / "register.md";
  testing::internal::CaptureStdout();
  EXPECT_EQ(hearth::cli::run_register_entry(command_line, {"--out", entry_file.string()}), 0);
  testing::internal::GetCapturedStdout();
  const std::string entry = read_file(entry_file);
  for (const char *heading : {"## Korte omschrijving", "## Organisatie", "## Status", "## Doel en impact",
                              "## Afwegingen", "## Menselijke tussenkomst", "## Risicobeheer",
                              "## Wettelijke grondslag", "## Impacttoetsen", "## Data en bronnen",
                              "## Technische werking", "## Broncode", "- IAMA: IAMA-2026-07 (intern)",
                              "Nog in te vullen in de configuratie (hearth.ini):"}) {
    EXPECT_NE(entry.find(heading), std::string::npos) << heading;
  }
}

TEST_P(EarlyWarningEvidence, TheHearthCommandRunsThem) {
  const auto config = runtime_->config_dir().string();
  runtime_->close();
  ScratchDir out;
  auto hearth = [&](std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {"--config", config});
    return run_child(HEARTH_CLI_PATH, arguments, std::chrono::seconds(120));
  };
  const auto backtest =
      hearth({"backtest", "--from", "2021-01-01", "--to", "2025-12-31", "--parts", "3", "--out", out.path().string()});
  ASSERT_TRUE(backtest.exited) << backtest.err;
  EXPECT_EQ(backtest.exit_code, 0) << backtest.err;
  EXPECT_NE(backtest.out.find("Backtest 2021-01-01 to 2025-12-31 over 300 tenancies"), std::string::npos) << backtest.out;
  EXPECT_EQ(backtest.err.find('\r'), std::string::npos) << "no progress bar when stderr is not a terminal";
  for (const char *file : {"backtest.md", "backtest.json", "score-distribution.svg", "precision-recall.svg",
                           "lead-time.svg"}) {
    EXPECT_TRUE(std::filesystem::exists(out.path() / file)) << file;
  }
  const auto entry = hearth({"register-entry", "--json"});
  EXPECT_EQ(entry.exit_code, 0) << entry.err;
  EXPECT_EQ(object_of(entry.out)->getValue<std::string>("organisation"), "Woningcorporatie Test");
  const auto score = hearth({"score", "--full"});
  EXPECT_EQ(score.exit_code, 0) << score.err;
  EXPECT_NE(score.out.find("changed          0"), std::string::npos) << score.out;
  // Usage errors exit 2 and say what is wrong.
  const auto bad_date = hearth({"backtest", "--from", "gisteren", "--to", "2025-12-31"});
  EXPECT_EQ(bad_date.exit_code, 2);
  EXPECT_NE(bad_date.err.find("--from needs a date like 2025-12-31, not 'gisteren'"), std::string::npos) << bad_date.err;
  const auto no_full = hearth({"score"});
  EXPECT_EQ(no_full.exit_code, 2);
  EXPECT_NE(no_full.err.find("'score' needs --full"), std::string::npos) << no_full.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, EarlyWarningEvidence, testing::Values(Backend::sqlite, Backend::postgresql),
                         backend_name);
