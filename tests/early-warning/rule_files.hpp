// Rule texts and lists for the early-warning tests: the shipped files under config/scoring/
// and small rule sets written for one test.
#pragma once

#include <filesystem>
#include <string>

#include "engine/protected_attributes.hpp"
#include "engine/rule_set.hpp"

namespace hearth::test::early_warning {

// config/scoring/ in the source tree.
std::filesystem::path scoring_dir();

// The shipped list of protected attributes.
const hearth::early_warning::ProtectedAttributes &shipped_protected_list();

// The shipped default rule set, compiled.
const hearth::early_warning::RuleSet &default_rules();

// A small valid rule text (two categories, one combination) with `extra` appended; tests
// change it to break one thing at a time.
std::string small_rule_text(const std::string &extra = "");

// Compiles `text` against the shipped list, as if read from "test.ini".
hearth::early_warning::RuleSet compile(const std::string &text);

} // namespace hearth::test::early_warning
