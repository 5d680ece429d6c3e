// The runtime's services as extensions for plugins (hearth/audit.h, hearth/data_service.h,
// hearth/http.h). Each table is static and finds the runtime through the calling plugin's
// host table (PluginContext::from); valid for the life of the process.
#pragma once

#include "hearth/audit.h"
#include "hearth/calls.h"
#include "hearth/credentials.h"
#include "hearth/data_service.h"
#include "hearth/http.h"
#include "hearth/metrics.h"

namespace hearth::loader {

// "nl.hearth.audit/1"
const hearth_audit_extension *audit_extension();
// "nl.hearth.calls/1" (since 1.2)
const hearth_calls_extension *calls_extension();
// "nl.hearth.credentials/1" (since 1.2)
const hearth_credentials_extension *credentials_extension();
// "nl.hearth.data/1"
const hearth_data_extension *data_extension();
// "nl.hearth.http/1"
const hearth_http_extension *http_extension();
// "nl.hearth.metrics/1"
const hearth_metrics_extension *metrics_extension();

} // namespace hearth::loader
