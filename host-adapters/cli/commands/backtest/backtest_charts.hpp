// The backtest's charts as standalone SVG documents, drawn from the report JSON: the
// distribution of highest scores (adverse outcomes and others, stacked), precision against
// recall over every threshold, and the lead-time histogram.
#pragma once

#include <string>

#include <Poco/JSON/Object.h>

namespace hearth::cli {

std::string score_distribution_svg(const Poco::JSON::Object::Ptr &report);
std::string precision_recall_svg(const Poco::JSON::Object::Ptr &report);
std::string lead_time_svg(const Poco::JSON::Object::Ptr &report);

} // namespace hearth::cli
