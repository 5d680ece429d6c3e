// The adapters of `hearth ingest --adapter NAME`. One line per adapter; each adapter's
// library is linked into hearth_ingest_command (CMakeLists.txt in this folder).
#include "ingest_command.hpp"

#include "csv_adapter/csv_adapter.hpp"
#include "signalen_report.hpp"
#include "vera_adapter/vera_parser.hpp"
#include "zgw_zaak.hpp"

namespace hearth::cli {

const adapters::AdapterRegistry &ingest_adapters() {
  static const adapters::AdapterRegistry registry = [] {
    adapters::AdapterRegistry table;
    table.add(adapters::vera::vera_adapter());
    table.add(adapters::csv::csv_adapter());
    table.add(adapters::csv::crm_adapter());
    table.add(adapters::zgw::zgw_adapter());
    table.add(adapters::signalen::signalen_adapter());
    return table;
  }();
  return registry;
}

} // namespace hearth::cli
