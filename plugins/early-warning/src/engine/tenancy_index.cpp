#include "engine/tenancy_index.hpp"

#include <functional>
#include <stdexcept>

namespace hearth::early_warning {

std::string_view TenancyIndex::id_of(std::uint32_t index) const {
  return std::string_view(arena_).substr(offsets_[index], offsets_[index + 1] - offsets_[index]);
}

std::optional<std::uint32_t> TenancyIndex::find(std::string_view id) const {
  if (slots_.empty()) {
    return std::nullopt;
  }
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = std::hash<std::string_view>{}(id) & mask;; at = (at + 1) & mask) {
    const std::uint32_t slot = slots_[at];
    if (slot == 0) {
      return std::nullopt;
    }
    if (id_of(slot - 1) == id) {
      return slot - 1;
    }
  }
}

void TenancyIndex::grow() {
  const std::size_t capacity = slots_.empty() ? 1024 : slots_.size() * 2;
  slots_.assign(capacity, 0);
  const std::size_t mask = capacity - 1;
  for (std::uint32_t index = 0; index < size(); ++index) {
    std::size_t at = std::hash<std::string_view>{}(id_of(index)) & mask;
    while (slots_[at] != 0) {
      at = (at + 1) & mask;
    }
    slots_[at] = index + 1;
  }
}

std::uint32_t TenancyIndex::add(std::string_view id) {
  if (auto known = find(id)) {
    return *known;
  }
  if (arena_.size() + id.size() > 0xFFFFFFF0u || size() >= 0x7FFFFFFFu) {
    throw std::length_error("too many tenancies for one scorer");
  }
  if (offsets_.empty()) {
    offsets_.push_back(0);
  }
  const auto index = static_cast<std::uint32_t>(size());
  arena_.append(id);
  offsets_.push_back(static_cast<std::uint32_t>(arena_.size()));
  if ((size() + 1) * 2 > slots_.size()) {
    grow(); // also places the new id
    return index;
  }
  const std::size_t mask = slots_.size() - 1;
  std::size_t at = std::hash<std::string_view>{}(id) & mask;
  while (slots_[at] != 0) {
    at = (at + 1) & mask;
  }
  slots_[at] = index + 1;
  return index;
}

std::size_t TenancyIndex::memory_bytes() const {
  return arena_.capacity() + offsets_.capacity() * sizeof(std::uint32_t) + slots_.capacity() * sizeof(std::uint32_t);
}

void TenancyIndex::reserve(std::size_t tenancies, std::size_t id_bytes) {
  arena_.reserve(id_bytes);
  offsets_.reserve(tenancies + 1);
}

void TenancyIndex::clear() {
  arena_.clear();
  offsets_.clear();
  slots_.clear();
}

} // namespace hearth::early_warning
