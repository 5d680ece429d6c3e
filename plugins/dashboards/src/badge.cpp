// The risk badge a CRM shows next to a tenant: /widgets/risk-badge?tenancy=… (a tiny
// HTML page to frame) and /widgets/risk-badge.json?tenancy=…: the level, a one-line
// reason and a link to the consultant's flag page. Read through the early-warning
// plugin's typed flag lookup (hearth/early_warning.h, docs/adr/0008-flag-lookup.md) with
// a reader per actor, so its policy check (once per tenancy and reader) and its audit
// (in batches, on the plugin's own thread) apply to every badge shown; the reason line
// comes from flag.explain once per flag and language (flags do not change once raised).
#include <algorithm>
#include <cstring>
#include <list>
#include <mutex>
#include <unordered_map>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <hearth/calls.h>

// The lookup table's header ships with the early-warning plugin (its include folder).
#include <hearth/early_warning.h>

#include "dashboard.hpp"
#include "page_texts.hpp"

namespace hearth::dashboards {

// Readers of the early-warning plugin's flag lookup, one per actor (user, role,
// organisation, on_behalf_of, access point, emergency claim), at most `max_readers` (the least recently
// used is closed first), each retired after `reader_ms` of runtime clock or
// `reader_lookups` lookups so that a policy change reaches the badge soon. Closing a
// reader writes its pending audit entries. [any-thread]
class BadgeReaders {
public:
  struct Limits {
    std::int64_t reader_ms = 60'000;
    std::uint64_t reader_lookups = 100'000;
    std::size_t max_readers = 256;
    std::size_t max_reasons = 4096;
  };

  BadgeReaders(const hearth_host *host, Limits limits) : host_(host), limits_(limits) {}
  ~BadgeReaders() { close_all(); }
  BadgeReaders(const BadgeReaders &) = delete;
  BadgeReaders &operator=(const BadgeReaders &) = delete;

  // Looks `tenancy` up for `actor` into *summary: HEARTH_OK, HEARTH_ERROR_NOT_FOUND (unknown
  // or forbidden: the same), or another status with `error` saying why.
  std::int32_t lookup(const hearth_actor &actor, const std::string &tenancy, hearth_ew_flag_summary &summary,
                      std::string &error) {
    std::vector<std::shared_ptr<Reader>> retired;
    std::int32_t status = HEARTH_ERROR_STATE;
    const std::string key = key_of(actor);
    // A reader closed by another thread between acquire and use: take a fresh one.
    for (int attempt = 0; attempt < 3 && status == HEARTH_ERROR_STATE; ++attempt) {
      std::shared_ptr<Reader> reader = acquire(key, actor, retired, status, error);
      if (reader == nullptr) {
        break;
      }
      bool retire = false;
      {
        const std::lock_guard<std::mutex> lock(reader->mutex);
        if (reader->handle == nullptr) {
          status = HEARTH_ERROR_STATE;
          continue;
        }
        summary = hearth_ew_flag_summary{};
        summary.struct_size = sizeof(hearth_ew_flag_summary);
        status = table_->lookup(reader->handle, tenancy.c_str(), &summary);
        retire = ++reader->lookups >= limits_.reader_lookups;
        if (status == HEARTH_ERROR_STATE) {
          retire = true; // the plugin stopped under it
        }
      }
      if (retire) {
        forget(key, reader);
        retired.push_back(std::move(reader));
      }
    }
    if (status == HEARTH_ERROR_STATE && error.empty()) {
      error = "the early-warning plugin's flag lookup is not available";
    }
    for (auto &reader : retired) {
      close(*reader);
    }
    return status;
  }

  // What a flag shows on the badge in one language: its reason line and the badge's HTML
  // after the level (the escaped reason, the link to the flag, the end of the page). Only
  // bytes: every badge still looks its tenancy up through the actor's reader (policy and
  // audit) before these are used, and a flag's text does not change once it is raised (a
  // new flag has a new id).
  struct FlagText {
    std::string reason;
    std::string html_rest;
  };

  // Copies what `flag_id` shows in English (`english`) or Dutch into *reason and/or
  // appends its HTML to *html; false when it is not known yet.
  bool flag_text(const std::string &flag_id, bool english, std::string *reason, std::string *html) {
    const std::lock_guard<std::mutex> lock(texts_mutex_);
    const auto &texts = flag_texts_[english ? 1 : 0];
    const auto found = texts.find(flag_id);
    if (found == texts.end()) {
      return false;
    }
    if (reason != nullptr) {
      *reason = found->second.reason;
    }
    if (html != nullptr) {
      *html += found->second.html_rest;
    }
    return true;
  }

  // Remembers what `flag_id` shows in the language (at most max_reasons flags per
  // language; when full, an arbitrary one makes room).
  void remember_flag_text(const std::string &flag_id, bool english, FlagText text) {
    const std::lock_guard<std::mutex> lock(texts_mutex_);
    auto &texts = flag_texts_[english ? 1 : 0];
    if (texts.size() >= limits_.max_reasons && !texts.empty() && texts.find(flag_id) == texts.end()) {
      texts.erase(texts.begin());
    }
    texts.insert_or_assign(flag_id, std::move(text));
  }

  // Closes every reader; later lookups answer HEARTH_ERROR_STATE. Blocks while the audit
  // entries are written.
  void close_all() {
    std::vector<std::shared_ptr<Reader>> all;
    {
      const std::lock_guard<std::mutex> lock(pool_mutex_);
      closed_ = true;
      for (auto &[key, reader] : order_) {
        all.push_back(std::move(reader));
      }
      order_.clear();
      index_.clear();
    }
    for (auto &reader : all) {
      close(*reader);
    }
  }

private:
  struct Reader {
    std::mutex mutex; // the table's rule: one thread at a time per reader
    hearth_ew_reader *handle = nullptr;
    std::int64_t opened_ms = 0;
    std::uint64_t lookups = 0;
  };
  using Order = std::list<std::pair<std::string, std::shared_ptr<Reader>>>;

  static std::string key_of(const hearth_actor &actor) {
    std::string key = actor.emergency != 0 ? "!\n" : "\n"; // emergency access is asked about apart
    for (const char *part : {actor.user, actor.role, actor.organisation, actor.on_behalf_of, actor.access_point}) {
      key += part != nullptr ? part : "";
      key += '\n';
    }
    return key;
  }

  // The table, fetched on first use (the runtime answers NULL inside init()).
  const hearth_ew_lookup_table *table() {
    if (table_ == nullptr) {
      const auto *calls =
          static_cast<const hearth_calls_extension *>(host_->get_extension(host_, HEARTH_CALLS_EXTENSION_ID));
      const auto *table = calls == nullptr || calls->factory == nullptr
                              ? nullptr
                              : static_cast<const hearth_ew_lookup_table *>(
                                    calls->factory(host_, HEARTH_EW_PLUGIN_ID, HEARTH_EW_LOOKUP_FACTORY_ID));
      if (table != nullptr && table->struct_size >= sizeof(hearth_ew_lookup_table)) {
        table_ = table;
      }
    }
    return table_;
  }

  // The reader of `key` (opened now when there is none or it is due to retire); retired
  // and evicted readers go to `retired` for the caller to close outside the lock.
  std::shared_ptr<Reader> acquire(const std::string &key, const hearth_actor &actor,
                                  std::vector<std::shared_ptr<Reader>> &retired, std::int32_t &status,
                                  std::string &error) {
    const std::int64_t now = host_->clock_now_ms(host_);
    const std::lock_guard<std::mutex> lock(pool_mutex_);
    if (closed_ || table() == nullptr) {
      status = HEARTH_ERROR_STATE;
      return nullptr;
    }
    if (const auto found = index_.find(key); found != index_.end()) {
      const auto &reader = found->second->second;
      if (now - reader->opened_ms < limits_.reader_ms && now >= reader->opened_ms) {
        order_.splice(order_.begin(), order_, found->second);
        return reader;
      }
      retired.push_back(reader);
      order_.erase(found->second);
      index_.erase(found);
    }
    auto reader = std::make_shared<Reader>();
    char *why = nullptr;
    status = table_->open_reader(&actor, &reader->handle, &why);
    if (status != HEARTH_OK) {
      error = why != nullptr ? why : "cannot open a flag reader";
      table_->free(why);
      return nullptr;
    }
    reader->opened_ms = now;
    order_.emplace_front(key, reader);
    index_[key] = order_.begin();
    while (order_.size() > limits_.max_readers) {
      retired.push_back(std::move(order_.back().second));
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    return reader;
  }

  // Takes `reader` out of the pool if it is still the one of `key`.
  void forget(const std::string &key, const std::shared_ptr<Reader> &reader) {
    const std::lock_guard<std::mutex> lock(pool_mutex_);
    if (const auto found = index_.find(key); found != index_.end() && found->second->second == reader) {
      order_.erase(found->second);
      index_.erase(found);
    }
  }

  void close(Reader &reader) {
    const std::lock_guard<std::mutex> lock(reader.mutex);
    if (reader.handle != nullptr) {
      table_->close_reader(reader.handle);
      reader.handle = nullptr;
    }
  }

  const hearth_host *host_;
  const Limits limits_;
  std::mutex pool_mutex_;
  bool closed_ = false;                          // under pool_mutex_
  const hearth_ew_lookup_table *table_ = nullptr; // set once, under pool_mutex_
  Order order_;                                  // most recently used first; under pool_mutex_
  std::unordered_map<std::string, Order::iterator> index_;
  std::mutex texts_mutex_;
  std::unordered_map<std::string, FlagText> flag_texts_[2]; // Dutch, English; by flag id
};

std::shared_ptr<BadgeReaders> make_badge_readers(const hearth_host *host) {
  BadgeReaders::Limits limits;
  const auto number = [&](const char *key, long long fallback, long long low, long long high) {
    const char *text = host->config_get(host, key);
    if (text == nullptr) {
      return fallback;
    }
    std::size_t used = 0;
    long long value = 0;
    try {
      value = std::stoll(text, &used);
    } catch (const std::exception &) {
      used = 0;
    }
    if (used == 0 || text[used] != '\0' || value < low || value > high) {
      throw std::invalid_argument(std::string(key) + ": '" + text + "' is not a whole number from " +
                                  std::to_string(low) + " to " + std::to_string(high));
    }
    return value;
  };
  limits.reader_ms = number("badge_reader_seconds", 60, 1, 3600) * 1000;
  limits.reader_lookups = static_cast<std::uint64_t>(number("badge_reader_lookups", 100'000, 1, 10'000'000));
  limits.max_readers = static_cast<std::size_t>(number("badge_readers", 256, 1, 100'000));
  return std::make_shared<BadgeReaders>(host, limits);
}

void Dashboard::close_badge_readers() {
  if (badge_readers_ != nullptr) {
    badge_readers_->close_all();
  }
}

namespace {

constexpr const char *kEarlyWarning = HEARTH_EW_PLUGIN_ID;

const char *level_name(std::uint32_t level) {
  switch (level) {
  case HEARTH_EW_LEVEL_GREEN:
    return "green";
  case HEARTH_EW_LEVEL_AMBER:
    return "amber";
  case HEARTH_EW_LEVEL_RED:
    return "red";
  default:
    return "none";
  }
}

const char *status_name(std::uint32_t status) {
  switch (status) {
  case HEARTH_EW_FLAG_PROPOSED:
    return "proposed";
  case HEARTH_EW_FLAG_ACCEPTED:
    return "accepted";
  case HEARTH_EW_FLAG_OVERRIDDEN:
    return "overridden";
  case HEARTH_EW_FLAG_DISMISSED:
    return "dismissed";
  default:
    return "";
  }
}

// The points a line of the explanation adds ("…: +28" → 28), or 0.
long points_of(const std::string &line) {
  const auto plus = line.rfind(": +");
  if (plus == std::string::npos) {
    return 0;
  }
  try {
    return std::stol(line.substr(plus + 3));
  } catch (const std::exception &) {
    return 0;
  }
}

// The reason line of a flag.explain answer: its weightiest line, else its summary.
std::string reason_of(const Poco::JSON::Object &flag) {
  std::string reason;
  const auto explanation = flag.getObject("explanation");
  if (explanation.isNull()) {
    return reason;
  }
  long best = -1;
  const auto lines = explanation->getArray("lines");
  for (unsigned i = 0; !lines.isNull() && i < lines->size(); ++i) {
    const std::string line = lines->getElement<std::string>(i);
    if (const long points = points_of(line); points > best) {
      best = points;
      reason = line;
    }
  }
  if (reason.empty() && explanation->has("summary")) {
    reason = explanation->getValue<std::string>("summary");
  }
  return reason;
}

// The fixed parts of the badge's HTML around its variable parts, per language and level.
struct BadgeHtml {
  std::string head;              // up to data-level="
  std::string level_part[4];     // level"><span …>label</span> <span data-test="badge-reason">
  std::string no_flag;           // the reason shown without one
  std::string unflagged_rest;    // the rest of a badge without a flag: "No flag." and the end
  std::string link_head;         // </span> <a href="
  std::string link_tail;         // " …>Open</a>
  std::string tail;              // </div></body></html>

  explicit BadgeHtml(const std::string &lang) {
    const bool english = lang == "en";
    head = "<!DOCTYPE html>\n<html lang=\"" + lang + "\"><head><meta charset=\"utf-8\"><title>" +
           (english ? "Risk" : "Risico") +
           "</title><link rel=\"stylesheet\" href=\"/dashboard/assets/app.css\"></head>"
           "<body class=\"badge\"><div class=\"badge-box\" data-test=\"risk-badge\" data-level=\"";
    for (std::uint32_t level = 0; level < 4; ++level) {
      const std::string name = level_name(level);
      level_part[level] = escape(name) + "\"><span class=\"level level-" + escape(name) +
                          "\" data-test=\"flag-level\">" + escape(level_label(name, lang)) +
                          "</span> <span data-test=\"badge-reason\">";
    }
    link_head = "</span> <a href=\"";
    link_tail = std::string("\" target=\"_blank\" rel=\"noopener\" data-test=\"badge-link\">") +
                (english ? "Open" : "Bekijk") + "</a>";
    tail = "</div></body></html>\n";
    no_flag = escape(english ? "No flag." : "Geen signaal.");
    unflagged_rest = no_flag + "</span>" + tail;
  }

  // The rest of the badge of flag `flag_id` after its level: the reason line (or "No
  // flag." when it has none), the link to the flag's page and the end of the page.
  std::string flag_rest(const std::string &flag_id, const std::string &reason) const {
    const std::string href = "/dashboard/consultant/flag?id=" + url_encode(flag_id);
    return (reason.empty() ? no_flag : escape(reason)) + link_head + escape(href) + link_tail + tail;
  }
};

const BadgeHtml &badge_html(bool english) {
  static const BadgeHtml dutch("nl");
  static const BadgeHtml english_html("en");
  return english ? english_html : dutch;
}

} // namespace

void Dashboard::handle_widget(const hearth_http_request &request, const hearth_http_response &response) {
  // The badge's path is kept lean: no full decoding of the request (only the query values
  // it needs, the cookie only when no credential came along), one lookup through the
  // actor's flag reader, flag.explain only for a flag not seen before, and the HTML badge
  // written straight to the response.
  HttpAnswer answer;
  const std::string_view path = request.path != nullptr ? request.path : "";
  try {
    if (path == "/widgets/risk-badge" || path == "/widgets/risk-badge.json") {
      std::optional<HttpAnswer> to_send = badge(request, path == "/widgets/risk-badge.json", response);
      if (!to_send) {
        return; // written
      }
      answer = std::move(*to_send);
    } else {
      answer.status = 404;
      answer.set("Content-Type", "text/plain; charset=utf-8");
      answer.body = "Niet gevonden / Not found\n";
    }
  } catch (const std::invalid_argument &bad) {
    answer = HttpAnswer{};
    answer.status = 400;
    answer.set("Content-Type", "text/plain; charset=utf-8");
    answer.body = bad.what();
  }
  send(response, answer);
}

std::string Dashboard::token_scope(const char *credential) const {
  std::string answer;
  const hearth_text_sink sink{sizeof(hearth_text_sink), 0, &answer, [](void *user_data, const char *data, std::uint64_t size) {
                                static_cast<std::string *>(user_data)->append(data, static_cast<std::size_t>(size));
                              }};
  if (credentials_->authenticate(host_, credential, &sink) != HEARTH_OK) {
    return "none"; // the runtime let it through, so this does not happen; see nothing if it does
  }
  const auto actor = Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Object::Ptr>();
  return actor->has("scope") && !actor->isNull("scope") ? actor->getValue<std::string>("scope") : std::string();
}

std::optional<HttpAnswer> Dashboard::badge(const hearth_http_request &request, bool json,
                                           const hearth_http_response &response) {
  HttpAnswer answer;
  const auto plain = [&](int status, const std::string &text) {
    answer.status = status;
    answer.set("Content-Type", json ? "application/json" : "text/plain; charset=utf-8");
    if (json) {
      Poco::JSON::Object error;
      error.set("error", text);
      answer.body = to_json_text(error);
    } else {
      answer.body = text + "\n";
    }
    answer.set("Cache-Control", "no-store");
    return std::optional<HttpAnswer>(std::move(answer));
  };
  const std::string_view query = request.query != nullptr ? request.query : "";
  const std::string tenancy = query_value(query, "tenancy");
  if (tenancy.empty() || tenancy.size() > 128) {
    return plain(400, "tenancy: missing (?tenancy=<id>)");
  }
  const std::string wanted = query_value(query, "lang");
  std::optional<HttpExchange> exchange; // decoded only for a session's cookie
  if (request.actor == nullptr) {
    exchange.emplace(request);
  }
  const bool english = wanted == "en" || (wanted.empty() && exchange && language_of(*exchange) == "en");
  const std::string lang = english ? "en" : "nl";
  std::optional<Session> session;
  hearth_actor actor{};
  if (request.actor != nullptr) {
    actor = *request.actor;
    // A token's scope limits the badge as it limits a session.
    const char *authorization = request.header != nullptr ? request.header(&request, "Authorization") : nullptr;
    if (authorization != nullptr && credentials_ != nullptr && std::strncmp(authorization, "Bearer ", 7) == 0) {
      Session bearer;
      bearer.scope = token_scope(authorization + 7);
      if (!in_scope(bearer, tenancy)) {
        return plain(404, english ? "Not found" : "Niet gevonden");
      }
    }
  } else {
    session = sessions_.find(exchange->cookie("hearth_session"), backend_.now_ms());
    if (!session) {
      answer.set("WWW-Authenticate", "Bearer");
      return plain(401, "not signed in: a session, an API key or a token is needed");
    }
    actor = session->actor();
    if (!in_scope(*session, tenancy)) {
      return plain(404, english ? "Not found" : "Niet gevonden");
    }
  }
  hearth_ew_flag_summary summary{};
  std::string error;
  const std::int32_t status = badge_readers_->lookup(actor, tenancy, summary, error);
  if (status == HEARTH_ERROR_NOT_FOUND || status == HEARTH_ERROR_DENIED) {
    return plain(404, english ? "Not found" : "Niet gevonden");
  }
  if (status != HEARTH_OK) {
    return plain(status == HEARTH_ERROR_INVALID_ARGUMENT ? 400 : 503, error);
  }
  const bool flagged = summary.flag_status != HEARTH_EW_FLAG_NONE && summary.flag_id[0] != '\0';
  const std::uint32_t level = std::min<std::uint32_t>(flagged ? summary.flag_level : summary.level, 3);
  const BadgeHtml &html = badge_html(english);
  std::string flag_id;
  std::string reason;  // for the JSON badge
  std::string body;
  if (!json) {
    body.reserve(html.head.size() + html.level_part[level].size() + 512);
    body += html.head;
    body += html.level_part[level];
  }
  if (flagged) {
    flag_id.assign(summary.flag_id, strnlen(summary.flag_id, sizeof(summary.flag_id)));
    if (!badge_readers_->flag_text(flag_id, english, json ? &reason : nullptr, json ? nullptr : &body)) {
      // Once per flag and language, as the person asking (policy and audit apply).
      Poco::JSON::Object args;
      args.set("flag_id", flag_id);
      args.set("lang", lang);
      const CallResult explained = backend_.call_json(actor, kEarlyWarning, "flag.explain", to_json_text(args));
      if (explained.status == HEARTH_ERROR_NOT_FOUND || explained.status == HEARTH_ERROR_DENIED) {
        return plain(404, english ? "Not found" : "Niet gevonden");
      }
      if (!explained.ok()) {
        return plain(503, explained.body);
      }
      BadgeReaders::FlagText text;
      text.reason = reason_of(*explained.object());
      text.html_rest = html.flag_rest(flag_id, text.reason);
      reason = text.reason;
      if (!json) {
        body += text.html_rest;
      }
      badge_readers_->remember_flag_text(flag_id, english, std::move(text));
    }
  } else if (!json) {
    body += html.unflagged_rest;
  }
  if (json) {
    const std::string href = flagged ? "/dashboard/consultant/flag?id=" + url_encode(flag_id) : std::string();
    Poco::JSON::Object out;
    out.set("tenancy_id", tenancy);
    out.set("level", level_name(level));
    out.set("status", flagged ? Poco::Dynamic::Var(status_name(summary.flag_status)) : Poco::Dynamic::Var());
    out.set("reason", reason);
    out.set("flag_id", flagged ? Poco::Dynamic::Var(flag_id) : Poco::Dynamic::Var());
    out.set("href", flagged ? Poco::Dynamic::Var(href) : Poco::Dynamic::Var());
    answer.set("Cache-Control", "no-store");
    answer.set("Content-Type", "application/json");
    answer.body = to_json_text(out);
    return answer;
  }
  // The HTML badge goes straight to the response: its header names and values are fixed
  // (X-Content-Type-Options: nosniff is the runtime's own on every response).
  response.set_status(&response, 200);
  response.set_header(&response, "Cache-Control", "no-store");
  response.set_header(&response, "Content-Type", "text/html; charset=utf-8");
  response.set_header(&response, "Content-Security-Policy", badge_csp_.c_str());
  if (settings_.frame_ancestors == "'none'") {
    response.set_header(&response, "X-Frame-Options", "DENY");
  }
  response.write(&response, body.data(), body.size());
  return std::nullopt;
}

} // namespace hearth::dashboards
