// What the care professional's and the coordinator's pages both show: a list of cases,
// the handoffs offered to the reader with accept / decline forms, and consult requests
// with an answer form. Data comes from the coordinator-handoff plugin's answers
// (docs/handoff.md), which already hold only what the policy lets the reader see.
// Since dashboards 0.1.0. Threads: pure functions; any thread.
#ifndef HEARTH_DASHBOARDS_CASEWORK_HTML_HPP
#define HEARTH_DASHBOARDS_CASEWORK_HTML_HPP

#include <string>

#include <Poco/JSON/Array.h>

#include "view.hpp"

namespace hearth::dashboards::persona {

// True when the coordinator-handoff plugin marks `c` (a case.get / case.list item) as
// stalled (its "stalled": open, in a stalled state, no progress for handoff.ini's [cases]
// stalled_after_calendar_days). The plugin holds the one rule; the dashboards only show it.
bool is_stalled(const Poco::JSON::Object::Ptr &c);

// The cases of case.list as a table (data-test "case-row"), each linking to the case page.
std::string cases_table_html(const ViewRequest &request, const Poco::JSON::Array::Ptr &cases,
                             const std::string &caption);

// The offers of handoff.inbox (data-test "offer-row"), each with an accept form and a
// decline form with a required reason; the forms return to `back`.
std::string offers_inbox_html(const ViewRequest &request, const Poco::JSON::Array::Ptr &offers,
                              const std::string &back);

// The consults of consult.inbox (data-test "consult-row"), each open one with an answer form.
std::string consults_inbox_html(const ViewRequest &request, const Poco::JSON::Array::Ptr &consults,
                                const std::string &back);

// A level of the escalation ladder in words: "2 – multi-agency case".
std::string level_text(const Poco::JSON::Object::Ptr &c);

// Registers POST /dashboard/handoff/accept, /dashboard/handoff/decline and
// /dashboard/consult/answer (for care professionals, coordinators and, for handoffs,
// housing consultants). Called by register_coordinator_views.
void register_casework_posts(ViewRegistry &registry);

} // namespace hearth::dashboards::persona

#endif // HEARTH_DASHBOARDS_CASEWORK_HTML_HPP
