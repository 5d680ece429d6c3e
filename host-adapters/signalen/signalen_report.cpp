#include "signalen_report.hpp"

#include <regex>
#include <sstream>
#include <stdexcept>

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>
#include <Poco/String.h>

#include <hearth/status.h>

#include "adapter_common/input_checks.hpp"

namespace hearth::adapters::signalen {
namespace {

// SHA-256 with the block and digest sizes Poco::HMACEngine asks of its engine.
class Sha256 : public Poco::SHA2Engine {
public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

std::string hex32(const Poco::DigestEngine::Digest &digest) {
  return Poco::DigestEngine::digestToHex(digest).substr(0, 32);
}

// Signal types a neighbour's report may become (docs/data.md): nuisance, and ONE/OND.
bool allowed_report_type(const std::string &code) {
  static const std::regex allowed(R"(^(OVE(/GEL)?|ONE(/(VER|DRU|HEN|OND))?|AGR(/(VEB|FYS))?|WAN)$)");
  return std::regex_match(code, allowed);
}

std::string category_of(const JsonFields &location_parent) {
  const JsonFields category = location_parent.child("category");
  if (category.has("sub_category")) {
    const std::string url = category.text("sub_category");
    static const std::regex shape(R"(/terms/categories/([a-z0-9-]+)/sub_categories/([a-z0-9-]+)/?$)");
    std::smatch parts;
    if (!std::regex_search(url, parts, shape)) {
      throw FieldProblem(category.field("sub_category"), "is not a Signalen category URL");
    }
    return parts[1].str() + "/" + parts[2].str();
  }
  if (category.has("main_slug") || category.has("sub_slug")) {
    return category.text("main_slug") + "/" + category.text("sub_slug");
  }
  throw FieldProblem(category.field("sub_category"), "is missing (nor are main_slug and sub_slug given)");
}

ReportAddress address_of(const JsonFields &location) {
  const JsonFields address = location.child("address");
  ReportAddress out;
  out.openbare_ruimte = address.optional_text("openbare_ruimte");
  out.huisnummer = address.integer("huisnummer");
  if (out.huisnummer < 1 || out.huisnummer > 99999) {
    throw FieldProblem(address.field("huisnummer"), "must be between 1 and 99999");
  }
  out.huisletter = address.optional_text("huisletter");
  out.toevoeging = address.optional_text("huisnummer_toevoeging");
  if (out.huisletter.size() > 1 || out.toevoeging.size() > 4) {
    throw FieldProblem(address.field(out.huisletter.size() > 1 ? "huisletter" : "huisnummer_toevoeging"),
                       "is longer than the BAG allows");
  }
  std::string postcode = address.text("postcode");
  static const std::regex dutch(R"(^([1-9][0-9]{3}) ?([A-Za-z]{2})$)");
  std::smatch parts;
  if (!std::regex_match(postcode, parts, dutch)) {
    throw FieldProblem(address.field("postcode"), "is not a Dutch postcode (1234AB)");
  }
  out.postcode = parts[1].str() + Poco::toUpper(parts[2].str());
  out.woonplaats = address.optional_text("woonplaats");
  return out;
}

// The key of a report without a Signalen id: its time, place and text, hashed.
std::string derived_key(const JsonFields &fields, const Report &report) {
  Sha256 engine;
  const std::string material = std::to_string(report.occurred_at_ms) + "|" +
                               report.address.postcode + "|" + std::to_string(report.address.huisnummer) + "|" +
                               report.address.entrance() + "|" + fields.text("text");
  engine.update(material);
  return "sha256:" + hex32(engine.digest());
}

std::vector<std::string> words_of(std::string text) {
  for (char &c : text) {
    if (c == ',') {
      c = ' ';
    }
  }
  std::istringstream in(text);
  std::vector<std::string> out;
  std::string word;
  while (in >> word) {
    out.push_back(word);
  }
  return out;
}

} // namespace

std::string ReportAddress::entrance() const {
  if (huisletter.empty()) {
    return toevoeging;
  }
  return toevoeging.empty() ? huisletter : huisletter + "-" + toevoeging;
}

ReportRules read_report_rules(const ParseContext &context) {
  ReportRules rules;
  rules.reporter_key = context.setting("signalen.reporter_key").value_or("");
  if (rules.reporter_key.size() < 16) {
    throw std::invalid_argument("signalen.reporter_key: must be a secret of at least 16 characters");
  }
  for (const auto &entry : words_of(context.setting("signalen.categories").value_or(""))) {
    const auto equals = entry.find('=');
    const auto slash = entry.find('/');
    if (equals == std::string::npos || slash == std::string::npos || slash > equals || equals + 1 == entry.size()) {
      throw std::invalid_argument("signalen.categories: '" + entry + "' is not <main>/<sub>=<TYPE>[/<DETAIL>]");
    }
    const std::string code = entry.substr(equals + 1);
    if (!allowed_report_type(code)) {
      throw std::invalid_argument("signalen.categories: '" + entry +
                                  "' maps to a type a nuisance report cannot have (OVE, ONE, AGR, WAN)");
    }
    if (!rules.categories.emplace(entry.substr(0, equals), code).second) {
      throw std::invalid_argument("signalen.categories: '" + entry.substr(0, equals) + "' is mapped twice");
    }
  }
  if (rules.categories.empty()) {
    throw std::invalid_argument("signalen.categories: maps no category");
  }
  return rules;
}

std::string reporter_pseudonym(const std::string &key, const std::string &email, bool sharing_allowed,
                               const std::string &external_id) {
  if (sharing_allowed && !email.empty()) {
    Poco::HMACEngine<Sha256> hmac(key);
    hmac.update(Poco::toLower(Poco::trim(email)));
    return "signalen-melder:" + hex32(hmac.digest());
  }
  Poco::HMACEngine<Sha256> hmac(key);
  hmac.update("report|" + external_id);
  return "signalen-melding:" + hex32(hmac.digest());
}

Report read_report(const Poco::Dynamic::Var &value, const std::string &path, const ReportRules &rules,
                   const ParseContext &context) {
  const JsonFields fields(value, path);
  Report report;
  fields.text("text"); // required; never kept (free text about people)
  report.category = category_of(fields);
  if (rules.categories.count(report.category) == 0 &&
      rules.categories.count(report.category.substr(0, report.category.find('/')) + "/*") == 0) {
    throw FieldProblem(fields.field("category"), "is not a category this adapter maps (signalen.categories)");
  }
  const JsonFields location = fields.child("location");
  report.buurt_code = location.optional_text("buurt_code");
  report.address = address_of(location);
  report.occurred_at_ms = fields.time("incident_date_start");
  if (const auto failure = check_not_future(report.occurred_at_ms, context.now_ms, context.max_future_skew_ms)) {
    throw FieldProblem(fields.field("incident_date_start"), failure->reason);
  }
  std::string email;
  if (fields.has("reporter")) {
    const JsonFields reporter = fields.child("reporter");
    email = reporter.optional_text("email");
    if (reporter.has("sharing_allowed")) {
      const auto sharing = reporter.object()->get("sharing_allowed");
      if (!sharing.isBoolean()) {
        throw FieldProblem(reporter.field("sharing_allowed"), "must be true or false");
      }
      report.sharing_allowed = sharing.extract<bool>();
    }
    reporter.optional_text("phone"); // type-checked, never kept
  }
  if (fields.has("id")) {
    const std::int64_t id = fields.integer("id");
    if (id < 1) {
      throw FieldProblem(fields.field("id"), "must be a positive whole number");
    }
    report.signalen_id = std::to_string(id);
    report.external_id = "signalen:" + report.signalen_id;
  } else {
    report.external_id = derived_key(fields, report);
  }
  report.reporter_user = reporter_pseudonym(rules.reporter_key, email, report.sharing_allowed, report.external_id);
  return report;
}

OwnedSignal report_signal(const Report &report, const std::optional<UnitMatch> &match, const ReportRules &rules,
                          const ParseContext &context, const std::string &path) {
  const std::string field = path.empty() ? "location.address" : path + ".location.address";
  if (!match) {
    throw FieldProblem(field, "matches no unit Hearth knows");
  }
  if (match->tenancy_id.empty()) {
    throw FieldProblem(field, "the unit has no current tenancy");
  }
  auto code = rules.categories.find(report.category);
  if (code == rules.categories.end()) {
    code = rules.categories.find(report.category.substr(0, report.category.find('/')) + "/*");
  }
  OwnedSignal signal;
  signal.source = context.source;
  signal.external_id = report.external_id;
  const auto slash = code->second.find('/');
  signal.type = code->second.substr(0, slash);
  signal.detail = slash == std::string::npos ? std::string() : code->second.substr(slash + 1);
  signal.tenancy_id = match->tenancy_id;
  signal.occurred_at_ms = report.occurred_at_ms;
  const bool housing = signal.type == "ONE" && signal.detail == "OND";
  signal.legal_basis = context.legal_basis_for(housing ? "housing" : "nuisance");
  signal.purpose = context.purpose;
  signal.reporter_user = report.reporter_user;
  return signal;
}

ParsedBatch parse_signalen_reports(std::string_view document, const ParseContext &context, const AddressLookup &lookup) {
  ParsedBatch batch;
  batch.source = context.source;
  ReportRules rules;
  try {
    rules = read_report_rules(context);
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
  const auto read_one = [&](const Poco::Dynamic::Var &value, const std::string &path, std::uint32_t index) {
    ++batch.items;
    try {
      const Report report = read_report(value, path, rules, context);
      std::optional<UnitMatch> match;
      if (lookup) {
        match = lookup(report.address);
      } else {
        throw FieldProblem(path.empty() ? "location.address" : path + ".location.address",
                           "cannot be linked to a unit here: no address lookup is available");
      }
      batch.signals.push_back(report_signal(report, match, rules, context, path));
    } catch (const FieldProblem &problem) {
      std::string payload;
      try {
        payload = value.toString();
      } catch (...) {
        payload.clear();
      }
      batch.reject(index, problem.field(), problem.reason(), payload);
    }
  };
  if (root.type() == typeid(Poco::JSON::Array::Ptr)) {
    const auto list = root.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < list->size(); ++i) {
      read_one(list->get(static_cast<unsigned>(i)), "document[" + std::to_string(i) + "]", static_cast<std::uint32_t>(i));
    }
  } else {
    read_one(root, "", 0);
  }
  return batch;
}

AddressLookup lookup_through(const ParseContext &context) {
  if (!context.read) {
    return {};
  }
  return [&context](const ReportAddress &address) -> std::optional<UnitMatch> {
    Poco::JSON::Object args;
    args.set("postcode", address.postcode);
    args.set("house_number", std::to_string(address.huisnummer));
    args.set("entrance", address.entrance());
    std::ostringstream text;
    args.stringify(text);
    std::string answer;
    const std::int32_t status = context.read("unit.by-address", text.str(), answer);
    if (status == HEARTH_ERROR_NOT_FOUND) {
      return std::nullopt;
    }
    if (status != HEARTH_OK) {
      throw std::runtime_error("view unit.by-address: " + answer);
    }
    const auto unit = Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Object::Ptr>();
    return UnitMatch{unit->optValue<std::string>("unit_id", ""),
                     unit->isNull("tenancy_id") ? std::string() : unit->optValue<std::string>("tenancy_id", "")};
  };
}

ParsedBatch parse_signalen_document(std::string_view document, const ParseContext &context) {
  try {
    return parse_signalen_reports(document, context, lookup_through(context));
  } catch (const std::runtime_error &e) {
    // The lookup failed (not the input): one rejection naming the place, for the summary.
    ParsedBatch batch;
    batch.source = context.source;
    batch.items = 1;
    batch.reject(0, "location.address", std::string("could not be looked up: ") + e.what());
    return batch;
  }
}

const Adapter &signalen_adapter() {
  static const Adapter adapter{"signalen", "Signalen reports (JSON): one report or an array per file",
                               &parse_signalen_document, nullptr};
  return adapter;
}

} // namespace hearth::adapters::signalen
