// The dashboards' SVG charts (plugins/dashboards/src/svg.hpp): every chart is well-formed
// XML (parsed with Poco's DOM parser), names itself with <title>/<desc>, escapes every text
// it is given, prints the numbers it shows, and never prints a locale's decimal comma.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/SAX/SAXException.h>

#include "svg.hpp"

namespace svg = hearth::dashboards::svg;

namespace {

const std::string kHostile = "<script>alert(\"x\")</script> & 'quote'";

// Parses `markup` as XML; fails the test when it is not well-formed.
Poco::AutoPtr<Poco::XML::Document> parse(const std::string &markup) {
  Poco::XML::DOMParser parser;
  try {
    return parser.parseString(markup);
  } catch (const Poco::Exception &e) {
    ADD_FAILURE() << "not well-formed XML: " << e.displayText() << "\n" << markup;
    return nullptr;
  }
}

std::size_t count_of(const Poco::XML::Document &document, const std::string &tag) {
  Poco::AutoPtr<Poco::XML::NodeList> nodes = document.getElementsByTagName(tag);
  return nodes->length();
}

// The root is an accessible image named by its own <title> and <desc>.
void expect_accessible(const Poco::XML::Document &document, const std::string &id) {
  const Poco::XML::Element *root = document.documentElement();
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->nodeName(), "svg");
  EXPECT_EQ(root->getAttribute("role"), "img");
  EXPECT_EQ(root->getAttribute("aria-labelledby"), id + "-title " + id + "-desc");
  EXPECT_EQ(root->namespaceURI(), "http://www.w3.org/2000/svg");
  EXPECT_GE(count_of(document, "title"), 1u);
  EXPECT_EQ(count_of(document, "desc"), 1u);
}

svg::ChartText hostile_text(const std::string &id) { return {id, "Title " + kHostile, "Desc " + kHostile}; }

void expect_escaped(const std::string &markup) {
  EXPECT_EQ(markup.find("<script>"), std::string::npos) << markup;
  EXPECT_NE(markup.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quote&#39;"), std::string::npos);
}

} // namespace

TEST(SvgText, EscapesMarkupAndControlCharacters) {
  EXPECT_EQ(svg::xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(svg::xml_escape(std::string("x\x01y", 3)), "x\xEF\xBF\xBDy");
  EXPECT_EQ(svg::xml_escape("tab\tnew\nline"), "tab\tnew\nline");
  EXPECT_EQ(svg::xml_escape("Oosterparkstraat ß"), "Oosterparkstraat ß");
}

TEST(SvgText, NumbersUseAPointAndNoNegativeZero) {
  EXPECT_EQ(svg::number(1.25, 1), "1.2");
  EXPECT_EQ(svg::number(2.0), "2");
  EXPECT_EQ(svg::number(-0.01), "0");
  EXPECT_EQ(svg::number(0.3333, 2), "0.33");
  EXPECT_EQ(svg::number(std::nan("")), "0");
  EXPECT_EQ(svg::number(std::numeric_limits<double>::infinity()), "0");
  EXPECT_EQ(svg::number(1234567.0, 0), "1234567");
}

TEST(SvgLineChart, DrawsTheTrendWithThresholdsAndDates) {
  svg::LineChart chart;
  chart.text = hostile_text("trend-T1");
  chart.x_label = "Datum";
  chart.y_label = "Score " + kHostile;
  chart.lang = "nl";
  // Out of order on purpose: drawn by time.
  chart.points = {{1772442000000, 42}, {1769850000000, 12}, {1771000000000, 30.5}};
  chart.thresholds = {{30, "oranje", "amber"}, {60, "rood", "red\"><script>"}};
  const std::string markup = svg::line_chart(chart);
  auto document = parse(markup);
  ASSERT_TRUE(document);
  expect_accessible(*document, "trend-T1");
  expect_escaped(markup);
  EXPECT_EQ(count_of(*document, "polyline"), 1u);
  EXPECT_EQ(count_of(*document, "circle"), 3u);
  EXPECT_NE(markup.find("31-01-2026"), std::string::npos) << "first date, Dutch order";
  EXPECT_NE(markup.find("02-03-2026"), std::string::npos) << "last date, Dutch order";
  EXPECT_NE(markup.find("oranje (30)"), std::string::npos);
  EXPECT_NE(markup.find("rood (60)"), std::string::npos);
  EXPECT_NE(markup.find("class=\"threshold redscript\""), std::string::npos) << "css class filtered";
  EXPECT_NE(markup.find(">42<"), std::string::npos) << "the latest value is printed";
  chart.lang = "en";
  EXPECT_NE(svg::line_chart(chart).find("2026-03-02"), std::string::npos);
}

TEST(SvgLineChart, SaysSoWhenEmptyAndHandlesOnePoint) {
  svg::LineChart chart;
  chart.text = {"", "Trend", "Nothing yet"};
  chart.empty_text = "Nog geen scores <none>";
  const std::string empty = svg::line_chart(chart);
  auto document = parse(empty);
  ASSERT_TRUE(document);
  expect_accessible(*document, "chart");
  EXPECT_NE(empty.find("Nog geen scores &lt;none&gt;"), std::string::npos);
  chart.points = {{1772442000000, 7}};
  const std::string one = svg::line_chart(chart);
  ASSERT_TRUE(parse(one));
  EXPECT_EQ(one.find("nan"), std::string::npos);
  EXPECT_NE(one.find(">7<"), std::string::npos);
}

TEST(SvgHeatGrid, PrintsEveryNumberAndMarksCellsOverTheLimit) {
  svg::HeatGrid grid;
  grid.text = hostile_text("heat");
  grid.rows = {"Oosterparkstraat A (1091AB)", "Straat <b>"};
  grid.columns = {"open cases", "stalled"};
  grid.values = {{3, 0}, {1}}; // second row short: padded with "absent"
  grid.limits = {2, std::nullopt};
  const std::string markup = svg::heat_grid(grid);
  auto document = parse(markup);
  ASSERT_TRUE(document);
  expect_accessible(*document, "heat");
  expect_escaped(markup);
  EXPECT_NE(markup.find("Straat &lt;b&gt;"), std::string::npos);
  EXPECT_EQ(count_of(*document, "rect"), 4u);
  EXPECT_NE(markup.find(">3 !<"), std::string::npos) << "over the limit is said in text, not colour only";
  EXPECT_NE(markup.find(">1<"), std::string::npos);
  EXPECT_NE(markup.find(">–<"), std::string::npos) << "an absent value";
  EXPECT_NE(markup.find("≤ 2"), std::string::npos) << "the limit is printed";
  EXPECT_NE(markup.find("class=\"cell over\""), std::string::npos);
}

TEST(SvgHeatGrid, ACellLimitReplacesItsColumnsLimit) {
  svg::HeatGrid grid;
  grid.text = {"cells", "Per street and entrance", "Open cases against each scope's limit"};
  grid.rows = {"Oosterparkstraat", "Oosterparkstraat 1091AB A", "Wibautstraat"};
  grid.columns = {"open cases"};
  grid.values = {{4}, {3}, {4}};
  grid.limits = {5};                                  // the street's limit
  grid.cell_limits = {{}, {3}, {std::nullopt}};       // the entrance's limit on row 2 only
  const std::string markup = svg::heat_grid(grid);
  auto document = parse(markup);
  ASSERT_TRUE(document);
  const auto over_cells = [&] {
    std::size_t n = 0;
    for (auto at = markup.find("class=\"cell over\""); at != std::string::npos; at = markup.find("class=\"cell over\"", at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(over_cells(), 1u) << "only the entrance is at its limit";
  EXPECT_NE(markup.find(">3 !<"), std::string::npos);
  EXPECT_EQ(markup.find(">4 !<"), std::string::npos) << "4 is under the street limit of 5";
}

TEST(SvgHeatGrid, EmptyGridIsStillAnAccessibleImage) {
  svg::HeatGrid grid;
  grid.text = {"h", "Buurt", "Geen open zaken"};
  grid.empty_text = "Geen gegevens";
  const std::string markup = svg::heat_grid(grid);
  auto document = parse(markup);
  ASSERT_TRUE(document);
  expect_accessible(*document, "h");
  EXPECT_NE(markup.find("Geen gegevens"), std::string::npos);
}

TEST(SvgHistogram, OneBarPerBinWithItsCount) {
  svg::Histogram chart;
  chart.text = hostile_text("lead-time");
  chart.x_label = "days";
  chart.y_label = "tenancies";
  chart.bins = {{"0–29", 4}, {"30–59", 11}, {"60–89 <x>", 0}};
  const std::string markup = svg::histogram(chart);
  auto document = parse(markup);
  ASSERT_TRUE(document);
  expect_accessible(*document, "lead-time");
  expect_escaped(markup);
  EXPECT_EQ(count_of(*document, "rect"), 3u);
  EXPECT_NE(markup.find(">11<"), std::string::npos);
  EXPECT_NE(markup.find("60–89 &lt;x&gt;"), std::string::npos);
  chart.bins.clear();
  chart.empty_text = "none";
  ASSERT_TRUE(parse(svg::histogram(chart)));
}

TEST(SvgPrecisionRecall, PlotsPointsWithinTheUnitSquare) {
  svg::PrecisionRecall chart;
  chart.text = hostile_text("pr");
  chart.x_label = "recall";
  chart.y_label = "precision";
  chart.points = {{60, 0.8, 0.4}, {30, 0.5, 0.9}, {90, 1.5, -0.2}}; // the last is clamped
  const std::string markup = svg::precision_recall(chart);
  auto document = parse(markup);
  ASSERT_TRUE(document);
  expect_accessible(*document, "pr");
  expect_escaped(markup);
  EXPECT_EQ(count_of(*document, "circle"), 3u);
  EXPECT_NE(markup.find("≥ 60"), std::string::npos);
  Poco::AutoPtr<Poco::XML::NodeList> circles = document->getElementsByTagName("circle");
  for (unsigned long i = 0; i < circles->length(); ++i) {
    const auto *circle = static_cast<Poco::XML::Element *>(circles->item(i));
    const double cx = std::stod(circle->getAttribute("cx"));
    const double cy = std::stod(circle->getAttribute("cy"));
    EXPECT_GE(cx, 56.0);
    EXPECT_LE(cx, 616.0);
    EXPECT_GE(cy, 24.0);
    EXPECT_LE(cy, 264.0);
  }
}

TEST(SvgIds, OnlySafeCharactersReachTheIds) {
  svg::Histogram chart;
  chart.text = {"a\"b c<d>", "t", "d"};
  chart.bins = {{"x", 1}};
  const std::string markup = svg::histogram(chart);
  auto document = parse(markup);
  ASSERT_TRUE(document);
  expect_accessible(*document, "abcd");
}
