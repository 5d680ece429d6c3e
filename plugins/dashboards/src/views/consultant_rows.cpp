// The consultant's flag list rows: read from flags.portfolio's answer, written as HTML,
// and kept per person for a byte-identical answer (consultant_rows.hpp).
#include "views/consultant_rows.hpp"

#include <algorithm>
#include <utility>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Handler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SharedPtr.h>

#include "view.hpp"

namespace hearth::dashboards {
namespace {

int level_rank(const std::string &level) {
  return level == "red" ? 3 : level == "amber" ? 2 : level == "green" ? 1 : 0;
}

// Collects the rows of a flags.portfolio answer while Poco's parser reads it, without
// building the document: the page reads each field once.
class ListedFlagsHandler : public Poco::JSON::Handler {
public:
  std::vector<ListedFlag> rows;

  void reset() override {
    rows.clear();
    depth_ = 0;
    in_flags_ = false;
    key_.clear();
  }
  void startObject() override {
    ++depth_;
    if (in_flags_ && depth_ == 3) {
      rows.emplace_back();
    }
  }
  void endObject() override { --depth_; }
  void startArray() override {
    ++depth_;
    if (depth_ == 2 && key_ == "flags") {
      in_flags_ = true;
    }
  }
  void endArray() override {
    if (depth_ == 2) {
      in_flags_ = false;
    }
    --depth_;
  }
  void key(const std::string &k) override { key_ = k; }
  void null() override {}
  void value(int v) override { number(v); }
  void value(unsigned v) override { number(static_cast<Poco::Int64>(v)); }
  void value(Poco::Int64 v) override { number(v); }
  void value(Poco::UInt64 v) override { number(static_cast<Poco::Int64>(v)); }
  void value(const std::string &v) override {
    if (ListedFlag *row = field_row()) {
      if (key_ == "tenancy_id") {
        row->tenancy_id = v;
      } else if (key_ == "flag_id") {
        row->flag_id = v;
      } else if (key_ == "level") {
        row->level = v;
        row->rank = level_rank(v);
      } else if (key_ == "status") {
        row->status = v;
      } else if (key_ == "score") {
        row->score = v;
      }
    }
  }
  void value(double v) override {
    if (ListedFlag *row = field_row(); row != nullptr && key_ == "score") {
      row->score = Poco::Dynamic::Var(v).convert<std::string>();
    }
  }
  void value(bool) override {}

private:
  // The row a scalar at this point belongs to, or nullptr when it belongs to none.
  ListedFlag *field_row() { return in_flags_ && depth_ == 3 && !rows.empty() ? &rows.back() : nullptr; }
  void number(Poco::Int64 v) {
    if (ListedFlag *row = field_row()) {
      if (key_ == "score") {
        row->score = std::to_string(v);
      } else if (key_ == "evaluated_at_ms") {
        row->evaluated_at_ms = v;
      }
    }
  }

  int depth_ = 0;
  bool in_flags_ = false;
  std::string key_;
};

} // namespace

std::vector<ListedFlag> listed_flags(const std::string &answer) {
  Poco::SharedPtr<ListedFlagsHandler> rows = new ListedFlagsHandler;
  Poco::JSON::Parser parser(rows);
  parser.parse(answer);
  return std::move(rows->rows);
}

std::string level_html(const std::string &level, const std::string &lang) {
  return "<span class=\"level level-" + escape(level.empty() ? "none" : level) + "\" data-test=\"flag-level\">" +
         escape(level_label(level, lang)) + "</span>";
}

std::string row_html_before_days(const ListedFlag &row, const std::string &lang) {
  std::string html;
  html.reserve(420);
  html += "<tr data-test=\"flag-row\" data-flag=\"";
  append_escaped(html, row.flag_id);
  html += "\"><td>";
  html += level_html(row.level, lang);
  html += "</td><th scope=\"row\"><a href=\"/dashboard/consultant/flag?id=";
  append_escaped(html, url_encode(row.flag_id));
  html += "\">";
  append_escaped(html, row.tenancy_id);
  html += "</a></th><td>";
  append_escaped(html, row.score);
  html += "</td><td>";
  append_escaped(html, status_label(row.status, lang));
  html += "</td><td>";
  append_escaped(html, format_date(row.evaluated_at_ms, lang)); // raised: when the signals said so
  html += "</td><td>";
  return html;
}

std::shared_ptr<const Listing> make_listing(const std::string &answer, const std::string &lang) {
  auto listing = std::make_shared<Listing>();
  listing->answer = answer;
  listing->lang = lang;
  listing->rows = listed_flags(answer);
  std::stable_sort(listing->rows.begin(), listing->rows.end(), [](const ListedFlag &a, const ListedFlag &b) {
    return a.rank != b.rank ? a.rank > b.rank : a.evaluated_at_ms < b.evaluated_at_ms;
  });
  listing->html.reserve(listing->rows.size());
  for (const auto &row : listing->rows) {
    listing->html.push_back(row_html_before_days(row, lang));
  }
  return listing;
}

std::shared_ptr<const Listing> KeptListings::listing_for(const std::string &person, const std::string &lang,
                                                         const std::string &answer) {
  std::shared_ptr<const Listing> kept;
  {
    std::lock_guard lock(mutex_);
    if (const auto found = kept_.find(person); found != kept_.end()) {
      kept = found->second;
    }
  }
  if (kept && kept->lang == lang && kept->answer == answer) { // immutable: compared without the lock
    return kept;
  }
  auto made = make_listing(answer, lang); // outside the lock: parsing is the slow part
  std::lock_guard lock(mutex_);
  ++made_;
  if (kept_.size() >= capacity_ && kept_.count(person) == 0) {
    kept_.clear();
  }
  kept_[person] = made;
  return made;
}

std::size_t KeptListings::made() const {
  std::lock_guard lock(mutex_);
  return made_;
}

} // namespace hearth::dashboards
