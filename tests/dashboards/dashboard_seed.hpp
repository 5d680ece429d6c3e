// The demo store the dashboards tests share (see dashboard_fixture.cpp, SeededStore).
#pragma once

#include <filesystem>

namespace hearth::test::dashboards {

// Seeds the demo neighbourhood with this build's plugins and writes it to `to` (replaced
// atomically). Throws std::runtime_error when seeding fails.
void write_shared_seed(const std::filesystem::path &to);

} // namespace hearth::test::dashboards
