// The metrics registry's text format and its refusals.
#include <gtest/gtest.h>

#include "metrics/metrics.hpp"

namespace hearth::metrics {
namespace {

TEST(MetricsRegistry, RendersCountersGaugesAndHistogramsInTheTextFormat) {
  Registry registry;
  registry.describe("hearth_a_total", Kind::counter, "A counter.");
  registry.add("hearth_a_total", "b=2,a=1", 2);
  registry.add("hearth_a_total", "a=1,b=2", 0.5);
  registry.set("hearth_g", "", -3);
  registry.observe("hearth_h_seconds", "r=x", 0.003);
  registry.observe("hearth_h_seconds", "r=x", 20);
  const std::string text = registry.render();
  EXPECT_NE(text.find("# HELP hearth_a_total A counter.\n# TYPE hearth_a_total counter\n"
                      "hearth_a_total{a=\"1\",b=\"2\"} 2.5\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE hearth_g gauge\nhearth_g -3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("hearth_h_seconds_bucket{r=\"x\",le=\"0.001\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("hearth_h_seconds_bucket{r=\"x\",le=\"0.005\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("hearth_h_seconds_bucket{r=\"x\",le=\"10\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("hearth_h_seconds_bucket{r=\"x\",le=\"+Inf\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("hearth_h_seconds_sum{r=\"x\"} 20.003\n"), std::string::npos) << text;
  EXPECT_NE(text.find("hearth_h_seconds_count{r=\"x\"} 2\n"), std::string::npos) << text;
}

TEST(MetricsRegistry, EscapesLabelValues) {
  Registry registry;
  registry.set("hearth_g", "v=a\"b\\c", 1);
  EXPECT_NE(registry.render().find("hearth_g{v=\"a\\\"b\\\\c\"} 1\n"), std::string::npos) << registry.render();
}

TEST(MetricsRegistry, RefusesBadNamesLabelsStepsAndKinds) {
  Registry registry;
  EXPECT_THROW(registry.add("9lives", ""), std::invalid_argument);
  EXPECT_THROW(registry.add("has space", ""), std::invalid_argument);
  EXPECT_THROW(registry.add("hearth_x", "novalue"), std::invalid_argument);
  EXPECT_THROW(registry.add("hearth_x", "__reserved=1"), std::invalid_argument);
  EXPECT_THROW(registry.add("hearth_x", "", -1), std::invalid_argument);
  registry.add("hearth_x", "");
  EXPECT_THROW(registry.set("hearth_x", "", 1), std::invalid_argument);
  EXPECT_THROW(registry.describe("hearth_x", Kind::gauge, "other kind"), std::invalid_argument);
}

} // namespace
} // namespace hearth::metrics
