// The plugin's own tables (prefix ch_), created by its migrations through
// host->storage_migrate. docs/handoff.md, "Data", describes them.
#pragma once

#include <vector>

#include <hearth/host_services.h>

namespace hearth::handoff {

// The migrations in ascending version; static data, valid for the life of the module.
const std::vector<hearth_migration> &migrations();

} // namespace hearth::handoff
