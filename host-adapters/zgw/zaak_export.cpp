#include "zaak_export.hpp"

#include <algorithm>
#include <stdexcept>
#include <variant>

#include <Poco/DateTimeFormat.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/Timestamp.h>

#include "adapter_common/input_checks.hpp"
#include "adapter_common/json_fields.hpp"
#include "zgw_urls.hpp"

namespace hearth::adapters::zgw {
namespace {

std::string id_field(const JsonFields &fields, const std::string &key, std::size_t max_length) {
  std::string value = fields.text(key);
  if (value.size() > max_length) {
    throw FieldProblem(fields.field(key), "is longer than " + std::to_string(max_length) + " characters");
  }
  if (!check_bsn(value).has_value()) {
    throw FieldProblem(fields.field(key), "looks like a BSN; a pseudonymous id is expected");
  }
  return value;
}

void require_url(const std::string &value, const char *setting) {
  if (!is_http_url(value)) {
    throw std::invalid_argument(std::string(setting) + ": is missing or not an absolute http(s) URL");
  }
}

void require_rsin(const std::string &value, const char *setting) {
  if (const auto failure = check_bsn(value)) {
    throw std::invalid_argument(std::string(setting) + ": is not an RSIN: " + failure->reason);
  }
}

Poco::JSON::Object kenmerk(const std::string &value, const std::string &bron) {
  Poco::JSON::Object out;
  out.set("kenmerk", value);
  out.set("bron", bron);
  return out;
}

} // namespace

std::string case_reference(const std::string &case_id) {
  if (case_id.size() <= 33) {
    return case_id;
  }
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(case_id);
  return Poco::DigestEngine::digestToHex(engine.digest()).substr(0, 32);
}

std::string zaak_identificatie(const std::string &case_id) { return "HEARTH-" + case_reference(case_id); }

CaseExportRequest parse_export_request(std::string_view payload, std::int64_t now_ms) {
  const JsonFields fields(parse_json_document(payload), "payload");
  CaseExportRequest request;
  request.target = fields.optional_text("target");
  request.case_id = id_field(fields, "case_id", 100);
  request.tenancy_id = id_field(fields, "tenancy_id", 40);
  request.coordinator = id_field(fields.child("coordinator"), "user", 24);
  const std::int64_t opened_ms = fields.integer("opened_ms");
  if (const auto failure = check_not_future(opened_ms, now_ms, 24LL * 3600LL * 1000LL)) {
    throw FieldProblem(fields.field("opened_ms"), failure->reason);
  }
  request.opened_on = Poco::DateTimeFormatter::format(Poco::Timestamp(opened_ms * 1000), "%Y-%m-%d");
  if (fields.has("requested_by")) {
    request.requested_by = id_field(fields.child("requested_by"), "user", 64);
  }
  if (const std::string purpose = fields.optional_text("purpose"); !purpose.empty()) {
    request.purpose = purpose;
  }
  return request;
}

void ExportSettings::check() const {
  require_rsin(bronorganisatie, "export_bronorganisatie");
  require_rsin(verantwoordelijke_organisatie, "export_verantwoordelijke_organisatie");
  require_url(zaaktype, "export_zaaktype");
  require_url(statustype, "export_statustype");
  require_url(roltype, "export_roltype");
  if (tenancy_bron.empty() || tenancy_bron.size() > 40 || case_bron.empty() || case_bron.size() > 40) {
    throw std::invalid_argument("tenancy_bron: must be 1 to 40 characters");
  }
}

Poco::JSON::Object zaak_body(const CaseExportRequest &request, const ExportSettings &settings) {
  Poco::JSON::Object body;
  body.set("identificatie", zaak_identificatie(request.case_id));
  body.set("bronorganisatie", settings.bronorganisatie);
  body.set("omschrijving", "Casusregie (Hearth)");
  body.set("zaaktype", settings.zaaktype);
  body.set("verantwoordelijkeOrganisatie", settings.verantwoordelijke_organisatie);
  body.set("startdatum", request.opened_on);
  body.set("vertrouwelijkheidaanduiding", "vertrouwelijk");
  Poco::JSON::Array kenmerken;
  kenmerken.add(kenmerk(request.tenancy_id, settings.tenancy_bron));
  kenmerken.add(kenmerk(case_reference(request.case_id), settings.case_bron));
  body.set("kenmerken", kenmerken);
  return body;
}

Poco::JSON::Object status_body(const std::string &zaak_url, const ExportSettings &settings, std::int64_t now_ms) {
  Poco::JSON::Object body;
  body.set("zaak", zaak_url);
  body.set("statustype", settings.statustype);
  body.set("datumStatusGezet", Poco::DateTimeFormatter::format(Poco::Timestamp(now_ms * 1000),
                                                               Poco::DateTimeFormat::ISO8601_FORMAT));
  body.set("statustoelichting", "Casus overgedragen vanuit Hearth");
  return body;
}

Poco::JSON::Object rol_body(const CaseExportRequest &request, const std::string &zaak_url, const ExportSettings &settings) {
  Poco::JSON::Object body;
  body.set("zaak", zaak_url);
  body.set("betrokkeneType", "medewerker");
  body.set("roltype", settings.roltype);
  body.set("roltoelichting", "Casusregisseur");
  Poco::JSON::Object medewerker;
  medewerker.set("identificatie", request.coordinator);
  body.set("betrokkeneIdentificatie", medewerker);
  return body;
}

const char *step_name(ExportStep step) {
  switch (step) {
  case ExportStep::zaak:
    return "zaak";
  case ExportStep::status:
    return "status";
  case ExportStep::rol:
    return "rol";
  }
  return "zaak";
}

ExportFailure::ExportFailure(const ZakenApiError &last, ExportStep step, std::uint32_t attempts, bool interrupted)
    : ZakenApiError(last.http_status(), last.what(), last.transient(), last.retry_after()), step_(step),
      attempts_(attempts), interrupted_(interrupted) {}

std::string ExportFailure::reason() const {
  return std::string(step_name(step_)) + ": " + what() + " (" + std::to_string(attempts_) +
         (attempts_ == 1 ? " attempt" : " attempts") + (interrupted_ ? ", stopped by shutdown" : "") + ")";
}

ExportOutcome export_case(const CaseExportRequest &request, const ExportSettings &settings, const ZakenClient &client,
                          ExportLedger &ledger, std::int64_t now_ms) {
  return export_case(request, settings, client, ledger, now_ms, RetryPolicy{}, RetrySleep{});
}

ExportOutcome export_case(const CaseExportRequest &request, const ExportSettings &settings, const ZakenClient &client,
                          ExportLedger &ledger, std::int64_t now_ms, const RetryPolicy &retry,
                          const RetrySleep &sleep) {
  settings.check();
  ExportOutcome outcome;
  outcome.progress = ledger.load(request.case_id).value_or(ExportProgress{});
  if (outcome.progress.complete()) {
    outcome.already_complete = true;
    return outcome;
  }
  const std::uint32_t attempts = std::max<std::uint32_t>(retry.attempts, 1);
  // Each step: adopt what the Zaken API already has (an answer lost on an earlier try),
  // else create it; retry transient failures; record it before the next step.
  const auto step = [&](ExportStep which, std::string &url, const std::string &collection,
                        const std::vector<std::pair<std::string, std::string>> &query, const auto &make_body) {
    if (!url.empty()) {
      return;
    }
    for (std::uint32_t attempt = 1;; ++attempt) {
      try {
        url = client.find_first(collection, query);
        if (!url.empty()) {
          ++outcome.adopted;
        } else {
          url = client.create(collection, make_body()).url;
          ++outcome.created;
        }
        break;
      } catch (const ZakenApiError &failure) {
        if (!failure.transient() || attempt >= attempts) {
          throw ExportFailure(failure, which, attempt, false);
        }
        if (sleep && !sleep(retry.delay_before(attempt + 1, failure.retry_after()))) {
          throw ExportFailure(failure, which, attempt, true);
        }
      }
    }
    ledger.record(request, which, outcome.progress);
  };
  step(ExportStep::zaak, outcome.progress.zaak_url, "zaken",
       {{"identificatie", zaak_identificatie(request.case_id)}, {"bronorganisatie", settings.bronorganisatie}},
       [&] { return zaak_body(request, settings); });
  step(ExportStep::status, outcome.progress.status_url, "statussen",
       {{"zaak", outcome.progress.zaak_url}, {"statustype", settings.statustype}},
       [&] { return status_body(outcome.progress.zaak_url, settings, now_ms); });
  step(ExportStep::rol, outcome.progress.rol_url, "rollen",
       {{"zaak", outcome.progress.zaak_url},
        {"roltype", settings.roltype},
        {"betrokkeneIdentificatie__medewerker__identificatie", request.coordinator}},
       [&] { return rol_body(request, outcome.progress.zaak_url, settings); });
  return outcome;
}

} // namespace hearth::adapters::zgw
