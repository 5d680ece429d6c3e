// The register of places in the store (ch_place), mirrored from places.ini.
#pragma once

#include <string>

#include "database.hpp"
#include "handoff_config.hpp"

namespace hearth::handoff {

// Inserts or updates a ch_place row for every place of `config` (at start-up, host thread).
void sync_places(const Database &db, const HandoffConfig &config);
// Takes place `place_id`'s row lock for the rest of the transaction.
void lock_place(const Database &db, const std::string &place_id);

} // namespace hearth::handoff
