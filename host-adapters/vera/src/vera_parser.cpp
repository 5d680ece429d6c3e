#include "vera_adapter/vera_parser.hpp"

#include <array>
#include <sstream>
#include <variant>

#include <Poco/JSON/Stringifier.h>

#include "adapter_common/input_checks.hpp"
#include "adapter_common/json_fields.hpp"
#include "vera_adapter/vera_codes.hpp"
#include "vera_adapter/vera_writeback.hpp"

namespace hearth::adapters::vera {
namespace {

constexpr std::array kResources = {
    VeraResource{"signaleringen", "Signalering", "Relaties.yaml", "Signaleringbericht"},
    VeraResource{"zaken", "Zaak", "BDO.yaml", "Zaken-Zaakbericht"},
    VeraResource{"overeenkomsten", "Overeenkomst", "BOG.yaml", "Overeenkomsten-Overeenkomstbericht"},
    VeraResource{"betalingsregelingen", "Betalingsregeling", "INC.yaml", "Betalingsregelingen-Betalingsregelingbericht"},
    VeraResource{"externe-incassos", "ExterneIncasso", "INC.yaml", "ExterneIncassos-ExterneIncassobericht"},
    VeraResource{"huuropzeggingen", "Huuropzegging", "VHE.yaml", "Huuropzeggingen-Huuropzeggingbericht"},
    VeraResource{"onderhoudsorders", "Onderhoudsorder", "OHD.yaml", "Onderhoudsorders-Onderhoudsorderbericht"},
};

// What parsing one message produced, before it joins the batch: all of it, or (on a
// FieldProblem) none of it.
struct ItemResult {
  std::vector<OwnedSignal> signals;
  std::vector<std::string> records;
};

// Reads one message. Throws FieldProblem for anything wrong with it.
class MessageReader {
public:
  MessageReader(const ParseContext &context, ItemResult &out) : context_(context), out_(out) {}

  void read(const VeraResource &resource, const JsonFields &message) {
    check_bsns(message.object(), message.path());
    if (resource.path == "signaleringen") {
      signalering(message);
    } else if (resource.path == "zaken") {
      zaak(message);
    } else if (resource.path == "overeenkomsten") {
      overeenkomst(message);
    } else if (resource.path == "betalingsregelingen") {
      betalingsregeling(message);
    } else if (resource.path == "externe-incassos") {
      externe_incasso(message);
    } else if (resource.path == "huuropzeggingen") {
      huuropzegging(message);
    } else {
      onderhoudsorder(message);
    }
  }

private:
  // Every "bsn" anywhere in the message must pass the elfproef; Hearth never stores it from
  // here (identifiers are pseudonymous), but a wrong one means the source record is wrong.
  void check_bsns(const Poco::JSON::Object::Ptr &object, const std::string &path) {
    for (const auto &[key, value] : *object) {
      const std::string at = path + "." + key;
      if (key == "bsn" && !value.isEmpty()) {
        if (!value.isString()) {
          throw FieldProblem(at, "must be a string");
        }
        if (auto failure = check_bsn(value.extract<std::string>())) {
          throw FieldProblem(at, failure->reason);
        }
      } else if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
        check_bsns(value.extract<Poco::JSON::Object::Ptr>(), at);
      } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
        const auto array = value.extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < array->size(); ++i) {
          if (auto element = array->getObject(static_cast<unsigned>(i)); !element.isNull()) {
            check_bsns(element, at + "[" + std::to_string(i) + "]");
          }
        }
      }
    }
  }

  // The code of Referentiedata field `key`, checked against VERA list `list`; "" when the
  // field is absent and not required.
  static std::string code(const JsonFields &owner, const std::string &key, std::string_view list, bool required) {
    if (!owner.has(key)) {
      if (required) {
        throw FieldProblem(owner.field(key), "is missing");
      }
      return {};
    }
    const JsonFields reference = owner.child(key);
    std::string value = reference.text("code");
    if (!is_vera_code(list, value)) {
      throw FieldProblem(reference.field("code"), "is not a " + std::string(list) + " code");
    }
    return value;
  }

  // The key of a message or of a "-sleutels" reference: id, else idExtern.
  static std::string key_of(const JsonFields &object) {
    std::string id = object.optional_text("id");
    if (id.empty()) {
      id = object.optional_text("idExtern");
    }
    if (id.empty()) {
      throw FieldProblem(object.field("id"), "is missing (give id or idExtern)");
    }
    return id;
  }

  // A required reference's key.
  static std::string reference_key(const JsonFields &owner, const std::string &key, const std::string &why) {
    if (!owner.has(key)) {
      throw FieldProblem(owner.field(key), "is missing: " + why);
    }
    return key_of(owner.child(key));
  }

  // The key of the first element of an array of references.
  static std::string first_reference_key(const JsonFields &owner, const std::string &key, const std::string &why) {
    const auto array = owner.optional_array(key);
    if (array->size() == 0) {
      throw FieldProblem(owner.field(key), "is missing: " + why);
    }
    return key_of(JsonFields(array->get(0), owner.field(key) + "[0]"));
  }

  // A date or date-time field, checked against the clock.
  std::int64_t when(const JsonFields &owner, const std::string &key) const {
    const std::int64_t at = owner.time(key);
    if (auto failure = check_not_future(at, context_.now_ms, context_.max_future_skew_ms)) {
      throw FieldProblem(owner.field(key), failure->reason);
    }
    return at;
  }

  // A date field as "YYYY-MM-DD" for a reference record.
  std::string date_text(const JsonFields &owner, const std::string &key) const {
    when(owner, key);
    return owner.text(key).substr(0, 10);
  }

  // An amount in euros (JSON number) as cents: negative and fractional cents refused.
  static std::int64_t cents(const JsonFields &owner, const std::string &key) {
    auto converted = euros_to_cents(owner.number(key));
    if (auto *failure = std::get_if<CheckFailure>(&converted)) {
      throw FieldProblem(owner.field(key), failure->reason);
    }
    return std::get<std::int64_t>(converted);
  }

  void add_signal(std::string external_id, const SignalCode &code, std::string tenancy, std::int64_t occurred,
                  std::int64_t amount_cents = 0, std::string reporter = {}) {
    OwnedSignal signal;
    signal.source = context_.source;
    signal.external_id = std::move(external_id);
    signal.type = std::string(code.type);
    signal.detail = std::string(code.detail);
    signal.tenancy_id = std::move(tenancy);
    signal.occurred_at_ms = occurred;
    signal.amount_cents = amount_cents;
    signal.legal_basis = context_.legal_basis_for(std::string(code.data_class));
    signal.purpose = context_.purpose;
    signal.reporter_user = std::move(reporter);
    out_.signals.push_back(std::move(signal));
  }

  static std::string json_text(const Poco::JSON::Object &object) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(object, out);
    return out.str();
  }

  // Signalering (Relaties): soort/detailSoort -> signal; the tenancy comes from the
  // extra-attribuut named by the vera.tenancy_attribute setting.
  void signalering(const JsonFields &message) {
    const std::string id = key_of(message);
    const std::string soort = code(message, "soort", "SIGNALERINGSOORT", true);
    const std::string detail = code(message, "detailSoort", "SIGNALERINGDETAILSOORT", false);
    const std::string status = code(message, "status", "SIGNALERINGSTATUS", false);
    const std::int64_t occurred = when(message, "begindatum");
    const std::string attribute = context_.setting(kTenancyAttributeSetting).value_or("huurovereenkomst");
    std::string tenancy;
    const auto extras = message.optional_array("extra-attributen");
    for (std::size_t i = 0; i < extras->size(); ++i) {
      const JsonFields extra(extras->get(static_cast<unsigned>(i)), message.field("extra-attributen") + "[" + std::to_string(i) + "]");
      if (extra.optional_text("naam") == attribute) {
        tenancy = extra.text("waarde");
      }
    }
    if (tenancy.empty()) {
      throw FieldProblem(message.field("extra-attributen"),
                         "has no '" + attribute + "' attribute naming the tenancy (huurovereenkomst)");
    }
    if (status == "VER" || id.rfind(kOwnIdPrefix, 0) == 0) {
      ++ignored_;
      return; // vervallen (withdrawn in the source), or Hearth's own flag echoed back
    }
    add_signal("signalering:" + id, signalering_signal(soort, detail), tenancy, occurred);
  }

  // Zaak (BDO): zaaktype -> signal; the melder (MEL) becomes the reporter; a cancelled zaak
  // (latest status GEA) is no signal.
  void zaak(const JsonFields &message) {
    const std::string id = key_of(message);
    const JsonFields zaaktype = message.child("zaaktype");
    const std::string soort = code(zaaktype, "soort", "ZAAKTYPESOORT", true);
    const std::string detail = code(zaaktype, "detailSoort", "ZAAKTYPEDETAILSOORT", false);
    std::int64_t earliest_status = 0, latest_status = 0;
    std::string latest_code;
    const auto statuses = message.optional_array("zaakstatussen");
    for (std::size_t i = 0; i < statuses->size(); ++i) {
      const JsonFields status(statuses->get(static_cast<unsigned>(i)), message.field("zaakstatussen") + "[" + std::to_string(i) + "]");
      const std::string status_code = code(status, "soort", "ZAAKSTATUSSOORT", true);
      const std::int64_t at = when(status, "begindatum");
      if (earliest_status == 0 || at < earliest_status) {
        earliest_status = at;
      }
      if (latest_code.empty() || at >= latest_status) {
        latest_status = at;
        latest_code = status_code;
      }
    }
    std::string reporter;
    const auto roles = message.optional_array("rollen");
    for (std::size_t i = 0; i < roles->size(); ++i) {
      const JsonFields role(roles->get(static_cast<unsigned>(i)), message.field("rollen") + "[" + std::to_string(i) + "]");
      const std::string role_code = code(role, "soort", "ZAAKROL", true);
      if (role_code == "MEL" && role.has("relatie")) {
        reporter = key_of(role.child("relatie"));
      }
    }
    std::int64_t occurred = 0;
    if (message.has("begindatum")) {
      occurred = when(message, "begindatum");
    } else if (message.has("registratiedatum")) {
      occurred = when(message, "registratiedatum");
    } else if (earliest_status != 0) {
      occurred = earliest_status;
    } else {
      throw FieldProblem(message.field("begindatum"), "is missing (nor registratiedatum, nor a zaakstatus)");
    }
    const auto signal = zaaktype_signal(soort, detail);
    if (!signal || latest_code == "GEA" || id.rfind(kOwnIdPrefix, 0) == 0) {
      ++ignored_;
      return;
    }
    const std::string tenancy =
        first_reference_key(message, "overeenkomsten", "a zaak about a tenant names the huurovereenkomst");
    // A reporter is recorded for reports by neighbours (nuisance), never for finance or care.
    add_signal("zaak:" + id, *signal, tenancy, occurred, 0, signal->data_class == "nuisance" ? reporter : "");
  }

  // Overeenkomst (BOG): a Huurovereenkomst becomes a tenancy record; one ended by eviction
  // (eindeDetailReden ONT) an eviction outcome too. Other kinds of contract are ignored.
  void overeenkomst(const JsonFields &message) {
    const std::string id = key_of(message);
    const std::string soort = code(message, "soort", "OVEREENKOMSTSOORT", true);
    code(message, "status", "OVEREENKOMSTSTATUS", false);
    code(message, "eindeReden", "EINDEREDEN", false);
    const std::string end_detail = code(message, "eindeDetailReden", "EINDEDETAILREDEN", false);
    if (soort != "HUU") {
      ++ignored_;
      return;
    }
    Poco::JSON::Object tenancy;
    tenancy.set("kind", "tenancy");
    tenancy.set("id", id);
    tenancy.set("unit_id", first_reference_key(message, "eenheden", "a huurovereenkomst names its eenheid"));
    tenancy.set("start_date", date_text(message, "begindatum"));
    if (message.has("einddatum")) {
      tenancy.set("end_date", date_text(message, "einddatum"));
    }
    out_.records.push_back(json_text(tenancy));
    if (end_detail == "ONT") {
      Poco::JSON::Object outcome;
      outcome.set("kind", "outcome");
      outcome.set("tenancy_id", id);
      outcome.set("outcome", "eviction");
      outcome.set("decided_on", date_text(message, "einddatum"));
      out_.records.push_back(json_text(outcome));
    }
  }

  // Betalingsregeling (INC): a running arrangement is X-BTR, one ended because it did not
  // hold (VOL) or the debt is uncollectable (ONI) X-BTR VBR; the amount is the saldo (else
  // the bedrag).
  void betalingsregeling(const JsonFields &message) {
    const std::string id = key_of(message);
    const std::string status = code(message, "status", "BETALINGSREGELINGSTATUS", true);
    const std::string end = code(message, "eindeReden", "BETALINGSREGELINGEINDEREDEN", false);
    const std::string tenancy = reference_key(message, "overeenkomst", "an arrangement names the huurovereenkomst");
    const std::int64_t amount = message.has("saldo") ? cents(message, "saldo") : cents(message, "bedrag");
    const std::int64_t occurred = message.has("afspraakdatum") ? when(message, "afspraakdatum") : when(message, "begindatum");
    if (status == "ANN" || status == "VER" || (status == "BEE" && end != "VOL" && end != "ONI")) {
      ++ignored_;
      return;
    }
    const bool broken = status == "BEE";
    add_signal("betalingsregeling:" + id + (broken ? ":VBR" : ""),
               SignalCode{"X-BTR", broken ? "VBR" : "", "finance"}, tenancy, occurred, amount);
  }

  // ExterneIncasso (INC): DEU (bailiff) -> SCH DEU, INC (collection agency) -> SCH; ended
  // ones (EIN) are ignored.
  void externe_incasso(const JsonFields &message) {
    const std::string id = key_of(message);
    const std::string soort = code(message, "soort", "EXTERNEINCASSOSOORT", true);
    const std::string status = code(message, "status", "EXTERNEINCASSOSTATUS", false);
    const std::string tenancy =
        message.has("overeenkomst")
            ? reference_key(message, "overeenkomst", "")
            : first_reference_key(message, "overeenkomsten", "an external collection names the huurovereenkomst");
    const std::int64_t amount = message.has("saldo") ? cents(message, "saldo") : cents(message, "bedrag");
    const std::int64_t occurred =
        message.has("overdrachtsdatum") ? when(message, "overdrachtsdatum") : when(message, "begindatum");
    if (status == "EIN") {
      ++ignored_;
      return;
    }
    add_signal("externe-incasso:" + id, externe_incasso_signal(soort), tenancy, occurred, amount);
  }

  // Huuropzegging (VHE): an approved notice given at the corporation's request (redenOpzegging
  // COR) is a notice_to_quit outcome; a tenant's own notice is not an outcome Hearth records.
  void huuropzegging(const JsonFields &message) {
    key_of(message);
    const std::string status = code(message, "status", "HUUROPZEGGINGSTATUS", true);
    const std::string reason = code(message, "redenOpzegging", "REDENOPZEGGING", false);
    code(message, "eindeReden", "EINDEREDEN", false);
    code(message, "eindeDetailReden", "EINDEDETAILREDEN", false);
    const std::string tenancy = reference_key(message, "huurovereenkomst", "a notice names the huurovereenkomst");
    if (status != "GOE" || reason != "COR") {
      ++ignored_;
      return;
    }
    Poco::JSON::Object outcome;
    outcome.set("kind", "outcome");
    outcome.set("tenancy_id", tenancy);
    outcome.set("outcome", "notice_to_quit");
    outcome.set("decided_on", date_text(message, "opzegdatum"));
    out_.records.push_back(json_text(outcome));
  }

  // Onderhoudsorder (OHD): every task interrupted because nobody let the mechanic in
  // (status OND, detailStatus AFW "Klant niet aanwezig") is an X-REP signal, dated by the
  // task's latest appointment (else the order's begindatum).
  void onderhoudsorder(const JsonFields &message) {
    const std::string id = key_of(message);
    const auto tasks = message.optional_array("onderhoudstaken");
    std::size_t no_access = 0;
    for (std::size_t i = 0; i < tasks->size(); ++i) {
      const JsonFields task(tasks->get(static_cast<unsigned>(i)), message.field("onderhoudstaken") + "[" + std::to_string(i) + "]");
      const std::string status = code(task, "status", "ONDERHOUDSTAAKSTATUS", false);
      const std::string detail = code(task, "detailStatus", "ONDERHOUDSTAAKDETAILSTATUS", false);
      if (status != "OND" || detail != "AFW") {
        continue;
      }
      std::int64_t occurred = 0;
      const auto appointments = task.optional_array("afspraken");
      for (std::size_t a = 0; a < appointments->size(); ++a) {
        const JsonFields appointment(appointments->get(static_cast<unsigned>(a)), task.field("afspraken") + "[" + std::to_string(a) + "]");
        occurred = std::max(occurred, when(appointment, "begindatum"));
      }
      if (occurred == 0) {
        occurred = when(message, "begindatum");
      }
      const std::string tenancy = reference_key(message, "overeenkomst", "a repair without access names the huurovereenkomst");
      const std::string task_id = task.optional_text("id").empty() ? std::to_string(i) : task.optional_text("id");
      add_signal("onderhoudsorder:" + id + ":taak:" + task_id, SignalCode{"X-REP", "", "housing"}, tenancy, occurred);
      ++no_access;
    }
    if (no_access == 0) {
      ++ignored_;
    }
  }

public:
  std::uint32_t ignored_ = 0;

private:
  const ParseContext &context_;
  ItemResult &out_;
};

// The compact JSON of a message, for the dead letter's hash.
std::string payload_of(const Poco::Dynamic::Var &item) {
  try {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(item, out);
    return out.str();
  } catch (const std::exception &) {
    return {};
  }
}

// Parses one message into `batch` as item `index`; a FieldProblem rejects it whole.
void parse_item(const VeraResource &resource, const Poco::Dynamic::Var &item, const std::string &path,
                std::uint32_t index, const ParseContext &context, ParsedBatch &batch) {
  ItemResult result;
  MessageReader reader(context, result);
  try {
    reader.read(resource, JsonFields(item, path));
  } catch (const FieldProblem &problem) {
    batch.reject(index, problem.field(), problem.reason(), payload_of(item));
    return;
  }
  batch.ignored += reader.ignored_;
  for (auto &signal : result.signals) {
    batch.signals.push_back(std::move(signal));
  }
  for (auto &record : result.records) {
    batch.records.push_back(std::move(record));
  }
}

ParsedBatch empty_batch(const ParseContext &context) {
  ParsedBatch batch;
  batch.source = context.source;
  return batch;
}

} // namespace

std::span<const VeraResource> vera_resources() { return kResources; }

const VeraResource *find_vera_resource(std::string_view path) {
  for (const auto &resource : kResources) {
    if (resource.path == path) {
      return &resource;
    }
  }
  return nullptr;
}

ParsedBatch parse_vera_message(const VeraResource &resource, std::string_view body, const ParseContext &context) {
  ParsedBatch batch = empty_batch(context);
  batch.items = 1;
  Poco::Dynamic::Var message;
  try {
    message = parse_json_document(body);
  } catch (const FieldProblem &problem) {
    batch.reject(0, problem.field(), problem.reason(), std::string(body.substr(0, 1 << 20)));
    return batch;
  }
  parse_item(resource, message, std::string(resource.name), 0, context, batch);
  return batch;
}

ParsedBatch parse_vera_document(std::string_view document, const ParseContext &context) {
  ParsedBatch batch = empty_batch(context);
  Poco::Dynamic::Var root;
  try {
    root = parse_json_document(document);
    JsonFields probe(root, "document");
  } catch (const FieldProblem &problem) {
    batch.items = 1;
    batch.reject(0, problem.field(), problem.reason(), std::string(document.substr(0, 1 << 20)));
    return batch;
  }
  const auto object = root.extract<Poco::JSON::Object::Ptr>();
  for (const auto &[key, value] : *object) {
    const VeraResource *resource = find_vera_resource(key);
    if (resource == nullptr) {
      batch.reject(batch.items++, "document." + key, "is not a VERA resource this adapter reads (see vera_resources)");
      continue;
    }
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) {
      batch.reject(batch.items++, key, "must be an array of " + std::string(resource->name) + " messages");
      continue;
    }
    const auto items = value.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < items->size(); ++i) {
      const std::uint32_t index = batch.items++;
      parse_item(*resource, items->get(static_cast<unsigned>(i)), key + "[" + std::to_string(i) + "]", index, context,
                 batch);
    }
  }
  return batch;
}

const Adapter &vera_adapter() {
  static const Adapter adapter{"vera",
                               "VERA JSON: {\"signaleringen\":[...],\"zaken\":[...],...} (docs/integrators/adapter-guide.md)",
                               parse_vera_document, nullptr};
  return adapter;
}

} // namespace hearth::adapters::vera
