#include "wgs_early_warning.hpp"

#include <array>
#include <regex>
#include <set>

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include "adapter_common/input_checks.hpp"
#include "adapter_common/json_fields.hpp"

namespace hearth::adapters::wgs {
namespace {

constexpr std::int64_t kDayMs = 24LL * 3600LL * 1000LL;

struct KindName {
  PreconditionKind kind;
  const char *name;
};
constexpr std::array<KindName, 4> kKinds{{{PreconditionKind::written_reminder, "written_reminder"},
                                          {PreconditionKind::contact_attempt, "contact_attempt"},
                                          {PreconditionKind::debt_help_pointer, "debt_help_pointer"},
                                          {PreconditionKind::objection, "objection"}}};

// The channels DDAS records a contact attempt by.
const std::set<std::string> kChannels{"brief", "e-mail", "sms", "whatsapp", "telefoon", "huisbezoek", "kaart"};

std::string day_of(std::int64_t ms) { return Poco::DateTimeFormatter::format(Poco::Timestamp(ms * 1000), "%Y-%m-%d"); }

// A required date "YYYY-MM-DD" not after now, in ms.
std::int64_t date_field(const JsonFields &fields, const std::string &key, std::int64_t now_ms) {
  static const std::regex date_only(R"(^\d{4}-\d{2}-\d{2}$)");
  if (!std::regex_match(fields.text(key), date_only)) {
    throw FieldProblem(fields.field(key), "is not a date YYYY-MM-DD");
  }
  const std::int64_t at = fields.time(key);
  if (const auto failure = check_not_future(at, now_ms, kDayMs - 1)) {
    throw FieldProblem(fields.field(key), failure->reason);
  }
  return at;
}

std::string bounded(const JsonFields &fields, const std::string &key, std::size_t max, bool required) {
  std::string value = required ? fields.text(key) : fields.optional_text(key);
  if (value.size() > max) {
    throw FieldProblem(fields.field(key), "is longer than " + std::to_string(max) + " characters");
  }
  return value;
}

ContactDetails read_contact(const JsonFields &fields) {
  static const std::set<std::string> allowed{"name", "street", "house_number", "postcode", "city", "phone", "email"};
  for (const auto &[key, value] : *fields.object()) {
    if (allowed.count(key) == 0) {
      throw FieldProblem(fields.field(key), "is not sent: the Wgs lets only contact details and the amount go");
    }
  }
  ContactDetails contact;
  contact.name = bounded(fields, "name", 200, true);
  contact.street = bounded(fields, "street", 200, true);
  contact.house_number = bounded(fields, "house_number", 20, true);
  contact.postcode = bounded(fields, "postcode", 7, true);
  static const std::regex dutch(R"(^[1-9][0-9]{3} ?[A-Za-z]{2}$)");
  if (!std::regex_match(contact.postcode, dutch)) {
    throw FieldProblem(fields.field("postcode"), "is not a Dutch postcode (1234AB)");
  }
  contact.city = bounded(fields, "city", 100, true);
  contact.phone = bounded(fields, "phone", 30, false);
  contact.email = bounded(fields, "email", 254, false);
  if (!contact.email.empty() && contact.email.find('@') == std::string::npos) {
    throw FieldProblem(fields.field("email"), "is not an e-mail address");
  }
  return contact;
}

} // namespace

std::string kind_name(PreconditionKind kind) {
  for (const auto &entry : kKinds) {
    if (entry.kind == kind) {
      return entry.name;
    }
  }
  return "?";
}

std::optional<PreconditionKind> kind_from(std::string_view name) {
  for (const auto &entry : kKinds) {
    if (name == entry.name) {
      return entry.kind;
    }
  }
  return std::nullopt;
}

Precondition read_precondition(const Poco::JSON::Object::Ptr &args, std::int64_t now_ms) {
  const JsonFields fields(args, "args");
  Precondition out;
  const auto kind = kind_from(fields.text("kind"));
  if (!kind) {
    throw FieldProblem(fields.field("kind"),
                       "must be written_reminder, contact_attempt, debt_help_pointer or objection");
  }
  out.kind = *kind;
  out.on_ms = date_field(fields, "date", now_ms);
  if (out.kind == PreconditionKind::contact_attempt) {
    out.channel = fields.text("channel");
    if (kChannels.count(out.channel) == 0) {
      throw FieldProblem(fields.field("channel"), "must be brief, e-mail, sms, whatsapp, telefoon, huisbezoek or kaart");
    }
  } else if (fields.has("channel")) {
    throw FieldProblem(fields.field("channel"), "is only recorded for a contact_attempt");
  }
  return out;
}

WarningRequest read_warning_request(const Poco::JSON::Object::Ptr &args, std::int64_t now_ms) {
  const JsonFields fields(args, "args");
  WarningRequest request;
  request.tenancy_id = bounded(fields, "tenancy_id", 64, true);
  if (!check_bsn(request.tenancy_id).has_value()) {
    throw FieldProblem(fields.field("tenancy_id"), "looks like a BSN; a tenancy id is expected");
  }
  request.amount_cents = fields.integer("amount_cents");
  if (request.amount_cents < 0) {
    throw FieldProblem(fields.field("amount_cents"), "is negative");
  }
  if (request.amount_cents == 0) {
    throw FieldProblem(fields.field("amount_cents"), "is zero: there are no arrears to report");
  }
  if (request.amount_cents > 100'000'000LL * 100LL) {
    throw FieldProblem(fields.field("amount_cents"), "is too large");
  }
  request.arrears_since = fields.text("arrears_since");
  request.arrears_since_ms = date_field(fields, "arrears_since", now_ms);
  request.contact = read_contact(fields.child("contact"));
  return request;
}

WgsDecision decide(const WarningRequest &request, const std::vector<Precondition> &recorded, const WgsRules &rules,
                   std::int64_t now_ms) {
  const auto refuse = [](std::string why) { return WgsDecision{false, std::move(why)}; };
  if (request.amount_cents < rules.minimum_amount_cents) {
    return refuse("the amount is under the municipality's minimum of " + std::to_string(rules.minimum_amount_cents) +
                  " cents");
  }
  const std::int64_t old_enough = request.arrears_since_ms + rules.minimum_arrears_days * kDayMs;
  if (now_ms < old_enough) {
    return refuse("the arrears are younger than " + std::to_string(rules.minimum_arrears_days) + " days (until " +
                  day_of(old_enough) + ")");
  }
  // Only what happened for these arrears counts: on or after the day they arose.
  const auto latest = [&](PreconditionKind kind) -> std::optional<std::int64_t> {
    std::optional<std::int64_t> found;
    for (const auto &p : recorded) {
      if (p.kind == kind && p.on_ms >= request.arrears_since_ms && (!found || p.on_ms > *found)) {
        found = p.on_ms;
      }
    }
    return found;
  };
  for (const auto kind : {PreconditionKind::written_reminder, PreconditionKind::contact_attempt,
                          PreconditionKind::debt_help_pointer}) {
    if (!latest(kind)) {
      return refuse("precondition '" + kind_name(kind) + "' is not recorded for these arrears");
    }
  }
  if (const auto objected = latest(PreconditionKind::objection)) {
    return refuse("precondition 'no_objection' is not met: the tenant objected on " + day_of(*objected));
  }
  const std::int64_t period_end = *latest(PreconditionKind::written_reminder) + rules.objection_period_days * kDayMs;
  if (now_ms < period_end) {
    return refuse("precondition 'no_objection' is not met yet: the tenant may object until " + day_of(period_end));
  }
  return WgsDecision{true, {}};
}

Poco::JSON::Object warning_message(const WarningRequest &request, std::int64_t now_ms) {
  Poco::JSON::Object contact;
  const auto put = [&](const char *key, const std::string &value) {
    if (!value.empty()) {
      contact.set(key, value);
    }
  };
  put("naam", request.contact.name);
  put("straat", request.contact.street);
  put("huisnummer", request.contact.house_number);
  put("postcode", request.contact.postcode);
  put("woonplaats", request.contact.city);
  put("telefoon", request.contact.phone);
  put("email", request.contact.email);
  Poco::JSON::Object message;
  message.set("soort", "huurachterstand");
  message.set("bedrag_cents", request.amount_cents);
  message.set("ontstaan_op", request.arrears_since);
  message.set("signaaldatum", day_of(now_ms));
  message.set("contact", contact);
  return message;
}

} // namespace hearth::adapters::wgs
