// The rent-arrears early warning to the municipality (vroegsignalering, Wet gemeentelijke
// schuldhulpverlening): a landlord may send only the tenant's contact details and the
// arrears amount, and only after it has sent a written reminder, tried to make personal
// contact, pointed the tenant to debt help, and the tenant did not object. This file holds
// the rules: which preconditions are recorded, whether a warning may go, and the one
// message that goes. Part of hearth_adapter_wgs. Since 0.1.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/JSON/Object.h>

namespace hearth::adapters::wgs {

// The kinds of precondition the law names, and the tenant's objection.
enum class PreconditionKind { written_reminder, contact_attempt, debt_help_pointer, objection };

// "written_reminder", "contact_attempt", "debt_help_pointer", "objection".
std::string kind_name(PreconditionKind kind);
std::optional<PreconditionKind> kind_from(std::string_view name);

// One recorded precondition of a tenancy's arrears.
struct Precondition {
  PreconditionKind kind = PreconditionKind::written_reminder;
  std::int64_t on_ms = 0;  // the day it happened (midnight UTC)
  std::string channel;     // contact_attempt: brief, e-mail, sms, telefoon, huisbezoek, kaart
};

// Reads a precondition to record from operation arguments
// {"tenancy_id","kind","date":"YYYY-MM-DD","channel"} (channel only, and required, for a
// contact attempt). Throws FieldProblem (adapter_common/json_fields.hpp) naming the
// argument: missing, wrong type, unknown kind or channel, a date in the future.
Precondition read_precondition(const Poco::JSON::Object::Ptr &args, std::int64_t now_ms);

// The rules a site sets.
struct WgsRules {
  int minimum_arrears_days = 30;  // rent arrears count from 30 days (DDAS)
  int objection_period_days = 14; // the tenant may object this long after the written reminder
  std::int64_t minimum_amount_cents = 1; // a municipality may set its own minimum
};

// The contact details that may go, and nothing else.
struct ContactDetails {
  std::string name, street, house_number, postcode, city, phone, email;
};

// What the caller asks to send: {"tenancy_id","amount_cents","arrears_since":"YYYY-MM-DD",
// "contact":{"name","street","house_number","postcode","city","phone","email"}}.
struct WarningRequest {
  std::string tenancy_id;
  std::int64_t amount_cents = 0;
  std::string arrears_since; // YYYY-MM-DD
  std::int64_t arrears_since_ms = 0;
  ContactDetails contact;
};

// Reads the request. Throws FieldProblem naming the argument for: missing or mistyped
// fields; a negative, zero or fractional amount; an unreadable or future arrears_since;
// a BSN or any other field in `contact` than the seven above ("is not sent: the Wgs lets
// only contact details and the amount go"); a contact without name, street, house number,
// postcode and city; a postcode that is not Dutch; a tenancy id that looks like a BSN.
WarningRequest read_warning_request(const Poco::JSON::Object::Ptr &args, std::int64_t now_ms);

// Whether the warning may go. `refusal` is empty when it may; otherwise one sentence that
// names the missing precondition ("precondition 'contact_attempt' is not recorded for this
// tenancy"), an objection, the objection period still running, arrears too young, or an
// amount under the minimum.
struct WgsDecision {
  bool allowed = false;
  std::string refusal;
};
WgsDecision decide(const WarningRequest &request, const std::vector<Precondition> &recorded, const WgsRules &rules,
                   std::int64_t now_ms);

// The message the municipality gets: {"soort":"huurachterstand","bedrag_cents":..,
// "ontstaan_op":"YYYY-MM-DD","signaaldatum":"YYYY-MM-DD","contact":{...}} — the contact
// fields given, the amount and the dates; no tenancy id, no landlord's internal data.
Poco::JSON::Object warning_message(const WarningRequest &request, std::int64_t now_ms);

} // namespace hearth::adapters::wgs
