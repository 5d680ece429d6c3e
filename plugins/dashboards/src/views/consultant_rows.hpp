// The rows of the consultant's flag list (GET /dashboard/consultant) as the page shows
// them, made from the text of flags.portfolio's answer (since 0.1.0). The early-warning
// plugin answers every page load afresh, after asking the policy and writing the audit
// entry; reading that text (Poco's JSON parser) and writing its rows as HTML cost more
// than a quarter of a page. The rows and their HTML are a function of exactly that text
// and the page's language, so KeptListings keeps them per person and uses them again only
// for a byte-identical answer to the same person: nothing is ever shown that this
// request's answer does not hold, and nothing of one person reaches another.
#ifndef HEARTH_DASHBOARDS_VIEWS_CONSULTANT_ROWS_HPP
#define HEARTH_DASHBOARDS_VIEWS_CONSULTANT_ROWS_HPP

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hearth::dashboards {

// One row of flags.portfolio's answer, as the list shows it. Since 0.1.0.
struct ListedFlag {
  std::string tenancy_id, flag_id, level, score, status;
  std::int64_t evaluated_at_ms = 0;
  int rank = 0; // 3 red, 2 amber, 1 green, 0 anything else
};

// The rows of a flags.portfolio answer ({"flags": [{...}, ...]}) in answer order, read
// without building a document; other members and unknown fields are skipped. Throws
// Poco::Exception when `answer` is not JSON. Since 0.1.0. [any-thread]
std::vector<ListedFlag> listed_flags(const std::string &answer);

// The level as the page shows it: a span with the level's class and its label in `lang`
// ("nl" or "en"); an empty level shows as "none". Since 0.1.0. [any-thread]
std::string level_html(const std::string &level, const std::string &lang);

// Row `row` of the flag table in `lang` up to and including the opening <td> of its last
// cell (the days open, which depend on the clock: the caller appends them and
// "</td></tr>\n"). Since 0.1.0. [any-thread]
std::string row_html_before_days(const ListedFlag &row, const std::string &lang);

// One answer's rows, highest level first and then oldest (stable), each with its HTML
// (row_html_before_days) in the language it was made for. Immutable once made.
// Since 0.1.0.
struct Listing {
  std::string answer;                 // the flags.portfolio answer it was made from
  std::string lang;                   // the language of `html`
  std::vector<ListedFlag> rows;       // sorted as above
  std::vector<std::string> html;      // html[i] is rows[i]'s, up to its days open
};

// Makes the Listing of an answer; throws Poco::Exception when `answer` is not JSON.
// Since 0.1.0. [any-thread]
std::shared_ptr<const Listing> make_listing(const std::string &answer, const std::string &lang);

// The Listing last made for each person, used again only for the same person, the same
// language and a byte-identical answer. At most `capacity` people (when full, all are
// dropped: they are made again on use). One per plugin instance. Since 0.1.0.
// [any-thread]
class KeptListings {
public:
  explicit KeptListings(std::size_t capacity = 256) : capacity_(capacity) {}

  // The Listing of `answer` in `lang` for `person` (a key that names one person, e.g.
  // organisation, user and role): the kept one when it was made from exactly this text in
  // this language for this person, else a new one, which is then kept for them. Throws
  // Poco::Exception when `answer` is not JSON (nothing is kept then).
  std::shared_ptr<const Listing> listing_for(const std::string &person, const std::string &lang,
                                             const std::string &answer);

  // How many times listing_for() made a new Listing (for tests). [any-thread]
  std::size_t made() const;

private:
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::size_t made_ = 0;
  std::map<std::string, std::shared_ptr<const Listing>> kept_;
};

} // namespace hearth::dashboards

#endif // HEARTH_DASHBOARDS_VIEWS_CONSULTANT_ROWS_HPP
