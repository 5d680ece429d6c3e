#include "case_gauges.hpp"

#include <map>
#include <string>

#include "database.hpp"

namespace hearth::handoff {
namespace {

// Calls one metrics function; returns its status and hands its message to `message`.
template <typename Call>
std::int32_t metrics_call(const Host &host, std::string &message, Call call) {
  char *error = nullptr;
  const std::int32_t status = call(&error);
  message = error != nullptr ? error : "";
  host.c_host()->free(error);
  return status;
}

} // namespace

CaseGauges::CaseGauges(Host host, const HandoffConfig &config) : host_(host), config_(config) {
  const hearth_host *c_host = host_.c_host();
  metrics_ = static_cast<const hearth_metrics_extension *>(c_host->get_extension(c_host, HEARTH_METRICS_EXTENSION_ID));
  if (metrics_ == nullptr) {
    return;
  }
  for (const auto &[name, help] : {std::pair{kOpenCasesGauge, "Open coordination cases per escalation level"},
                                   std::pair{kHandoffsWaitingGauge, "Handoff offers waiting for an answer"}}) {
    std::string message;
    const std::int32_t status = metrics_call(host_, message, [&](char **error) {
      return metrics_->describe(c_host, name, HEARTH_METRIC_GAUGE, help, error);
    });
    if (status == HEARTH_ERROR_UNSUPPORTED) {
      metrics_ = nullptr; // the runtime keeps no metrics
      return;
    }
    if (status != HEARTH_OK) {
      throw Error(status, std::string("metrics: cannot describe ") + name + ": " + message);
    }
  }
}

void CaseGauges::refresh() noexcept {
  if (metrics_ == nullptr) {
    return;
  }
  try {
    std::lock_guard lock(mutex_);
    std::map<int, double> per_level;
    for (const auto &level : config_.ladder.levels) {
      per_level[level.number] = 0; // every rung, so an emptied one reads 0
    }
    double waiting = 0;
    host_.transaction([&] {
      const Database db(host_);
      for (const auto &r : db.rows("SELECT level, COUNT(*) FROM ch_case WHERE is_open = 1 GROUP BY level")) {
        per_level[static_cast<int>(r.integer(0))] = static_cast<double>(r.integer(1));
      }
      waiting = static_cast<double>(db.scalar("SELECT COUNT(*) FROM ch_offer WHERE status = 'offered'"));
    });
    const hearth_host *c_host = host_.c_host();
    std::string message;
    for (const auto &[level, count] : per_level) {
      const std::string labels = "level=" + std::to_string(level);
      if (metrics_call(host_, message, [&](char **error) {
            return metrics_->set(c_host, kOpenCasesGauge, labels.c_str(), count, error);
          }) != HEARTH_OK) {
        host_.log_warn(std::string("metrics: cannot set ") + kOpenCasesGauge + ": " + message);
        return;
      }
    }
    if (metrics_call(host_, message, [&](char **error) {
          return metrics_->set(c_host, kHandoffsWaitingGauge, nullptr, waiting, error);
        }) != HEARTH_OK) {
      host_.log_warn(std::string("metrics: cannot set ") + kHandoffsWaitingGauge + ": " + message);
    }
  } catch (const std::exception &e) {
    host_.log_warn(std::string("metrics: the case gauges could not be counted: ") + e.what());
  }
}

} // namespace hearth::handoff
