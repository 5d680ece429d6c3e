// The canonical model's tables (owner "nl.hearth.core"): units, tenancies, persons,
// signals, outcomes, the dead-letter record and the event log (since migration 3 a view
// of the signals). docs/data.md explains them.
#pragma once

#include <vector>

#include "storage/store.hpp"

namespace hearth::data {

inline constexpr const char *kCoreSchemaOwner = "nl.hearth.core";

// The migrations, in version order. Applied by the runtime when it opens the store.
const std::vector<storage::Migration> &core_migrations();

} // namespace hearth::data
