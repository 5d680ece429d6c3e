#include "adapter_common/ingest_driver.hpp"

#include <algorithm>

#include <Poco/JSON/Parser.h>

namespace hearth::adapters {
namespace {

// A readable name for a status, without libhearth (plugins link this library too).
std::string status_text(std::int32_t status) {
  switch (status) {
  case HEARTH_ERROR_INVALID_ARGUMENT: return "invalid argument";
  case HEARTH_ERROR_NOT_FOUND: return "not found";
  case HEARTH_ERROR_DENIED: return "denied";
  case HEARTH_ERROR_CONFLICT: return "conflict";
  case HEARTH_ERROR_IO: return "storage or network failure";
  case HEARTH_ERROR_UNSUPPORTED: return "not supported";
  case HEARTH_ERROR_STATE: return "the runtime is not running";
  case HEARTH_ERROR_TIMEOUT: return "timed out";
  default: return "status " + std::to_string(status);
  }
}

void keep_problem(IngestSummary &summary, std::size_t max_problems, std::string problem) {
  if (summary.problems.size() < max_problems) {
    summary.problems.push_back(std::move(problem));
  }
}

// Ingests signals[begin, end) of `batch`. When the runtime refuses the range it names the
// first refused signal (first_rejected; it has recorded its dead letter): the part before
// it is tried again on its own, the refused one is counted, and the rest goes on.
void ingest_range(IngestTarget &target, const ParsedBatch &batch, std::size_t begin, std::size_t end,
                  const IngestOptions &options, IngestSummary &summary) {
  while (begin < end) {
    const SignalPointers pointers(batch.signals, begin, end);
    hearth_ingest_result result{};
    result.struct_size = sizeof result;
    std::string error;
    const std::int32_t status = target.ingest(pointers, result, error);
    if (status == HEARTH_OK) {
      summary.accepted += result.accepted;
      summary.duplicates += result.duplicates;
      return;
    }
    if (status == HEARTH_ERROR_DENIED) {
      // The policy refuses a data class for this actor (it names the class, not the
      // signal): each signal on its own, so that the other classes still land.
      if (end - begin == 1) {
        ++summary.denied;
        keep_problem(summary, options.max_problems, error);
        return;
      }
      for (std::size_t single = begin; single < end; ++single) {
        ingest_range(target, batch, single, single + 1, options, summary);
      }
      return;
    }
    if (status != HEARTH_ERROR_INVALID_ARGUMENT || result.rejected == 0 || result.first_rejected >= end - begin) {
      throw IngestFailure(status, error.empty() ? status_text(status) : error);
    }
    const std::size_t refused = begin + result.first_rejected;
    ++summary.rejected;
    keep_problem(summary, options.max_problems, error);
    if (refused > begin) {
      ingest_range(target, batch, begin, refused, options, summary);
    }
    begin = refused + 1;
  }
}

// Records a dead letter for every parser refusal.
void dead_letter_rejections(IngestTarget &target, const ParsedBatch &batch, const IngestOptions &options,
                            IngestSummary &summary) {
  for (const Rejection &rejection : batch.rejections) {
    ++summary.rejected;
    keep_problem(summary, options.max_problems, rejection.message());
    std::string error;
    const std::int32_t status = target.dead_letter(batch.source, rejection, error);
    if (status == HEARTH_OK) {
      ++summary.dead_letters;
    } else if (status == HEARTH_ERROR_UNSUPPORTED) {
      ++summary.dead_letters_unsupported;
    } else {
      throw IngestFailure(status, "recording a dead letter failed: " + error);
    }
  }
}

// The order records must be stored in: a unit before the tenancies on it, a tenancy before
// its persons and outcome.
int kind_rank(const std::string &record) {
  try {
    const auto object = Poco::JSON::Parser().parse(record).extract<Poco::JSON::Object::Ptr>();
    const std::string kind = object->optValue<std::string>("kind", "");
    return kind == "unit" ? 0 : kind == "tenancy" ? 1 : kind == "person" ? 2 : 3;
  } catch (const std::exception &) {
    return 4; // the runtime names what is wrong with it
  }
}

std::string json_array(const std::vector<const std::string *> &records) {
  std::string out = "[";
  for (const std::string *record : records) {
    out += (out.size() > 1 ? "," : "") + *record;
  }
  return out + "]";
}

// Stores the batch's reference records in dependency order, all in one call; when the
// runtime refuses them, each on its own, counting the refused ones.
void put_records(IngestTarget &target, const ParsedBatch &batch, const IngestOptions &options, IngestSummary &summary) {
  std::vector<const std::string *> ordered;
  for (const auto &record : batch.records) {
    ordered.push_back(&record);
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const std::string *a, const std::string *b) { return kind_rank(*a) < kind_rank(*b); });
  std::uint32_t stored = 0;
  std::string error;
  if (target.put_records(json_array(ordered), stored, error) == HEARTH_OK) {
    summary.records += stored;
    return;
  }
  for (const std::string *record : ordered) {
    stored = 0;
    error.clear();
    const std::int32_t status = target.put_records(json_array({record}), stored, error);
    if (status == HEARTH_OK) {
      summary.records += stored;
    } else {
      ++summary.rejected;
      keep_problem(summary, options.max_problems, error.empty() ? status_text(status) : error);
    }
  }
}

} // namespace

void IngestSummary::add(const IngestSummary &other) {
  items += other.items;
  accepted += other.accepted;
  duplicates += other.duplicates;
  rejected += other.rejected;
  denied += other.denied;
  ignored += other.ignored;
  records += other.records;
  dead_letters += other.dead_letters;
  dead_letters_unsupported += other.dead_letters_unsupported;
  withheld += other.withheld;
  for (const auto &problem : other.problems) {
    problems.push_back(problem);
  }
}

IngestSummary ingest_batch(IngestTarget &target, const ParsedBatch &batch, const IngestOptions &options) {
  IngestSummary summary;
  summary.items = batch.items;
  summary.ignored = batch.ignored;
  dead_letter_rejections(target, batch, options, summary);
  if (options.all_or_nothing && !batch.rejections.empty()) {
    summary.withheld = batch.signals.size() + batch.records.size();
    return summary;
  }
  if (!batch.records.empty()) {
    put_records(target, batch, options, summary);
    if (options.all_or_nothing && summary.rejected > 0) {
      summary.withheld = batch.signals.size();
      return summary;
    }
  }
  if (options.all_or_nothing) {
    if (batch.signals.empty()) {
      return summary;
    }
    const SignalPointers pointers(batch.signals);
    hearth_ingest_result result{};
    result.struct_size = sizeof result;
    std::string error;
    const std::int32_t status = target.ingest(pointers, result, error);
    if (status == HEARTH_ERROR_INVALID_ARGUMENT && result.rejected > 0) {
      summary.rejected += result.rejected;
      summary.withheld = batch.signals.size() - result.rejected;
      keep_problem(summary, options.max_problems, error);
      return summary;
    }
    if (status != HEARTH_OK) {
      throw IngestFailure(status, error.empty() ? status_text(status) : error);
    }
    summary.accepted = result.accepted;
    summary.duplicates = result.duplicates;
    if (options.progress) {
      options.progress(batch.items);
    }
    return summary;
  }
  const std::size_t chunk = options.chunk_size == 0 ? 1 : options.chunk_size;
  for (std::size_t begin = 0; begin < batch.signals.size(); begin += chunk) {
    const std::size_t end = std::min(begin + chunk, batch.signals.size());
    ingest_range(target, batch, begin, end, options, summary);
    if (options.progress) {
      // Signals are in input order; report records handled in proportion.
      const std::uint64_t handled =
          batch.signals.empty() ? batch.items : batch.items * static_cast<std::uint64_t>(end) / batch.signals.size();
      options.progress(handled);
    }
  }
  if (options.progress && batch.signals.empty()) {
    options.progress(batch.items);
  }
  return summary;
}

} // namespace hearth::adapters
