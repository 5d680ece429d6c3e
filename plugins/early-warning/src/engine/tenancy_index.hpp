// Tenancy ids to dense indices 0, 1, 2 ...: the ids packed in one text arena and an
// open-addressing table of indices, about 30 bytes per tenancy for ids of 15 characters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::early_warning {

class TenancyIndex {
public:
  // The index of `id`, adding it when new.
  std::uint32_t add(std::string_view id);
  // The index of `id`, if known.
  std::optional<std::uint32_t> find(std::string_view id) const;
  // The id of `index` (< size()); valid until the next add().
  std::string_view id_of(std::uint32_t index) const;
  std::size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  // Bytes held (capacities, not sizes).
  std::size_t memory_bytes() const;
  void reserve(std::size_t tenancies, std::size_t id_bytes);
  void clear();

private:
  void grow();
  std::string arena_;
  std::vector<std::uint32_t> offsets_; // size() + 1 entries once anything was added
  std::vector<std::uint32_t> slots_;   // index + 1; 0 = empty
};

} // namespace hearth::early_warning
