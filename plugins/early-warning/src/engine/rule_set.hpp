// A compiled early-warning rule set: what a rule file in config/scoring/ says, checked and
// in the form the scorer uses (docs/early-warning.md, "Rule file format").
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::early_warning {

// The three levels of a score. Since 0.1.
enum class Level : std::uint8_t { none = 0, green = 1, amber = 2, red = 3 };

// "green", "amber", "red" ("none" for none).
const char *level_name(Level level);

// Parses "green", "amber" or "red"; returns false for anything else.
bool parse_level(std::string_view text, Level &level);

// How a category combines its signals.
enum class CombineMode : std::uint8_t {
  sum,   // every signal counts, each decayed from when it happened
  latest // only the latest signal counts (a status report, such as the current arrears)
};

// Text in Dutch and in English.
struct Label {
  std::string nl;
  std::string en;
};

// One category: the signals it matches and the points they give.
struct Category {
  std::string id;                 // "arrears"
  Label label;                    // "huurachterstand" / "rent arrears"
  Label explain;                  // "{count} overlastmeldingen in {days} dagen" / "... in {days} days"
  Label explain_one;              // the same for exactly one signal ("1 overlastmelding ...")
  CombineMode mode = CombineMode::sum;
  double points = 0;              // per signal
  double points_per_severity = 0; // + per severity step (1..5)
  double points_per_100_euro = 0; // + per 100 euro of amount
  double half_life_days = 90;
  double cap = 0;                 // the category never gives more than this
  std::int32_t min_severity = 0;  // signals below this severity are ignored
  std::int64_t min_amount_cents = 0; // signals below this amount are ignored
  std::string data_class;         // the policy data class of its signals ("finance")
};

// A category's numbers in the compact form the scoring loops read (one cache line, no
// strings); RuleSet::params holds one per category.
struct CategoryParams {
  double points = 0;
  double points_per_severity = 0;
  double points_per_100_euro = 0;
  double half_life_minutes = 0; // half_life_days * 1440
  double cap = 0;
  std::int64_t min_amount_cents = 0;
  std::int32_t min_severity = 0;
  bool latest = false;          // mode latest
};

// The compact numbers of `category`.
CategoryParams params_of(const Category &category);

// A pattern a category matches: a type with one detail, no detail, or any detail.
struct SignalPattern {
  std::string type;   // "SCH"
  std::string detail; // "BET"; "" for a signal without detail; "*" for any detail
  std::uint32_t category = 0;
};

// A bonus when two categories both occurred within a window.
struct Combination {
  std::string id;
  Label label;
  std::uint32_t first = 0;  // category index
  std::uint32_t second = 0; // category index
  double window_days = 90;
  double points = 0;
};

// A whole rule set. Immutable once compiled; shared between threads read-only.
struct RuleSet {
  std::string name;
  std::string version;       // required, chosen by its author
  std::string sha256;        // of the file's bytes, hex
  std::string source_text;   // the file as read (stored with every flag's rule set)
  std::string source_name;   // the file name, for messages
  Label description;
  std::vector<Category> categories;
  std::vector<CategoryParams> params; // params_of(categories[i]); filled when compiled
  std::vector<SignalPattern> patterns;
  std::vector<Combination> combinations;
  double amber_from = 0;     // a score at or above this is amber
  double red_from = 0;       // at or above this is red
  Level flag_from = Level::amber; // a flag is raised from this level up

  // The category index a signal of `type` / `detail` falls in, or -1 when the rule set
  // ignores it. An exact detail wins over "*".
  std::int32_t category_of(std::string_view type, std::string_view detail) const;
  // The level of an integer score.
  Level level_of(std::int64_t score) const;
  // The policy data classes the rule set reads, sorted and without repeats.
  std::vector<std::string> data_classes() const;
  // The first 12 hex digits of the hash: short enough for ids.
  std::string short_hash() const { return sha256.substr(0, 12); }
};

// The points one signal gives before decay and cap (counts() says whether it counts).
inline double signal_points(const CategoryParams &category, std::int32_t severity, std::int64_t amount_cents) {
  return category.points + category.points_per_severity * severity +
         category.points_per_100_euro * (static_cast<double>(amount_cents) / 10000.0);
}

} // namespace hearth::early_warning
