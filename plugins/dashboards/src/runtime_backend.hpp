// The Backend of the views over the runtime: operations of other plugins through
// nl.hearth.calls/1, views through the data extension's read() (since 0.1.0).
#ifndef HEARTH_DASHBOARDS_RUNTIME_BACKEND_HPP
#define HEARTH_DASHBOARDS_RUNTIME_BACKEND_HPP

#include <hearth/calls.h>
#include <hearth/data_service.h>
#include <hearth/host_services.h>

#include "view.hpp"

namespace hearth::dashboards {

// Passes the session's actor on unchanged, so the called plugin or the runtime asks the
// policy service and audits for that person. The extension tables are borrowed and must
// outlive this object (they live until the plugin's deinit()). [any-thread]
class RuntimeBackend : public Backend {
public:
  // `calls` or `data` may be null when the runtime lacks them: such calls then answer
  // HEARTH_ERROR_UNSUPPORTED.
  RuntimeBackend(const hearth_host *host, const hearth_calls_extension *calls, const hearth_data_extension *data);

  CallResult call(const Session &, const std::string &plugin_id, const std::string &operation,
                  const Poco::JSON::Object &args) override;
  CallResult read(const Session &, const std::string &view, const Poco::JSON::Object &args) override;
  std::int64_t now_ms() override;

  // As call(), with the arguments already as JSON text.
  CallResult call_json(const hearth_actor &actor, const char *plugin_id, const char *operation,
                       const std::string &args_json);

private:
  const hearth_host *host_;
  const hearth_calls_extension *calls_;
  const hearth_data_extension *data_;
};

// `object` as compact JSON text.
std::string to_json_text(const Poco::JSON::Object &object);

} // namespace hearth::dashboards

#endif // HEARTH_DASHBOARDS_RUNTIME_BACKEND_HPP
