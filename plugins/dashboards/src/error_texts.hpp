// Why a plugin operation failed, in the page's language (since dashboards 0.2.0). The
// plugins answer a refusal with a status and a one-line English reason that starts with
// the field it is about ("reason: missing: a decline needs a reason"); a Dutch page must
// not show that English line. error_text() keeps the field name and says the reason in
// Dutch or English: known reasons are translated, an unknown one gets a general sentence
// for its kind (validation, not found, forbidden, conflict / repeated form).
// Threads: pure functions; any thread.
#ifndef HEARTH_DASHBOARDS_ERROR_TEXTS_HPP
#define HEARTH_DASHBOARDS_ERROR_TEXTS_HPP

#include <cstdint>
#include <string>

namespace hearth::dashboards {

// The field a plugin's reason names: the text before the first ": " when it looks like a
// field name (letters, digits, '_', '.', '[', ']'), without an "args." prefix
// ("args.reason: missing" -> "reason"); "" when the reason names no field.
std::string field_of_reason(const std::string &reason);

// The reason of a failed call (`status` a HEARTH_ERROR_* code, `reason` the plugin's
// one-line text) for a page in `lang` ("nl" or "en"; anything else counts as "nl"), as
// plain text (the caller escapes it). The field name is kept: "reden: ..." is never
// written, always "reason: ...". A not-found and a forbidden record read alike.
std::string error_text(std::int32_t status, const std::string &reason, const std::string &lang);

} // namespace hearth::dashboards

#endif // HEARTH_DASHBOARDS_ERROR_TEXTS_HPP
