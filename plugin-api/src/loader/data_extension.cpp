// "nl.hearth.data/1": ingestion, reference records and audited reads for plugins.
#include "data/abi_calls.hpp"
#include "hearth/status.h"
#include "loader/host_table.hpp"
#include "loader/service_extensions.hpp"
#include "runtime/errors.hpp"
#include "runtime/services.hpp"

namespace hearth::loader {
namespace {

int32_t unavailable(char **error) {
  runtime::set_error(error, "the data services are not available");
  return HEARTH_ERROR_STATE;
}

int32_t ingest(const hearth_host *host, const hearth_actor *actor, const hearth_signal *const *signals,
               uint32_t count, hearth_ingest_result *result, char **error) {
  if (host == nullptr) return HEARTH_ERROR_INVALID_ARGUMENT;
  auto &services = PluginContext::from(host).services();
  if (services.ingestor == nullptr) return unavailable(error);
  return data::ingest_through_abi(*services.ingestor, services.metrics, actor, signals, count, result, error);
}

int32_t put_records(const hearth_host *host, const hearth_actor *actor, const char *records_json,
                    uint32_t *stored, char **error) {
  if (host == nullptr) return HEARTH_ERROR_INVALID_ARGUMENT;
  auto &services = PluginContext::from(host).services();
  if (services.records == nullptr) return unavailable(error);
  return data::put_records_through_abi(*services.records, actor, records_json, stored, error);
}

int32_t read(const hearth_host *host, const hearth_actor *actor, const char *view, const char *args_json,
             char **result_json, char **error) {
  if (host == nullptr) return HEARTH_ERROR_INVALID_ARGUMENT;
  auto &services = PluginContext::from(host).services();
  if (services.reader == nullptr) return unavailable(error);
  return data::read_through_abi(*services.reader, actor, view, args_json, result_json, error);
}

int32_t dead_letter(const hearth_host *host, const hearth_actor *actor, const char *source,
                    uint32_t item_index, const char *field, const char *reason, const char *payload,
                    uint64_t payload_size, char **error) {
  if (host == nullptr) return HEARTH_ERROR_INVALID_ARGUMENT;
  auto &services = PluginContext::from(host).services();
  if (services.dead_letters == nullptr) return unavailable(error);
  return data::dead_letter_through_abi(*services.dead_letters, actor, source, item_index, field, reason,
                                       payload, payload_size, error);
}

} // namespace

const hearth_data_extension *data_extension() {
  static const hearth_data_extension table{sizeof(hearth_data_extension), 0, &ingest, &put_records, &read,
                                            &dead_letter};
  return &table;
}

} // namespace hearth::loader
