#include "zgw_zaak.hpp"

#include <array>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "adapter_common/input_checks.hpp"
#include "zgw_urls.hpp"

namespace hearth::adapters::zgw {
namespace {

// The product's signal table (docs/data.md): type, its details ("" = none), data class;
// ONE/OND is the one detail whose class differs from its type's.
struct SignalTypeRow {
  std::string_view type;
  std::array<std::string_view, 4> details;
  std::string_view data_class;
};
constexpr std::array<SignalTypeRow, 9> kSignalTypes{{
    {"SCH", {"BET", "DEU", "MUT", ""}, "finance"},
    {"OVE", {"GEL", "", "", ""}, "nuisance"},
    {"ONE", {"VER", "DRU", "HEN", "OND"}, "nuisance"},
    {"AGR", {"VEB", "FYS", "", ""}, "nuisance"},
    {"WAN", {"", "", "", ""}, "nuisance"},
    {"ONB", {"AMB", "", "", ""}, "care"},
    {"X-REP", {"", "", "", ""}, "housing"},
    {"X-AFS", {"", "", "", ""}, "contact"},
    {"X-BTR", {"VBR", "", "", ""}, "finance"},
}};

constexpr std::int64_t kDayMs = 24LL * 3600LL * 1000LL;

bool is_uuid(const std::string &text) {
  static const std::regex shape("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  return std::regex_match(text, shape);
}

std::string url_field(const JsonFields &fields, const std::string &key) {
  std::string value = fields.text(key);
  if (value.size() > 1000) {
    throw FieldProblem(fields.field(key), "is longer than 1000 characters");
  }
  if (!is_http_url(value)) {
    throw FieldProblem(fields.field(key), "is not an absolute http(s) URL");
  }
  return value;
}

std::string rsin_field(const JsonFields &fields, const std::string &key) {
  std::string value = fields.text(key);
  if (const auto failure = check_bsn(value)) {
    throw FieldProblem(fields.field(key), "is not an RSIN: " + failure->reason);
  }
  return value;
}

// The tenancy id from the kenmerk whose bron is `bron`.
std::string tenancy_from_kenmerken(const JsonFields &fields, const std::string &bron) {
  const auto kenmerken = fields.optional_array("kenmerken");
  for (std::size_t i = 0; i < kenmerken->size(); ++i) {
    const JsonFields entry(kenmerken->get(static_cast<unsigned>(i)), fields.field("kenmerken") + "[" + std::to_string(i) + "]");
    if (entry.optional_text("bron") != bron) {
      continue;
    }
    std::string tenancy = entry.text("kenmerk");
    if (tenancy.size() > 40) {
      throw FieldProblem(entry.field("kenmerk"), "is longer than 40 characters");
    }
    if (!check_bsn(tenancy).has_value()) {
      throw FieldProblem(entry.field("kenmerk"), "looks like a BSN; a tenancy id is expected");
    }
    return tenancy;
  }
  throw FieldProblem(fields.field("kenmerken"), "has no kenmerk with bron '" + bron + "' naming the tenancy");
}

ZaaktypeRule rule_from(const std::string &code, const std::string &entry) {
  ZaaktypeRule rule;
  const auto slash = code.find('/');
  rule.type = code.substr(0, slash);
  rule.detail = slash == std::string::npos ? std::string() : code.substr(slash + 1);
  rule.data_class = signal_data_class(rule.type, rule.detail);
  if (rule.data_class.empty()) {
    throw std::invalid_argument("zgw.zaaktypes: '" + entry + "' maps to '" + code +
                                "', which is not a signal type and detail of docs/data.md");
  }
  return rule;
}

} // namespace

std::string signal_data_class(std::string_view type, std::string_view detail) {
  for (const auto &row : kSignalTypes) {
    if (row.type != type) {
      continue;
    }
    if (detail.empty()) {
      return std::string(row.data_class);
    }
    for (const auto known : row.details) {
      if (!known.empty() && known == detail) {
        return type == "ONE" && detail == "OND" ? "housing" : std::string(row.data_class);
      }
    }
    return {};
  }
  return {};
}

ZaakMapping read_zaak_mapping(const ParseContext &context) {
  ZaakMapping mapping;
  if (const auto bron = context.setting("zgw.tenancy_bron"); bron && !bron->empty()) {
    mapping.tenancy_bron = *bron;
  }
  std::string entries = context.setting("zgw.zaaktypes").value_or("");
  for (char &c : entries) {
    if (c == ',') {
      c = ' ';
    }
  }
  std::istringstream words(entries);
  std::string entry;
  while (words >> entry) {
    const auto equals = entry.rfind('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == entry.size()) {
      throw std::invalid_argument("zgw.zaaktypes: '" + entry + "' is not <zaaktype URL>=<TYPE>[/<DETAIL>]");
    }
    const std::string url = entry.substr(0, equals);
    if (!is_http_url(url)) {
      throw std::invalid_argument("zgw.zaaktypes: '" + url + "' is not an absolute http(s) URL");
    }
    if (!mapping.zaaktypes.emplace(url, rule_from(entry.substr(equals + 1), entry)).second) {
      throw std::invalid_argument("zgw.zaaktypes: '" + url + "' is mapped twice");
    }
  }
  return mapping;
}

ZaakOutcome read_zaak(const Poco::Dynamic::Var &zaak, const std::string &path, const ZaakMapping &mapping,
                      const ParseContext &context) {
  const JsonFields fields(zaak, path);
  ZaakOutcome outcome;
  url_field(fields, "url");
  outcome.zaak_uuid = fields.text("uuid");
  if (!is_uuid(outcome.zaak_uuid)) {
    throw FieldProblem(fields.field("uuid"), "is not a UUID");
  }
  const std::string zaaktype = url_field(fields, "zaaktype");
  rsin_field(fields, "bronorganisatie"); // checked, not kept: the source names the organisation
  const std::int64_t started_ms = fields.time("startdatum");
  if (const auto failure = check_not_future(started_ms, context.now_ms, std::max<std::int64_t>(context.max_future_skew_ms, kDayMs))) {
    throw FieldProblem(fields.field("startdatum"), failure->reason);
  }
  const auto rule = mapping.zaaktypes.find(zaaktype);
  if (rule == mapping.zaaktypes.end()) {
    return outcome;
  }
  OwnedSignal signal;
  signal.source = context.source;
  signal.external_id = outcome.zaak_uuid;
  signal.type = rule->second.type;
  signal.detail = rule->second.detail;
  signal.tenancy_id = tenancy_from_kenmerken(fields, mapping.tenancy_bron);
  signal.occurred_at_ms = started_ms;
  signal.legal_basis = context.legal_basis_for(rule->second.data_class);
  signal.purpose = context.purpose;
  outcome.signal = std::move(signal);
  return outcome;
}

ParsedBatch parse_zgw_document(std::string_view document, const ParseContext &context) {
  ParsedBatch batch;
  batch.source = context.source;
  ZaakMapping mapping;
  try {
    mapping = read_zaak_mapping(context);
  } catch (const std::invalid_argument &e) {
    batch.items = 1;
    batch.reject(0, "settings", e.what());
    return batch;
  }
  const auto parsed = parse_document_or_reject(batch, document);
  if (!parsed) {
    return batch;
  }
  const Poco::Dynamic::Var &root = *parsed;
  // The zaken to read, with the path each is named by.
  Poco::JSON::Array::Ptr list;
  std::string list_path;
  if (root.type() == typeid(Poco::JSON::Array::Ptr)) {
    list = root.extract<Poco::JSON::Array::Ptr>();
    list_path = "document";
  } else if (root.type() == typeid(Poco::JSON::Object::Ptr) &&
             root.extract<Poco::JSON::Object::Ptr>()->has("results")) {
    try {
      list = JsonFields(root, "PaginatedZaakList").array("results");
    } catch (const FieldProblem &problem) {
      batch.items = 1;
      batch.reject(0, problem.field(), problem.reason(), std::string(document));
      return batch;
    }
    list_path = "PaginatedZaakList.results";
  }
  const auto read_one = [&](const Poco::Dynamic::Var &zaak, const std::string &path, std::uint32_t index) {
    ++batch.items;
    try {
      auto outcome = read_zaak(zaak, path, mapping, context);
      if (outcome.signal) {
        batch.signals.push_back(std::move(*outcome.signal));
      } else {
        ++batch.ignored;
      }
    } catch (const FieldProblem &problem) {
      std::string payload;
      try {
        payload = zaak.toString();
      } catch (...) {
        payload.clear();
      }
      batch.reject(index, problem.field(), problem.reason(), payload);
    }
  };
  if (list.isNull()) {
    read_one(root, "Zaak", 0);
  } else {
    for (std::size_t i = 0; i < list->size(); ++i) {
      read_one(list->get(static_cast<unsigned>(i)), list_path + "[" + std::to_string(i) + "]", static_cast<std::uint32_t>(i));
    }
  }
  return batch;
}

const Adapter &zgw_adapter() {
  static const Adapter adapter{"zgw", "ZGW Zaken API zaken (JSON): one zaak, an array, or a GET /zaken page per file",
                               &parse_zgw_document, nullptr};
  return adapter;
}

} // namespace hearth::adapters::zgw
