// The data class of each signal type of the product's table (docs/data.md, "Signal
// types"): what picks a signal's legal basis (ParseContext::legal_basis_for). Part of
// hearth_adapter_common. Since 0.1.
#pragma once

#include <string>
#include <string_view>

namespace hearth::adapters {

// "finance", "nuisance", "housing", "care" or "contact" for a type and detail of the
// table; "" for a pair the table does not hold (the runtime would refuse the signal).
std::string signal_data_class(std::string_view type, std::string_view detail);

} // namespace hearth::adapters
