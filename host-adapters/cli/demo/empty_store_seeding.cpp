// Seeding an empty store for `hearth serve`.
#include "demo/empty_store_seeding.hpp"

#include "demo/demo_runtime.hpp"
#include "demo/generator.hpp"
#include "demo/store_counts.hpp"

namespace hearth::demo {

std::optional<LoadSummary> seed_empty_store(const std::optional<std::string> &config_dir,
                                            std::uint32_t tenancies, std::uint64_t seed) {
  DemoRuntime runtime(config_dir);
  if (read_store_counts(runtime.get()).tenancies != 0) {
    return std::nullopt;
  }
  return store_neighbourhood(runtime.get(), generate_neighbourhood(tenancies, seed));
}

} // namespace hearth::demo
