#include "adapter_common/signal_classes.hpp"

#include <array>

namespace hearth::adapters {
namespace {

struct TypeClass {
  std::string_view type, detail, data_class;
};

// docs/data.md, "Signal types" (the core's own table is plugin-api/src/data/signal_types.cpp).
constexpr std::array kClasses = {
    TypeClass{"SCH", "", "finance"},    TypeClass{"SCH", "BET", "finance"},  TypeClass{"SCH", "DEU", "finance"},
    TypeClass{"SCH", "MUT", "finance"}, TypeClass{"OVE", "", "nuisance"},    TypeClass{"OVE", "GEL", "nuisance"},
    TypeClass{"ONE", "", "nuisance"},   TypeClass{"ONE", "VER", "nuisance"}, TypeClass{"ONE", "DRU", "nuisance"},
    TypeClass{"ONE", "HEN", "nuisance"}, TypeClass{"ONE", "OND", "housing"}, TypeClass{"AGR", "", "nuisance"},
    TypeClass{"AGR", "VEB", "nuisance"}, TypeClass{"AGR", "FYS", "nuisance"}, TypeClass{"WAN", "", "nuisance"},
    TypeClass{"ONB", "", "care"},       TypeClass{"ONB", "AMB", "care"},     TypeClass{"X-REP", "", "housing"},
    TypeClass{"X-AFS", "", "contact"},  TypeClass{"X-BTR", "", "finance"},   TypeClass{"X-BTR", "VBR", "finance"},
};

} // namespace

std::string signal_data_class(std::string_view type, std::string_view detail) {
  for (const auto &entry : kClasses) {
    if (entry.type == type && entry.detail == detail) {
      return std::string(entry.data_class);
    }
  }
  return {};
}

} // namespace hearth::adapters
