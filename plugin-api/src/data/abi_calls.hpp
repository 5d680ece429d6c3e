// The data services' calls as the C boundary offers them, shared by host.h
// (hearth_runtime_ingest / _put_records / _read) and the plugins' extension
// "nl.hearth.data/1" (hearth/data_service.h), so that both check, answer and fail alike.
// None of them throws: failures become a status and a message in *error (freed with free()).
#pragma once

#include <cstdint>

#include "hearth/actor.h"
#include "hearth/signals.h"

namespace hearth::metrics {
class Registry;
}

namespace hearth::data {

class Ingestor;
class RecordStore;
class Reader;
class DeadLetterRecorder;

// As hearth_runtime_ingest(); counts the outcome in `metrics` (may be nullptr) as
// hearth_signals_total{outcome="accepted"|"duplicate"|"rejected"}. [any-thread]
std::int32_t ingest_through_abi(Ingestor &ingestor, metrics::Registry *metrics, const hearth_actor *actor,
                                const hearth_signal *const *signals, std::uint32_t count,
                                hearth_ingest_result *result, char **error) noexcept;

// As hearth_runtime_put_records(). [any-thread]
std::int32_t put_records_through_abi(RecordStore &records, const hearth_actor *actor,
                                     const char *records_json, std::uint32_t *stored,
                                     char **error) noexcept;

// As hearth_runtime_read(). [any-thread]
std::int32_t read_through_abi(Reader &reader, const hearth_actor *actor, const char *view,
                              const char *args_json, char **result_json, char **error) noexcept;

// As hearth_runtime_dead_letter(). [any-thread]
std::int32_t dead_letter_through_abi(DeadLetterRecorder &recorder, const hearth_actor *actor,
                                     const char *source, std::uint32_t item_index, const char *field,
                                     const char *reason, const char *payload,
                                     std::uint64_t payload_size, char **error) noexcept;

} // namespace hearth::data
