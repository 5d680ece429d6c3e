// The list of protected attributes and their known proxies that no rule set may use
// (config/scoring/protected-attributes.txt), and the check of a rule file against it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::early_warning {

// One listed term with the reason it is listed.
struct ProtectedTerm {
  std::string term;   // lower case, words joined by '_': "country_of_birth"
  std::string reason; // "proxy for ethnicity (SyRI ruling)"; may be empty
};

// The terms of one list file.
class ProtectedAttributes {
public:
  // Reads `file`: one term per line, optionally "term: reason"; '#' starts a comment;
  // blank lines are skipped. Throws std::runtime_error naming the file when it cannot be
  // read or holds no term at all (an empty list would silently allow everything).
  static ProtectedAttributes load(const std::filesystem::path &file);
  // A list from terms given directly (tests).
  static ProtectedAttributes from_terms(std::vector<ProtectedTerm> terms, std::string origin);

  // The listed term `text` uses, or nothing. `text` is split into lower-case words at
  // anything that is not a letter or digit; a term matches when its words appear in that
  // order, next to each other ("country-of-birth"), or glued into one word
  // ("countryofbirth").
  std::optional<ProtectedTerm> find_in(std::string_view text) const;
  // Where the list came from, for messages.
  const std::string &origin() const { return origin_; }
  const std::vector<ProtectedTerm> &terms() const { return terms_; }

private:
  std::vector<ProtectedTerm> terms_;
  std::vector<std::vector<std::string>> term_words_;
  std::string origin_;
};

} // namespace hearth::early_warning
