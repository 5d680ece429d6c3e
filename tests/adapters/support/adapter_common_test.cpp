// hearth_adapter_common on its own: the input checks every adapter shares (UTF-8,
// elfproef, ISO dates, amounts, shared secrets), JSON field readers, settings (also a
// plugin's section), the registry, parse_file's limits and the progress reporter's lines.
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <variant>

#include <gtest/gtest.h>

#include "adapter_common/adapter.hpp"
#include "adapter_common/input_checks.hpp"
#include "adapter_common/json_fields.hpp"
#include "adapter_common/parsed_batch.hpp"
#include "adapter_common/progress.hpp"
#include "adapter_common/settings_section.hpp"
#include "adapter_common/signal_classes.hpp"
#include "test_environment.hpp"

namespace hearth::adapters {
namespace {

TEST(InputChecks, Utf8) {
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("co\xC3\xB6rdinator \xE2\x82\xAC \xF0\x9F\x8F\xA0"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));             // truncated
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));         // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));     // a surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80")); // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("ok\x80"));
}

TEST(InputChecks, SameSecretComparesWholeSecretsOnly) {
  EXPECT_TRUE(same_secret("Bearer abc", "Bearer abc"));
  EXPECT_FALSE(same_secret("Bearer abd", "Bearer abc"));
  EXPECT_FALSE(same_secret("Bearer ab", "Bearer abc"));
  EXPECT_FALSE(same_secret("Bearer abcd", "Bearer abc"));
  EXPECT_FALSE(same_secret("", ""));        // no secret configured: nothing matches
  EXPECT_FALSE(same_secret("anything", "")); // likewise
}

TEST(SettingsSection, NamesTheWholeKeyAndTheReason) {
  const std::map<std::string, std::string> keys{
      {"enabled", "yes"}, {"empty", ""}, {"count", "12"}, {"zero", "0"}, {"word", "many"}, {"on", "true"}};
  const SettingsSection section("nl.hearth.adapter.test", [&keys](const std::string &key) -> std::optional<std::string> {
    const auto found = keys.find(key);
    return found == keys.end() ? std::nullopt : std::optional<std::string>(found->second);
  });
  EXPECT_EQ(section.key_name("count"), "plugin.nl.hearth.adapter.test.count");
  EXPECT_EQ(section.optional("absent", "fallback"), "fallback");
  EXPECT_EQ(section.optional("empty", "fallback"), "fallback");
  EXPECT_EQ(section.required("count"), "12");
  EXPECT_EQ(section.positive_number("count", 1), 12u);
  EXPECT_EQ(section.positive_number("absent", 7), 7u);
  EXPECT_TRUE(section.boolean("on", false));
  EXPECT_FALSE(section.boolean("absent", false));
  const auto message = [](const std::function<void()> &read) {
    try {
      read();
    } catch (const std::invalid_argument &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([&] { section.required("empty"); }),
            "plugin.nl.hearth.adapter.test.empty: is required when the adapter is enabled");
  EXPECT_EQ(message([&] { section.boolean("enabled", false); }),
            "plugin.nl.hearth.adapter.test.enabled: must be true or false");
  EXPECT_EQ(message([&] { section.positive_number("zero", 1); }),
            "plugin.nl.hearth.adapter.test.zero: '0' is not a positive whole number");
  EXPECT_EQ(message([&] { section.positive_number("word", 1, false); }),
            "plugin.nl.hearth.adapter.test.word: is not a positive whole number");
  // whole_number: 0 is a value (settings where 0 means off).
  EXPECT_EQ(section.whole_number("zero", 5), 0u);
  EXPECT_EQ(section.whole_number("count", 5), 12u);
  EXPECT_EQ(section.whole_number("absent", 5), 5u);
  EXPECT_EQ(section.whole_number("empty", 5), 5u);
  EXPECT_EQ(message([&] { section.whole_number("word", 1); }),
            "plugin.nl.hearth.adapter.test.word: 'many' is not a whole number");
}

TEST(JsonFields, ADocumentThatIsNotJsonIsRejectedAsItemZero) {
  ParsedBatch batch;
  EXPECT_TRUE(parse_document_or_reject(batch, R"({"a":1})").has_value());
  EXPECT_TRUE(batch.rejections.empty());
  EXPECT_FALSE(parse_document_or_reject(batch, "{not json").has_value());
  EXPECT_EQ(batch.items, 1u);
  ASSERT_EQ(batch.rejections.size(), 1u);
  EXPECT_EQ(batch.rejections[0].item_index, 0u);
  EXPECT_EQ(batch.rejections[0].field, "document");
  EXPECT_EQ(batch.rejections[0].reason, "is not well-formed JSON");
  EXPECT_EQ(batch.rejections[0].payload, "{not json");
}

TEST(InputChecks, Elfproef) {
  EXPECT_TRUE(bsn_passes_elfproef("111222333"));
  EXPECT_FALSE(bsn_passes_elfproef("123456789"));
  EXPECT_FALSE(bsn_passes_elfproef("000000000")); // sum 0 is no BSN
  EXPECT_FALSE(bsn_passes_elfproef("11122233"));
  EXPECT_FALSE(check_bsn("111222333").has_value());
  EXPECT_FALSE(check_bsn("10000021").has_value()); // eight digits: a leading zero was dropped
  EXPECT_EQ(check_bsn("12345678x")->reason, "is not 9 digits");
  EXPECT_EQ(check_bsn("123456789")->reason, "fails the elfproef (11-test)");
}

std::int64_t ms(std::string_view text) {
  auto parsed = parse_iso_time(text);
  if (auto *failure = std::get_if<CheckFailure>(&parsed)) {
    ADD_FAILURE() << text << ": " << failure->reason;
    return 0;
  }
  return std::get<std::int64_t>(parsed);
}

TEST(InputChecks, IsoTimes) {
  EXPECT_EQ(ms("2024-03-01"), 1709251200000LL);
  EXPECT_EQ(ms("2024-03-01T09:30:00Z"), 1709285400000LL);
  EXPECT_EQ(ms("2024-03-01T09:30:00.250Z"), 1709285400250LL);
  EXPECT_EQ(ms("2024-03-01T10:30:00+01:00"), 1709285400000LL);
  EXPECT_EQ(ms("2024-03-01T04:30:00-0500"), 1709285400000LL);
  EXPECT_EQ(ms("2024-03-01T09:30:00"), 1709285400000LL); // no zone: UTC
  for (const char *bad : {"", "2024-3-1", "2024-02-30", "2024-13-01", "2024-03-01T25:00:00Z", "01-03-2024",
                          "2024-03-01T09:30Z", "2024-03-01T09:30:00+15:00", "2024-03-01Tgarbage"}) {
    auto parsed = parse_iso_time(bad);
    ASSERT_TRUE(std::holds_alternative<CheckFailure>(parsed)) << bad;
    EXPECT_EQ(std::get<CheckFailure>(parsed).reason, "is not an ISO 8601 date or date-time");
  }
  constexpr std::int64_t now = 1717243200000LL;
  EXPECT_EQ(check_not_future(now + 1000, now, 500)->reason, "is in the future");
  EXPECT_FALSE(check_not_future(now + 400, now, 500).has_value());
  EXPECT_EQ(check_not_future(946684799999LL, 2000000000000LL, 0)->reason, "is before 2000-01-01");
}

TEST(InputChecks, Amounts) {
  EXPECT_EQ(std::get<std::int64_t>(euros_to_cents(612.5)), 61250);
  EXPECT_EQ(std::get<std::int64_t>(euros_to_cents(0.1 + 0.2)), 30);
  EXPECT_EQ(std::get<CheckFailure>(euros_to_cents(-0.01)).reason, "is negative");
  EXPECT_EQ(std::get<CheckFailure>(euros_to_cents(1.005)).reason, "has more than two decimals");
  EXPECT_EQ(std::get<CheckFailure>(euros_to_cents(2e9)).reason, "is too large");
  EXPECT_EQ(std::get<CheckFailure>(euros_to_cents(std::nan(""))).reason, "is not a number");
  EXPECT_EQ(std::get<std::int64_t>(euros_text_to_cents("123,45")), 12345);
  EXPECT_EQ(std::get<std::int64_t>(euros_text_to_cents(" 7.5 ")), 750);
  EXPECT_EQ(std::get<std::int64_t>(euros_text_to_cents("12")), 1200);
  EXPECT_EQ(std::get<CheckFailure>(euros_text_to_cents("-3.00")).reason, "is negative");
  EXPECT_EQ(std::get<CheckFailure>(euros_text_to_cents("1.234")).reason, "has more than two decimals");
  EXPECT_EQ(std::get<CheckFailure>(euros_text_to_cents("twelve")).reason, "is not a number");
  EXPECT_EQ(std::get<CheckFailure>(euros_text_to_cents("999999999999")).reason, "is too large");
}

TEST(JsonFields, NamesThePathOfEveryProblem) {
  const auto document = parse_json_document(R"({"a":{"b":"x","n":1.5,"i":3,"list":[1]},"s":5})");
  const JsonFields root(document, "Msg");
  EXPECT_EQ(root.child("a").text("b"), "x");
  EXPECT_DOUBLE_EQ(root.child("a").number("n"), 1.5);
  EXPECT_EQ(root.child("a").integer("i"), 3);
  EXPECT_EQ(root.child("a").array("list")->size(), 1u);
  EXPECT_EQ(root.optional_text("missing"), "");
  auto problem = [&](auto &&read) {
    try {
      read();
    } catch (const FieldProblem &p) {
      return p.field() + ": " + p.reason();
    }
    return std::string("no problem");
  };
  EXPECT_EQ(problem([&] { root.text("s"); }), "Msg.s: must be a string");
  EXPECT_EQ(problem([&] { root.text("none"); }), "Msg.none: is missing");
  EXPECT_EQ(problem([&] { root.child("s"); }), "Msg.s: must be an object");
  EXPECT_EQ(problem([&] { root.child("a").integer("n"); }), "Msg.a.n: must be a whole number");
  EXPECT_EQ(problem([&] { root.child("a").number("b"); }), "Msg.a.b: must be a number");
  EXPECT_EQ(problem([&] { root.child("a").array("b"); }), "Msg.a.b: must be an array");
  EXPECT_EQ(problem([&] { root.child("a").time("b"); }), "Msg.a.b: is not an ISO 8601 date or date-time");
  EXPECT_EQ(problem([&] { parse_json_document("{\"a\":"); }), "document: is not well-formed JSON");
  EXPECT_EQ(problem([&] { parse_json_document("\"\xC3\""); }), "document: is not valid UTF-8");
  EXPECT_EQ(problem([&] { parse_json_document(std::string("{\"a\":\"b\"}\0", 10)); }), "document: contains a NUL byte");
  EXPECT_EQ(problem([&] { parse_json_document(std::string(200, '[') + std::string(200, ']')); }),
            "document: is not well-formed JSON"); // nesting deeper than the limit
}

TEST(AdapterSettings, FillTheContextAndRefuseBadValues) {
  ParseContext context;
  apply_settings(context, "vera", {{"vera.source", "vera:woonstad"}, {"vera.max_document_bytes", "2048"},
                                   {"vera.legal_basis.finance", "avg-6-1-f"}, {"vera.tenancy_attribute", "contract"},
                                   {"csv.source", "ignored-here"}});
  EXPECT_EQ(context.source, "vera:woonstad");
  EXPECT_EQ(context.max_document_bytes, 2048u);
  EXPECT_EQ(context.legal_basis_for("finance"), "avg-6-1-f");
  EXPECT_EQ(context.legal_basis_for("care"), "avg-9-2-h");
  EXPECT_EQ(context.legal_basis_for("unknown"), "");
  EXPECT_EQ(context.setting("vera.tenancy_attribute").value_or(""), "contract");
  EXPECT_THROW(apply_settings(context, "vera", {{"vera.max_document_bytes", "0"}}), std::invalid_argument);
  EXPECT_THROW(apply_settings(context, "vera", {{"vera.max_document_bytes", "12kb"}}), std::invalid_argument);
  EXPECT_THROW(apply_settings(context, "vera", {{"vera.source", ""}}), std::invalid_argument);
}

ParsedBatch echo_document(std::string_view document, const ParseContext &context) {
  ParsedBatch batch;
  batch.source = context.source;
  batch.items = 1;
  OwnedSignal signal;
  signal.external_id = std::string(document);
  batch.signals.push_back(signal);
  return batch;
}

TEST(AdapterRegistry, FindsByNameAndRefusesDuplicates) {
  static const Adapter echo{"echo", "test", echo_document, nullptr};
  static const Adapter broken{"broken", "no parser", nullptr, nullptr};
  AdapterRegistry registry;
  registry.add(echo);
  EXPECT_EQ(registry.find("echo"), &echo);
  EXPECT_EQ(registry.find("other"), nullptr);
  EXPECT_THROW(registry.add(echo), std::invalid_argument);
  EXPECT_THROW(registry.add(broken), std::invalid_argument);
  EXPECT_EQ(registry.names(), std::vector<std::string>{"echo"});
}

TEST(ParseFile, ReadsTheFileAndRefusesWhatItCannot) {
  static const Adapter echo{"echo", "test", echo_document, nullptr};
  test::ScratchDir scratch;
  std::ofstream(scratch.path() / "small.txt") << "E-1";
  ParseContext context;
  context.source = "echo:test";
  auto batch = parse_file(echo, scratch.path() / "small.txt", context);
  ASSERT_EQ(batch.signals.size(), 1u);
  EXPECT_EQ(batch.signals[0].external_id, "E-1");
  EXPECT_EQ(batch.source, "echo:test");
  context.max_document_bytes = 2;
  batch = parse_file(echo, scratch.path() / "small.txt", context);
  ASSERT_EQ(batch.rejections.size(), 1u);
  EXPECT_EQ(batch.rejections[0].message(), "document: is larger than the limit of 2 bytes");
  batch = parse_file(echo, scratch.path() / "absent.txt", context);
  ASSERT_EQ(batch.rejections.size(), 1u);
  EXPECT_EQ(batch.rejections[0].field, "file");
}

TEST(SignalClasses, FollowTheProductTable) {
  EXPECT_EQ(signal_data_class("SCH", "BET"), "finance");
  EXPECT_EQ(signal_data_class("ONE", "OND"), "housing");
  EXPECT_EQ(signal_data_class("ONB", ""), "care");
  EXPECT_EQ(signal_data_class("X-AFS", ""), "contact");
  EXPECT_EQ(signal_data_class("SCH", "XYZ"), "");
}

TEST(ProgressReporter, FormatsCountRateAndEta) {
  EXPECT_EQ(ProgressReporter::format_line(4500, 10000, 3.0, true),
            "[##########..............] 4500/10000 45%  1500/s  ETA 0:04");
  EXPECT_EQ(ProgressReporter::format_line(10000, 10000, 4.0, false), "10000/10000 100%  2500/s");
  EXPECT_EQ(ProgressReporter::format_line(120, 0, 2.0, true), "120  60/s");
  EXPECT_EQ(ProgressReporter::format_line(1, 10000, 1.0, false), "1/10000 0%  1/s  ETA 2:46:39");
  // Slow work (a backtest's parts) shows tenths rather than "0/s".
  EXPECT_EQ(ProgressReporter::format_line(3, 20, 12.0, true), "[###.....................] 3/20 15%  0.2/s  ETA 1:08");
  EXPECT_EQ(ProgressReporter::format_line(0, 20, 5.0, false), "0/20 0%  0/s");
}

TEST(ProgressReporter, PlainLinesEveryTenthAndARedrawnBarOnATerminal) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point now{};
  auto clock = [&] { return now; };
  std::ostringstream plain;
  ProgressReporter lines(plain, false, 0, clock);
  lines.begin("export.csv", 100);
  for (int done = 1; done <= 100; ++done) {
    now += std::chrono::milliseconds(10);
    lines.update(static_cast<std::uint64_t>(done));
  }
  lines.finish();
  const std::string text = plain.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 10) << text; // 10%..90%, then done
  EXPECT_NE(text.find("export.csv: 10/100 10%  100/s  ETA 0:01\n"), std::string::npos) << text;
  EXPECT_NE(text.find("export.csv: 100/100 100%  100/s done\n"), std::string::npos) << text;

  std::ostringstream bar;
  ProgressReporter terminal(bar, true, 0, clock);
  terminal.begin("export.csv", 100);
  terminal.update(1);
  terminal.update(2); // within 100 ms: not redrawn
  now += std::chrono::milliseconds(150);
  terminal.update(50);
  terminal.finish();
  const std::string drawn = bar.str();
  EXPECT_EQ(std::count(drawn.begin(), drawn.end(), '\r'), 3) << drawn;
  EXPECT_EQ(drawn.back(), '\n');
  EXPECT_NE(drawn.find("\x1b[K"), std::string::npos);
}

} // namespace
} // namespace hearth::adapters
