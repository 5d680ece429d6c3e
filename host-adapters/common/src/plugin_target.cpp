// The IngestTarget of an adapter running as a plugin: the data extension (data_service.h).
#include "adapter_common/ingest_driver.hpp"

#include <cstddef>

namespace hearth::adapters {

std::int32_t PluginTarget::ingest(const SignalPointers &signals, hearth_ingest_result &result, std::string &error) {
  char *message = nullptr;
  const std::int32_t status = data_->ingest(host_, actor_, signals.data(), signals.size(), &result, &message);
  if (message != nullptr) {
    error = message;
    host_->free(message);
  }
  return status;
}

std::int32_t PluginTarget::put_records(const std::string &records_json, std::uint32_t &stored, std::string &error) {
  char *message = nullptr;
  const std::int32_t status = data_->put_records(host_, actor_, records_json.c_str(), &stored, &message);
  if (message != nullptr) {
    error = message;
    host_->free(message);
  }
  return status;
}

std::int32_t PluginTarget::dead_letter(const std::string &source, const Rejection &rejection, std::string &error) {
  // data_service.h grew dead_letter in 1.1; a table without it cannot record one.
  if (data_->struct_size < offsetof(hearth_data_extension, dead_letter) + sizeof(data_->dead_letter) ||
      data_->dead_letter == nullptr) {
    error = "this runtime's data extension cannot record dead letters";
    return HEARTH_ERROR_UNSUPPORTED;
  }
  char *message = nullptr;
  const std::int32_t status =
      data_->dead_letter(host_, actor_, source.c_str(), rejection.item_index, rejection.field.c_str(),
                         rejection.reason.c_str(), rejection.payload.data(), rejection.payload.size(), &message);
  if (message != nullptr) {
    error = message;
    host_->free(message);
  }
  return status;
}

} // namespace hearth::adapters
