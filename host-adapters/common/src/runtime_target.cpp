// The IngestTarget of a host program: the embedding API (host.h), linked against libhearth.
#include "adapter_common/ingest_driver.hpp"

namespace hearth::adapters {
namespace {

// Moves a runtime-allocated message into `out` and frees it with `release`.
template <typename Free> void take_message(char *message, std::string &out, Free release) {
  if (message != nullptr) {
    out = message;
    release(message);
  }
}

} // namespace

std::int32_t RuntimeTarget::ingest(const SignalPointers &signals, hearth_ingest_result &result, std::string &error) {
  char *message = nullptr;
  const std::int32_t status =
      hearth_runtime_ingest(runtime_, actor_, signals.data(), signals.size(), &result, &message);
  take_message(message, error, hearth_free);
  return status;
}

std::int32_t RuntimeTarget::put_records(const std::string &records_json, std::uint32_t &stored, std::string &error) {
  char *message = nullptr;
  const std::int32_t status = hearth_runtime_put_records(runtime_, actor_, records_json.c_str(), &stored, &message);
  take_message(message, error, hearth_free);
  return status;
}

std::int32_t RuntimeTarget::dead_letter(const std::string &source, const Rejection &rejection, std::string &error) {
  char *message = nullptr;
  const std::int32_t status = hearth_runtime_dead_letter(
      runtime_, actor_, source.c_str(), rejection.item_index, rejection.field.c_str(), rejection.reason.c_str(),
      rejection.payload.data(), rejection.payload.size(), &message);
  take_message(message, error, hearth_free);
  return status;
}

} // namespace hearth::adapters
