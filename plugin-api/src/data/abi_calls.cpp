#include "data/abi_calls.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <span>

#include "data/dead_letters.hpp"
#include "data/ingestor.hpp"
#include "data/reads.hpp"
#include "data/records.hpp"
#include "hearth/status.h"
#include "metrics/metrics.hpp"
#include "policy/abi_actor.hpp"
#include "runtime/errors.hpp"

namespace hearth::data {

namespace {

using runtime::set_error;

std::int32_t missing(char **error, const char *what) {
  set_error(error, std::string(what) + ": missing");
  return HEARTH_ERROR_INVALID_ARGUMENT;
}

std::optional<policy::Actor> checked_actor(const hearth_actor *actor, char **error) {
  std::string reason;
  auto out = policy::actor_from_abi(actor, reason);
  if (!out) {
    set_error(error, reason);
  }
  return out;
}

} // namespace

std::int32_t ingest_through_abi(Ingestor &ingestor, metrics::Registry *metrics, const hearth_actor *actor,
                                const hearth_signal *const *signals, std::uint32_t count,
                                hearth_ingest_result *result, char **error) noexcept {
  if (signals == nullptr || count == 0) return missing(error, "signals");
  if (result != nullptr &&
      result->struct_size < offsetof(hearth_ingest_result, last_sequence) + sizeof(uint64_t)) {
    set_error(error, "result.struct_size: smaller than the ABI 1.0 result");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  try {
    const auto who = checked_actor(actor, error);
    if (!who) return HEARTH_ERROR_INVALID_ARGUMENT;
    const auto outcome = ingestor.ingest(*who, std::span<const hearth_signal *const>(signals, count));
    if (metrics != nullptr) {
      metrics->add("hearth_signals_total", "outcome=accepted", outcome.accepted);
      metrics->add("hearth_signals_total", "outcome=duplicate", outcome.duplicates);
      metrics->add("hearth_signals_total", "outcome=rejected", outcome.rejected);
    }
    if (result != nullptr) {
      hearth_ingest_result out{};
      out.struct_size = result->struct_size;
      out.accepted = outcome.accepted;
      out.duplicates = outcome.duplicates;
      out.rejected = outcome.rejected;
      out.first_rejected = outcome.first_rejected;
      out.first_sequence = outcome.first_sequence;
      out.last_sequence = outcome.last_sequence;
      std::memcpy(result, &out, std::min<std::size_t>(result->struct_size, sizeof out));
    }
    if (outcome.status != HEARTH_OK) {
      set_error(error, outcome.message);
    }
    return outcome.status;
  } catch (...) {
    return runtime::status_from_current_exception(error);
  }
}

std::int32_t put_records_through_abi(RecordStore &records, const hearth_actor *actor,
                                     const char *records_json, std::uint32_t *stored,
                                     char **error) noexcept {
  if (records_json == nullptr) return missing(error, "records_json");
  try {
    const auto who = checked_actor(actor, error);
    if (!who) return HEARTH_ERROR_INVALID_ARGUMENT;
    const auto outcome = records.put(*who, records_json);
    if (stored != nullptr) *stored = outcome.stored;
    if (outcome.status != HEARTH_OK) set_error(error, outcome.message);
    return outcome.status;
  } catch (...) {
    return runtime::status_from_current_exception(error);
  }
}

std::int32_t read_through_abi(Reader &reader, const hearth_actor *actor, const char *view,
                              const char *args_json, char **result_json, char **error) noexcept {
  if (view == nullptr || *view == '\0') return missing(error, "view");
  if (result_json == nullptr) return missing(error, "result_json");
  *result_json = nullptr;
  try {
    const auto who = checked_actor(actor, error);
    if (!who) return HEARTH_ERROR_INVALID_ARGUMENT;
    const auto outcome = reader.read(*who, view, args_json != nullptr ? args_json : "{}");
    if (outcome.status == HEARTH_OK) {
      *result_json = runtime::copy_out(outcome.json);
    } else {
      set_error(error, outcome.json);
    }
    return outcome.status;
  } catch (...) {
    return runtime::status_from_current_exception(error);
  }
}

std::int32_t dead_letter_through_abi(DeadLetterRecorder &recorder, const hearth_actor *actor,
                                     const char *source, std::uint32_t item_index, const char *field,
                                     const char *reason, const char *payload,
                                     std::uint64_t payload_size, char **error) noexcept {
  if (payload == nullptr && payload_size != 0) return missing(error, "payload");
  try {
    const auto who = checked_actor(actor, error);
    if (!who) return HEARTH_ERROR_INVALID_ARGUMENT;
    RejectedInput input;
    input.source = source != nullptr ? source : "";
    input.item_index = item_index;
    input.field = field != nullptr ? field : "";
    input.reason = reason != nullptr ? reason : "";
    input.payload = std::string_view(payload != nullptr ? payload : "", static_cast<std::size_t>(payload_size));
    recorder.record(*who, input);
    return HEARTH_OK;
  } catch (const DeadLetterDenied &denied) {
    set_error(error, denied.what());
    return HEARTH_ERROR_DENIED;
  } catch (...) {
    return runtime::status_from_current_exception(error);
  }
}

} // namespace hearth::data
