// The plugin's gauges on /metrics (hearth/metrics.h, "nl.hearth.metrics/1"):
//   hearth_open_cases{level="<n>"}  open cases per rung of the escalation ladder
//   hearth_handoffs_waiting          handoff offers not yet accepted, declined or withdrawn
// Counts only: no case, person, tenancy or address in a name or label. Set at init from
// the store and again after every operation or event batch that may change cases or offers.
// Since coordinator-handoff 0.2.0.
#pragma once

#include <mutex>

#include <hearth/metrics.h>
#include <hearth/plugin.hpp>

#include "handoff_config.hpp"

namespace hearth::handoff {

class CaseGauges {
public:
  // Describes both gauges through `host`'s metrics extension; without one (a runtime that
  // keeps no metrics) the gauges stay off and refresh() does nothing. Throws hearth::Error
  // when the extension refuses a description. Call once, in init(), on the host thread.
  CaseGauges(Host host, const HandoffConfig &config);

  // Counts open cases per level and waiting offers in the store (in a transaction of its
  // own, after the caller's has committed) and sets the gauges. Serialised, so a later
  // count is never overwritten by an earlier one. A failure is logged as a warning (no
  // personal data) and does not reach the caller. [any-thread]
  void refresh() noexcept;

private:
  Host host_;
  const HandoffConfig &config_;
  const hearth_metrics_extension *metrics_ = nullptr;
  std::mutex mutex_;
};

// The gauges' names.
inline constexpr const char *kOpenCasesGauge = "hearth_open_cases";
inline constexpr const char *kHandoffsWaitingGauge = "hearth_handoffs_waiting";

} // namespace hearth::handoff
