#include "plugin/flag_record.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

namespace hearth::early_warning {
namespace {

// A number rounded to 4 decimals, so that stored contributions compare as text.
double rounded(double value) { return std::round(value * 10000.0) / 10000.0; }

Poco::JSON::Array::Ptr lines(const std::vector<std::string> &texts) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto &text : texts) {
    out->add(text);
  }
  return out;
}

} // namespace

std::string to_json_text(const Poco::Dynamic::Var &value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

std::string flag_id(std::uint64_t seq, const std::string &sha256) {
  return "F" + std::to_string(seq) + "-" + sha256.substr(0, 12);
}

std::string inputs_to_json(const std::vector<SignalInput> &inputs) {
  Poco::JSON::Array list;
  for (const auto &in : inputs) {
    Poco::JSON::Object item;
    item.set("seq", in.seq);
    item.set("type", in.type);
    item.set("detail", in.detail);
    item.set("occurred_at_ms", in.occurred_at_ms);
    item.set("amount_cents", in.amount_cents);
    item.set("severity", in.severity);
    list.add(item);
  }
  return to_json_text(list);
}

std::vector<SignalInput> inputs_from_json(const std::string &json) {
  std::vector<SignalInput> inputs;
  try {
    const auto list = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto item = list->getObject(static_cast<unsigned>(i));
      SignalInput in;
      in.seq = item->getValue<std::uint64_t>("seq");
      in.type = item->getValue<std::string>("type");
      in.detail = item->getValue<std::string>("detail");
      in.occurred_at_ms = item->getValue<std::int64_t>("occurred_at_ms");
      in.amount_cents = item->getValue<std::int64_t>("amount_cents");
      in.severity = item->getValue<std::int32_t>("severity");
      inputs.push_back(std::move(in));
    }
  } catch (const Poco::Exception &e) {
    throw std::runtime_error("stored inputs are not a list of signals: " + e.displayText());
  }
  return inputs;
}

std::string contributions_to_json(const RuleSet &rules, const ScoreBreakdown &score) {
  Poco::JSON::Object out;
  out.set("at_minute", score.at_minute);
  out.set("total", score.total);
  out.set("level", level_name(score.level));
  Poco::JSON::Array categories;
  for (const auto &c : score.categories) {
    Poco::JSON::Object item;
    item.set("category", rules.categories[c.category].id);
    item.set("signals", c.signals);
    item.set("value", rounded(c.value));
    item.set("capped", c.capped);
    item.set("points", c.points);
    categories.add(item);
  }
  out.set("categories", categories);
  Poco::JSON::Array combinations;
  for (const auto &c : score.combinations) {
    Poco::JSON::Object item;
    item.set("combination", rules.combinations[c.combination].id);
    item.set("points", c.points);
    combinations.add(item);
  }
  out.set("combinations", combinations);
  Poco::JSON::Array signals;
  for (const auto &s : score.signals) {
    Poco::JSON::Object item;
    item.set("seq", s.seq);
    item.set("category", s.category < 0 ? std::string() : rules.categories[static_cast<std::size_t>(s.category)].id);
    item.set("points", rounded(s.points));
    item.set("decayed", rounded(s.decayed));
    item.set("superseded", s.superseded);
    signals.add(item);
  }
  out.set("signals", signals);
  return to_json_text(out);
}

Poco::JSON::Object::Ptr flag_to_json(const FlagRecord &flag, const RuleSet &rules, const ScoreBreakdown &score,
                                     Language language) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  out->set("id", flag.id);
  out->set("tenancy_id", flag.tenancy_id);
  out->set("level", flag.level);
  out->set("score", flag.score);
  out->set("status", status_name(flag.decision.status));
  out->set("evaluated_at_ms", flag.evaluated_at_ms);
  out->set("raised_at_ms", flag.raised_at_ms);
  Poco::JSON::Object rule_set;
  rule_set.set("name", rules.name);
  rule_set.set("version", flag.rule_set_version);
  rule_set.set("sha256", flag.rule_set_sha256);
  out->set("rule_set", rule_set);
  const Explanation explanation = explain(rules, score, language);
  Poco::JSON::Object text;
  text.set("language", language == Language::nl ? "nl" : "en");
  text.set("lines", lines(explanation.lines));
  text.set("summary", explanation.summary);
  text.set("advice", explanation.advice);
  text.set("rule_set", explanation.rule_set);
  out->set("explanation", text);
  if (flag.decision.status == FlagStatus::proposed) {
    out->set("decision", Poco::Dynamic::Var());
  } else {
    out->set("decision", decision_to_json(flag.decision));
  }
  Poco::JSON::Array::Ptr decisions = new Poco::JSON::Array;
  for (const auto &decision : flag.decisions) {
    decisions->add(decision_to_json(decision));
  }
  out->set("decisions", decisions);
  return out;
}

Poco::JSON::Object::Ptr decision_to_json(const Decision &decision) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  out->set("number", decision.number);
  out->set("status", status_name(decision.status));
  out->set("level", decision.level);
  out->set("by", decision.by);
  out->set("on_behalf_of", decision.on_behalf_of);
  out->set("role", decision.role);
  out->set("organisation", decision.organisation);
  out->set("at_ms", decision.at_ms);
  out->set("reason", decision.reason);
  return out;
}

} // namespace hearth::early_warning
