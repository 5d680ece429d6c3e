// The auditor's backtest page GET /dashboard/auditor/backtest?from=&to=: the early-warning
// plugin's backtest over a window (operation "backtest", one part), its figures as tables,
// the lead-time histogram, the score distribution and the precision/recall curve as SVG,
// and the red-flag rate per neighbourhood. Reading only: nothing changes. Since
// dashboards 0.1.0.
#ifndef HEARTH_DASHBOARDS_AUDITOR_BACKTEST_HPP
#define HEARTH_DASHBOARDS_AUDITOR_BACKTEST_HPP

#include "view.hpp"

namespace hearth::dashboards::persona {

// Registers the page for the auditor (called by register_auditor_views, after the
// auditor's start page).
void register_backtest_view(ViewRegistry &registry);

} // namespace hearth::dashboards::persona

#endif // HEARTH_DASHBOARDS_AUDITOR_BACKTEST_HPP
