// Reads and checks a rule file (config/scoring/*.ini) into a RuleSet. Every error names
// the file, the key and the reason; a file that uses a protected attribute or a proxy of
// one is refused before anything else is looked at.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include "engine/protected_attributes.hpp"
#include "engine/rule_set.hpp"

namespace hearth::early_warning {

// A rule file that cannot be used; what() is one line: "<file>: <key>: <reason>".
class RuleSetError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Compiles rule text `text` (the file's bytes; `origin` names it in messages). Throws
// RuleSetError. The hash is SHA-256 of `text`.
RuleSet compile_rule_set(const std::string &text, const std::string &origin,
                         const ProtectedAttributes &protected_attributes);

// Reads `file` and compiles it. Throws RuleSetError (also when it cannot be read).
RuleSet load_rule_set(const std::filesystem::path &file, const ProtectedAttributes &protected_attributes);

} // namespace hearth::early_warning
