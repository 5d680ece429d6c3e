// The plugin's own tables (prefix ew_), created by its migrations through
// host->storage_migrate. docs/early-warning.md ("Storage") describes them.
#pragma once

#include <vector>

#include <hearth/host_services.h>

namespace hearth::early_warning {

// The migrations, in version order; static data.
const std::vector<hearth_migration> &migrations();

} // namespace hearth::early_warning
