#include "engine/protected_attributes.hpp"

#include <cctype>
#include <fstream>
#include <stdexcept>

namespace hearth::early_warning {
namespace {

// Lower-case words of `text`, split at anything that is not an ASCII letter or digit.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0) {
      word.push_back(static_cast<char>(std::tolower(u)));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) {
    words.push_back(std::move(word));
  }
  return words;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

} // namespace

ProtectedAttributes ProtectedAttributes::from_terms(std::vector<ProtectedTerm> terms, std::string origin) {
  ProtectedAttributes list;
  list.origin_ = std::move(origin);
  for (auto &term : terms) {
    auto words = words_of(term.term);
    if (words.empty()) {
      continue;
    }
    std::string joined;
    for (const auto &w : words) {
      joined += (joined.empty() ? "" : "_") + w;
    }
    term.term = joined;
    list.term_words_.push_back(std::move(words));
    list.terms_.push_back(std::move(term));
  }
  return list;
}

ProtectedAttributes ProtectedAttributes::load(const std::filesystem::path &file) {
  std::ifstream in(file);
  if (!in) {
    throw std::runtime_error(file.string() + ": cannot read the list of protected attributes");
  }
  std::vector<ProtectedTerm> terms;
  std::string line;
  while (std::getline(in, line)) {
    const auto hash = line.find('#');
    const std::string content = trim(std::string_view(line).substr(0, hash));
    if (content.empty()) {
      continue;
    }
    const auto colon = content.find(':');
    ProtectedTerm term;
    term.term = trim(std::string_view(content).substr(0, colon));
    if (colon != std::string::npos) {
      term.reason = trim(std::string_view(content).substr(colon + 1));
    }
    terms.push_back(std::move(term));
  }
  auto list = from_terms(std::move(terms), file.string());
  if (list.terms_.empty()) {
    throw std::runtime_error(file.string() + ": the list of protected attributes is empty");
  }
  return list;
}

std::optional<ProtectedTerm> ProtectedAttributes::find_in(std::string_view text) const {
  const auto words = words_of(text);
  for (std::size_t t = 0; t < terms_.size(); ++t) {
    const auto &needle = term_words_[t];
    // Written as one word ("countryofbirth") it matches too.
    std::string glued;
    for (const auto &w : needle) {
      glued += w;
    }
    for (const auto &word : words) {
      if (word == glued) {
        return terms_[t];
      }
    }
    if (needle.size() > words.size()) {
      continue;
    }
    for (std::size_t at = 0; at + needle.size() <= words.size(); ++at) {
      bool match = true;
      for (std::size_t k = 0; k < needle.size() && match; ++k) {
        match = words[at + k] == needle[k];
      }
      if (match) {
        return terms_[t];
      }
    }
  }
  return std::nullopt;
}

} // namespace hearth::early_warning
