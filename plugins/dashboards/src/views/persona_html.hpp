// HTML pieces the care, coordinator, tenant, neighbour and auditor views share: reading
// JSON answers without throwing, tables with a caption and scoped headers, POST forms with
// the anti-forgery field, labelled inputs, and the notice for a part that could not be
// loaded. Everything taken from data goes through escape(). Since dashboards 0.1.0.
// Threads: pure functions; any thread.
#ifndef HEARTH_DASHBOARDS_PERSONA_HTML_HPP
#define HEARTH_DASHBOARDS_PERSONA_HTML_HPP

#include <cstdint>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "view.hpp"

namespace hearth::dashboards::persona {

inline constexpr const char *kHandoffPlugin = "nl.hearth.coordinator-handoff";
inline constexpr const char *kEarlyWarningPlugin = "nl.hearth.early-warning";

// Field `key` of `object` as text: "" when the object is null or the field is absent or
// null; numbers and booleans as their JSON text.
std::string text_of(const Poco::JSON::Object::Ptr &object, const std::string &key);
// Field `key` as a whole number; `fallback` when absent, null or not a number.
std::int64_t int_of(const Poco::JSON::Object::Ptr &object, const std::string &key, std::int64_t fallback = 0);
// Field `key` as a boolean; false when absent or not a boolean.
bool bool_of(const Poco::JSON::Object::Ptr &object, const std::string &key);
// Field `key` as an object / array; nullptr / an empty array when absent or of another type.
Poco::JSON::Object::Ptr object_of(const Poco::JSON::Object::Ptr &object, const std::string &key);
Poco::JSON::Array::Ptr array_of(const Poco::JSON::Object::Ptr &object, const std::string &key);
// The answer's body parsed as a JSON object, or nullptr when the call failed or the body is
// no object.
Poco::JSON::Object::Ptr answer_of(const CallResult &result);

// One table row: its cells' HTML (already escaped) and its data-test value ("" for none).
// The first cell is the row header (<th scope="row">).
struct TableRow {
  std::vector<std::string> cells_html;
  std::string data_test;
};
// A <table> with `caption` and column headers (plain text, escaped here), or a <p> with
// `empty_text` when there are no rows. `data_test` goes on the table.
std::string table_html(const std::string &caption, const std::vector<std::string> &headers,
                       const std::vector<TableRow> &rows, const std::string &empty_text,
                       const std::string &data_test = "");

// <section aria-labelledby> with an <h2 id=`id`> of `heading` (plain text) and `inner_html`.
std::string section_html(const std::string &id, const std::string &heading, const std::string &inner_html);

// A POST form to `action` with the session's anti-forgery field, `fields_html` and one
// submit <button> labelled `button` (plain text). `data_test` goes on the <form>.
std::string post_form_html(const ViewRequest &request, const std::string &action, const std::string &fields_html,
                           const std::string &button, const std::string &data_test);
// A hidden input.
std::string hidden_html(const std::string &name, const std::string &value);
// A <label> and <input> (type text, date, number, search ...) with id `id`. `attributes`
// is extra raw attribute text (constant markup only, e.g. "required maxlength=\"10\"").
std::string input_html(const std::string &id, const std::string &name, const std::string &label,
                       const std::string &type, const std::string &value, const std::string &attributes = "");
// A <label> and <textarea>.
std::string textarea_html(const std::string &id, const std::string &name, const std::string &label,
                          const std::string &value, const std::string &attributes = "");
// A <label> and <select> with (value, label) options; `selected` is preselected.
std::string select_html(const std::string &id, const std::string &name, const std::string &label,
                        const std::vector<std::pair<std::string, std::string>> &options, const std::string &selected,
                        const std::string &attributes = "");

// A short notice (role="status") that a part of the page could not be loaded, saying
// nothing about why when the record is missing or forbidden (both read alike).
std::string unavailable_html(const ViewRequest &request, const CallResult &result);

// A date of an epoch-ms field, "" when the field is absent or null.
std::string date_of(const ViewRequest &request, const Poco::JSON::Object::Ptr &object, const std::string &key);

// A link to the shared case page of `case_id`.
std::string case_link_html(const std::string &case_id);

// The response to a failed state-changing call: 400 with the reason for bad input or a
// conflict, the common 404 for a missing, forbidden or refused record.
ViewResponse failed_post(const ViewRequest &request, const CallResult &result);

// `path` when it is one of `allowed`, otherwise `fallback` (redirect targets from forms).
std::string safe_back(const std::string &path, const std::vector<std::string> &allowed, const std::string &fallback);

} // namespace hearth::dashboards::persona

#endif // HEARTH_DASHBOARDS_PERSONA_HTML_HPP
