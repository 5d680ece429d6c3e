// The plugins' refusals in the page's language (error_texts.hpp): every kind of failure in
// Dutch and in English, the field name kept, known reasons translated, unknown ones given a
// general sentence, and a not-found that never repeats the plugin's words.
#include <gtest/gtest.h>

#include <hearth/status.h>

#include "error_texts.hpp"

namespace hearth::dashboards {
namespace {

TEST(ErrorTexts, TheFieldIsTheTextBeforeTheFirstColonWithoutArgs) {
  EXPECT_EQ(field_of_reason("reason: missing: a decline needs a reason"), "reason");
  EXPECT_EQ(field_of_reason("args.reason: longer than 2000 characters"), "reason");
  EXPECT_EQ(field_of_reason("summary[0].text: must be a string"), "summary[0].text");
  EXPECT_EQ(field_of_reason("flag 'f-1': already decided"), "");
  EXPECT_EQ(field_of_reason("role 'tenant' may not use this operation"), "");
  EXPECT_EQ(field_of_reason(""), "");
}

TEST(ErrorTexts, ValidationFailuresNameTheFieldInBothLanguages) {
  const std::int32_t invalid = HEARTH_ERROR_INVALID_ARGUMENT;
  EXPECT_EQ(error_text(invalid, "reason: missing: a decline needs a reason", "nl"), "reason: ontbreekt: wie afwijst, geeft een reden");
  EXPECT_EQ(error_text(invalid, "reason: missing: a decline needs a reason", "en"), "reason: missing: a decline needs a reason");
  EXPECT_EQ(error_text(invalid, "to_role: is not one of care_professional, coordinator", "nl"),
            "to_role: is niet een van: care_professional, coordinator");
  EXPECT_EQ(error_text(invalid, "to_role: is not one of care_professional, coordinator", "en"),
            "to_role: is not one of care_professional, coordinator");
  EXPECT_EQ(error_text(invalid, "args.reason: longer than 2000 characters", "nl"), "reason: is langer dan 2000 tekens");
  EXPECT_EQ(error_text(invalid, "args.reason: longer than 2000 characters", "en"), "reason: longer than 2000 characters");
  EXPECT_EQ(error_text(invalid, "args.level: 'purple' is not one of green, amber, red", "nl"),
            "level: 'purple' is niet een van: green, amber, red");
  EXPECT_EQ(error_text(invalid, "postcode: is not a Dutch postcode (four digits and two letters, e.g. 1091 AB)", "nl"),
            "postcode: is geen Nederlandse postcode (vier cijfers en twee letters, bijvoorbeeld 1091 AB)");
  EXPECT_EQ(error_text(invalid, "placed_on: is not a date like 2026-03-31", "nl"),
            "placed_on: is geen datum zoals 2026-03-31");
  EXPECT_EQ(error_text(invalid, "days: 400 is outside 1..365", "nl"), "days: 400 ligt buiten 1..365");
  EXPECT_EQ(error_text(invalid, "args.to: must not be before args.from", "nl"), "to: mag niet vóór from liggen");
  EXPECT_EQ(error_text(invalid, "args.to: must not be before args.from", "en"), "to: must not be before args.from");
  EXPECT_EQ(error_text(invalid, "occurred_on: 2026-03-09 lies in the future", "nl"),
            "occurred_on: 2026-03-09 ligt in de toekomst");
  // An unknown reason: a general Dutch sentence, never the English line, the field kept.
  EXPECT_EQ(error_text(invalid, "colour: clashes with the wallpaper", "nl"), "colour: deze waarde is niet geldig");
  EXPECT_EQ(error_text(invalid, "colour: clashes with the wallpaper", "en"), "colour: clashes with the wallpaper");
  // Any language but en is Dutch (the default of the pages).
  EXPECT_EQ(error_text(invalid, "reason: missing", "de"), "reason: ontbreekt");
}

TEST(ErrorTexts, NotFoundNeverRepeatsThePluginsWords) {
  const std::int32_t missing = HEARTH_ERROR_NOT_FOUND;
  EXPECT_EQ(error_text(missing, "case_id: no case with this id", "nl"), "case_id: niet gevonden (of niet voor u zichtbaar)");
  EXPECT_EQ(error_text(missing, "case_id: no case with this id", "en"), "case_id: not found (or not yours to see)");
  EXPECT_EQ(error_text(missing, "tenancy 'T-9' not found", "en"), "not found (or not yours to see)");
}

TEST(ErrorTexts, RefusalsSayWhoMayInBothLanguages) {
  const std::int32_t denied = HEARTH_ERROR_DENIED;
  EXPECT_EQ(error_text(denied, "case_id: only the case owner may offer the case", "nl"),
            "case_id: alleen de eigenaar van de zaak mag dit");
  EXPECT_EQ(error_text(denied, "case_id: only the case owner may offer the case", "en"),
            "case_id: only the case owner may offer the case");
  EXPECT_EQ(error_text(denied, "case_id: something new", "nl"), "case_id: dat mag u niet doen");
  EXPECT_EQ(error_text(denied, "role 'tenant' may not use this operation", "nl"), "dat mag u niet doen");
  EXPECT_EQ(error_text(denied, "role 'tenant' may not use this operation", "en"), "you may not do this");
}

TEST(ErrorTexts, ConflictsAndRepeatedFormsInBothLanguages) {
  const std::int32_t conflict = HEARTH_ERROR_CONFLICT;
  EXPECT_EQ(error_text(conflict, "idempotency_key: was used before for a different report", "nl"),
            "idempotency_key: dit formulier is al eens verstuurd met andere gegevens; vul het opnieuw in en verstuur het");
  EXPECT_EQ(error_text(conflict, "idempotency_key: was used before for a different report", "en"),
            "idempotency_key: was used before for a different report");
  EXPECT_EQ(error_text(conflict, "offer_id: the offer is accepted, no longer open", "nl"),
            "offer_id: het aanbod is al geaccepteerd en staat niet meer open");
  EXPECT_EQ(error_text(conflict, "offer_id: the offer is expired, no longer open", "nl"),
            "offer_id: het aanbod staat niet meer open (expired)");
  EXPECT_EQ(error_text(conflict, "flag 'f-1': already decided", "nl"), "hierover is al besloten");
  EXPECT_EQ(error_text(conflict, "flag 'f-1': already decided", "en"), "already decided");
  EXPECT_EQ(error_text(conflict, "case_id: a brand new conflict", "nl"),
            "case_id: dit kan nu niet: de gegevens zijn intussen veranderd; laad de pagina opnieuw");
}

TEST(ErrorTexts, ARevisionsRefusalsReadInBothLanguages) {
  const std::int32_t invalid = HEARTH_ERROR_INVALID_ARGUMENT;
  const std::int32_t conflict = HEARTH_ERROR_CONFLICT;
  EXPECT_EQ(error_text(conflict, "flag 'F1-abc': decision 1 is not its latest; the latest is 2", "nl"),
            "besluit 1 is niet het laatste; het laatste is 2 (iemand was u voor; laad de pagina opnieuw)");
  EXPECT_EQ(error_text(conflict, "flag 'F1-abc': decision 1 is not its latest; the latest is 2", "en"),
            "decision 1 is not its latest; the latest is 2");
  EXPECT_EQ(error_text(conflict, "flag 'F1-abc': decision 3 was revised meanwhile; read the flag again", "nl"),
            "besluit 3 is intussen herzien (iemand was u voor; laad de pagina opnieuw)");
  EXPECT_EQ(error_text(invalid, "args.revises: not a whole number", "nl"), "revises: is geen geheel getal");
  EXPECT_EQ(error_text(invalid, "args.revises: 0 is not from 1 to 1000000", "nl"), "revises: 0 ligt niet tussen 1 en 1000000");
  EXPECT_EQ(error_text(invalid, "args.revises: missing: the number of the decision this one revises (the flag's latest)", "nl"),
            "revises: ontbreekt: het nummer van het besluit dat u herziet (het laatste besluit over het signaal)");
  EXPECT_EQ(error_text(invalid, "args.decision: the flag is overridden at red already; a revision changes the decision", "nl"),
            "decision: dit is al het huidige besluit over het signaal; een herziening verandert het besluit");
  EXPECT_EQ(error_text(invalid, "args.decision: the flag is dismissed already; a revision changes the decision", "nl"),
            "decision: dit is al het huidige besluit over het signaal; een herziening verandert het besluit");
  EXPECT_EQ(error_text(invalid, "args.reason: empty: every revision of a decision needs a reason", "nl"),
            "reason: is leeg: elke herziening van een besluit heeft een reden nodig");
}

TEST(ErrorTexts, OtherFailuresSayTryAgainAndNothingOfTheCause) {
  EXPECT_EQ(error_text(HEARTH_ERROR_INTERNAL, "storage: disk full at /var/lib/hearth", "nl"),
            "Dat lukte nu niet. Probeer het later opnieuw.");
  EXPECT_EQ(error_text(HEARTH_ERROR_IO, "storage: disk full at /var/lib/hearth", "en"),
            "That did not work now. Please try again later.");
}

} // namespace
} // namespace hearth::dashboards
