// The views' Backend over the runtime's call and data extensions.
#include "runtime_backend.hpp"

#include <sstream>

namespace hearth::dashboards {
namespace {

void append_to_string(void *user_data, const char *data, std::uint64_t size) {
  static_cast<std::string *>(user_data)->append(data, static_cast<std::size_t>(size));
}

std::string take(const hearth_host *host, char *text) {
  std::string out = text != nullptr ? text : "";
  host->free(text);
  return out;
}

} // namespace

std::string to_json_text(const Poco::JSON::Object &object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

RuntimeBackend::RuntimeBackend(const hearth_host *host, const hearth_calls_extension *calls,
                               const hearth_data_extension *data)
    : host_(host), calls_(calls), data_(data) {}

CallResult RuntimeBackend::call_json(const hearth_actor &actor, const char *plugin_id, const char *operation,
                                     const std::string &args_json) {
  CallResult result;
  if (calls_ == nullptr) {
    result.status = HEARTH_ERROR_UNSUPPORTED;
    result.body = "the runtime offers no nl.hearth.calls/1";
    return result;
  }
  const hearth_text_sink sink{sizeof(hearth_text_sink), 0, &result.body, &append_to_string};
  result.status = calls_->call(host_, &actor, plugin_id, operation, args_json.c_str(), &sink);
  return result;
}

CallResult RuntimeBackend::call(const Session &session, const std::string &plugin_id, const std::string &operation,
                                const Poco::JSON::Object &args) {
  const hearth_actor actor = session.actor();
  return call_json(actor, plugin_id.c_str(), operation.c_str(), to_json_text(args));
}

CallResult RuntimeBackend::read(const Session &session, const std::string &view, const Poco::JSON::Object &args) {
  CallResult result;
  if (data_ == nullptr) {
    result.status = HEARTH_ERROR_UNSUPPORTED;
    result.body = "the runtime offers no nl.hearth.data/1";
    return result;
  }
  const hearth_actor actor = session.actor();
  char *json = nullptr;
  char *error = nullptr;
  result.status = data_->read(host_, &actor, view.c_str(), to_json_text(args).c_str(), &json, &error);
  const std::string answer = take(host_, json);
  const std::string failure = take(host_, error);
  result.body = result.status == HEARTH_OK ? answer : failure;
  return result;
}

std::int64_t RuntimeBackend::now_ms() { return host_->clock_now_ms(host_); }

} // namespace hearth::dashboards
