// An open Hearth runtime for the length of one command.
#include "runtime_session.hpp"

#include "cli_errors.hpp"
#include "hearth_text.hpp"

namespace hearth::cli {

namespace {

// `text` or "" for NULL.
std::string copy_text(const char *text) { return text == nullptr ? std::string() : text; }

} // namespace

RuntimeSession::RuntimeSession(const std::optional<std::string> &config_dir) {
  HearthText error;
  const std::int32_t status =
      hearth_runtime_open(config_dir ? config_dir->c_str() : nullptr, &runtime_, error.out());
  if (status != HEARTH_OK) {
    runtime_ = nullptr;
    throw CommandFailure("cannot open the runtime: " + failure_message(status, error));
  }
}

RuntimeSession::~RuntimeSession() { hearth_runtime_close(runtime_); }

void RuntimeSession::load_plugins() {
  HearthText error;
  const std::int32_t status = hearth_runtime_load_plugins(runtime_, error.out());
  if (status != HEARTH_OK) {
    throw CommandFailure("cannot load plugins: " + failure_message(status, error));
  }
}

std::vector<PluginRecord> RuntimeSession::plugins() const {
  std::vector<PluginRecord> records;
  const std::uint32_t count = hearth_runtime_plugin_count(runtime_);
  for (std::uint32_t index = 0; index < count; ++index) {
    hearth_plugin_info info{};
    info.struct_size = sizeof info;
    const std::int32_t status = hearth_runtime_plugin_at(runtime_, index, &info);
    if (status != HEARTH_OK) {
      throw CommandFailure("cannot read plugin " + std::to_string(index) + ": " +
                           hearth_status_name(status));
    }
    PluginRecord record;
    record.state = info.state;
    record.kind = info.kind;
    record.id = copy_text(info.id);
    record.name = copy_text(info.name);
    record.version = copy_text(info.version);
    record.path = copy_text(info.path);
    record.message = copy_text(info.message);
    records.push_back(std::move(record));
  }
  return records;
}

std::string RuntimeSession::plugins_json() const {
  HearthText json;
  HearthText error;
  const std::int32_t status = hearth_runtime_plugins_json(runtime_, json.out(), error.out());
  if (status != HEARTH_OK) {
    throw CommandFailure("cannot list plugins: " + failure_message(status, error));
  }
  return json.str();
}

std::uint16_t RuntimeSession::serve_http(const std::optional<std::string> &address,
                                         std::uint16_t port) {
  HearthText error;
  std::uint16_t bound_port = 0;
  const std::int32_t status = hearth_runtime_serve_http(
      runtime_, address ? address->c_str() : nullptr, port, &bound_port, error.out());
  if (status != HEARTH_OK) {
    throw CommandFailure("cannot serve HTTP: " + failure_message(status, error));
  }
  return bound_port;
}

void RuntimeSession::stop_http() {
  const std::int32_t status = hearth_runtime_stop_http(runtime_);
  if (status != HEARTH_OK) {
    throw CommandFailure(std::string("cannot stop HTTP: ") + hearth_status_name(status));
  }
}

} // namespace hearth::cli
