// For tests of the case export algorithm: the ledger as a map (the plugin's table is
// tested through the plugin in zgw_plugin_test.cpp) and the catalogue entries they export
// with.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "zaak_export.hpp"

namespace hearth::test {

class MapLedger final : public adapters::zgw::ExportLedger {
public:
  std::optional<adapters::zgw::ExportProgress> load(const std::string &case_id) override {
    const auto found = rows.find(case_id);
    return found == rows.end() ? std::nullopt : std::optional<adapters::zgw::ExportProgress>(found->second);
  }
  void record(const adapters::zgw::CaseExportRequest &request, adapters::zgw::ExportStep step,
              const adapters::zgw::ExportProgress &progress) override {
    rows[request.case_id] = progress;
    steps.push_back(step);
  }
  std::map<std::string, adapters::zgw::ExportProgress> rows;
  std::vector<adapters::zgw::ExportStep> steps;
};

// Export settings for the loopback Zaken API: an RSIN that passes the elfproef and the
// test catalogue's zaaktype, statustype and roltype.
inline adapters::zgw::ExportSettings test_export_settings() {
  adapters::zgw::ExportSettings settings;
  settings.bronorganisatie = "002220647";
  settings.verantwoordelijke_organisatie = "002220647";
  settings.zaaktype = "https://catalogi.test/api/v1/zaaktypen/bbbbbbbb-0000-4000-8000-000000000001";
  settings.statustype = "https://catalogi.test/api/v1/statustypen/bbbbbbbb-0000-4000-8000-000000000002";
  settings.roltype = "https://catalogi.test/api/v1/roltypen/bbbbbbbb-0000-4000-8000-000000000003";
  return settings;
}

} // namespace hearth::test
