// The demo neighbourhood as the JSON the embedding API takes: reference records for
// hearth_runtime_put_records, and signals as JSON for comparison and inspection.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "demo/demo_data.hpp"

namespace hearth::demo {

// Calls `batch` with JSON arrays of at most `batch_size` records each (`count` records in
// the array), in the order the runtime needs them: units, tenancies, persons, outcomes.
// The fields are those of docs/data.md; no person carries a BSN.
void for_each_record_batch(const DemoNeighbourhood &neighbourhood, std::size_t batch_size,
                           const std::function<void(const std::string &json, std::size_t count)> &batch);

// The number of records for_each_record_batch() produces.
std::size_t record_count(const DemoNeighbourhood &neighbourhood);

// Signals [begin, end) as a JSON array of objects with the hearth_signal field names.
std::string signals_json(const DemoNeighbourhood &neighbourhood, std::size_t begin, std::size_t end);

} // namespace hearth::demo
