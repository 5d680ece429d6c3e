#include "commands/register-entry/register_markdown.hpp"

#include <sstream>

#include <Poco/JSON/Array.h>

namespace hearth::cli {

std::string register_markdown(const Poco::JSON::Object::Ptr &entry) {
  std::ostringstream out;
  out << "# " << entry->getValue<std::string>("name") << "\n\n"
      << "*" << entry->getValue<std::string>("standard") << "*\n\n";
  const std::pair<const char *, const char *> fields[] = {
      {"Korte omschrijving", "short_description"},
      {"Organisatie", "organisation"},
      {"Status", "status"},
      {"Doel en impact", "purpose_and_impact"},
      {"Afwegingen", "considerations"},
      {"Menselijke tussenkomst", "human_intervention"},
      {"Risicobeheer", "risk_management"},
      {"Wettelijke grondslag", "legal_basis"},
  };
  for (const auto &[heading, key] : fields) {
    out << "## " << heading << "\n\n" << entry->getValue<std::string>(key) << "\n\n";
  }
  out << "## Impacttoetsen\n\n";
  const auto assessments = entry->getArray("impact_assessments");
  for (std::size_t i = 0; i < assessments->size(); ++i) {
    const auto assessment = assessments->getObject(static_cast<unsigned>(i));
    out << "- " << assessment->getValue<std::string>("type") << ": " << assessment->getValue<std::string>("reference")
        << "\n";
  }
  out << "\n## Data en bronnen\n\n" << entry->getValue<std::string>("data_and_sources") << "\n\n"
      << "| categorie | signalen | gegevensklasse | punten | per ernststap | per 100 euro | halveringstijd (dagen) | maximum |\n"
      << "|---|---|---|---:|---:|---:|---:|---:|\n";
  const auto categories = entry->getArray("categories");
  for (std::size_t i = 0; i < categories->size(); ++i) {
    const auto c = categories->getObject(static_cast<unsigned>(i));
    std::string codes;
    const auto list = c->getArray("signals");
    for (std::size_t k = 0; k < list->size(); ++k) {
      codes += (k == 0 ? "" : ", ") + list->getElement<std::string>(static_cast<unsigned>(k));
    }
    out << "| " << c->getValue<std::string>("label") << " | " << codes << " | " << c->getValue<std::string>("data_class")
        << " | " << c->get("points").toString() << " | " << c->get("points_per_severity").toString() << " | "
        << c->get("points_per_100_euro").toString() << " | " << c->get("half_life_days").toString() << " | "
        << c->get("cap").toString() << " |\n";
  }
  out << "\n## Technische werking\n\n" << entry->getValue<std::string>("technical_operation") << "\n\n"
      << "## Broncode\n\n" << entry->getValue<std::string>("source_code") << "\n\n"
      << "## Contact\n\n" << entry->getValue<std::string>("contact") << "\n";
  const auto missing = entry->getArray("missing_settings");
  if (missing->size() > 0) {
    out << "\n---\n\nNog in te vullen in de configuratie (hearth.ini):";
    for (std::size_t i = 0; i < missing->size(); ++i) {
      out << (i == 0 ? " " : ", ") << missing->getElement<std::string>(static_cast<unsigned>(i));
    }
    out << ".\n";
  }
  return out.str();
}

} // namespace hearth::cli
