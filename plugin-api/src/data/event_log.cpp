#include "data/event_log.hpp"

#include <charconv>
#include <string_view>

#include <poll.h>

#include <libpq-fe.h>

#include <Poco/JSONString.h>

#include "hearth/event.h"
#include "hearth/signals.h"
#include "runtime/event_bus.hpp"

namespace hearth::data {
namespace {

constexpr const char *kChannel = "hearth_event_log";
constexpr long long kAdvisoryLockKey = 0x48455654; // "HEVT"
constexpr std::size_t kReadBatch = 1000;

std::int64_t as_int(const storage::Value &value) {
  if (const auto *i = std::get_if<std::int64_t>(&value)) {
    return *i;
  }
  if (const auto *d = std::get_if<double>(&value)) {
    return static_cast<std::int64_t>(*d);
  }
  return 0;
}

// Sets `out` to the text in `value` (empty for anything else), reusing its buffer.
void read_text(std::string &out, const storage::Value &value) {
  if (const auto *s = std::get_if<std::string>(&value)) {
    out.assign(*s);
  } else {
    out.clear();
  }
}

// Appends `"key":` to `out`.
void json_key(std::string &out, std::string_view key) {
  out += out.size() > 1 ? ",\"" : "\"";
  out += key;
  out += "\":";
}

// True when `text` holds only printable ASCII other than the quote, the backslash and the
// slash: text that Poco::toJSON writes unchanged between quotes. (Poco escapes the quote
// and the backslash; the slash, DEL and non-ASCII bytes are left to Poco to be safe.)
bool needs_no_escaping(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f || c == '"' || c == '\\' || c == '/') {
      return false;
    }
  }
  return true;
}

// Appends `"key":"text"` with Poco's JSON string escaping (as Poco::JSON::Stringifier does).
void json_text(std::string &out, std::string_view key, const std::string &text) {
  json_key(out, key);
  if (needs_no_escaping(text)) {
    out += '"';
    out += text;
    out += '"';
  } else {
    out += Poco::toJSON(text, Poco::JSON_WRAP_STRINGS);
  }
}

// Appends `"key":number`.
template <typename Integer> void json_number(std::string &out, std::string_view key, Integer number) {
  json_key(out, key);
  char buffer[24];
  const auto written = std::to_chars(buffer, buffer + sizeof buffer, number);
  out.append(buffer, written.ptr);
}

} // namespace

void lock_event_log_for_append(storage::Store &store) {
  if (store.backend() == storage::Backend::postgresql) {
    store.execute("SELECT pg_advisory_xact_lock(?)", {{storage::Value{static_cast<std::int64_t>(kAdvisoryLockKey)}}},
                  [](const storage::Row &) { return true; });
  }
}

void signal_event_payload(std::string &out, const SignalEventFields &signal) {
  out.assign("{");
  json_number(out, "amount_cents", signal.amount_cents);
  json_text(out, "data_class", signal.data_class);
  json_text(out, "detail", signal.detail);
  json_text(out, "external_id", signal.external_id);
  json_number(out, "occurred_at_ms", signal.occurred_at_ms);
  json_number(out, "seq", signal.seq);
  json_number(out, "severity", signal.severity);
  json_text(out, "source", signal.source);
  json_text(out, "tenancy_id", signal.tenancy_id);
  json_text(out, "type", signal.type);
  out += '}';
}

void notify_event_log(storage::Store &store) {
  if (store.backend() == storage::Backend::postgresql) {
    store.execute(std::string("SELECT pg_notify('") + kChannel + "', '')", {}, [](const storage::Row &) { return true; });
  }
}

std::uint64_t last_event_seq(storage::Store &store) {
  std::uint64_t seq = 0;
  store.execute("SELECT COALESCE(MAX(seq), 0) FROM hearth_signal", {}, [&](const storage::Row &row) {
    seq = static_cast<std::uint64_t>(as_int(row.values[0]));
    return false;
  });
  return seq;
}

EventLogFollower::EventLogFollower(storage::Store &store, runtime::EventBus &bus,
                                   std::shared_ptr<spdlog::logger> logger, Options options)
    : store_(store), bus_(bus), logger_(std::move(logger)), options_(std::move(options)),
      position_(options_.start_after), paused_(options_.start_paused) {
  thread_ = std::thread([this] { run(); });
  if (!options_.postgresql_target.empty()) {
    // libpq directly: SOCI has no API for LISTEN/NOTIFY. This connection only listens.
    listener_ = std::thread([this] {
      PGconn *connection = PQconnectdb(options_.postgresql_target.c_str());
      if (PQstatus(connection) != CONNECTION_OK) {
        logger_->warn("event log: cannot LISTEN on PostgreSQL; polling every {} ms instead",
                      options_.poll_interval.count());
        PQfinish(connection);
        return;
      }
      PQclear(PQexec(connection, (std::string("LISTEN ") + kChannel).c_str()));
      for (;;) {
        {
          std::lock_guard lock(mutex_);
          if (stopping_) {
            break;
          }
        }
        pollfd descriptor{PQsocket(connection), POLLIN, 0};
        if (::poll(&descriptor, 1, 200) > 0) {
          if (PQconsumeInput(connection) == 0) {
            logger_->warn("event log: lost the LISTEN connection; polling instead");
            break;
          }
          bool notified = false;
          while (PGnotify *notice = PQnotifies(connection)) {
            notified = true;
            PQfreemem(notice);
          }
          if (notified) {
            wake();
          }
        }
      }
      PQfinish(connection);
    });
  }
}

EventLogFollower::~EventLogFollower() { stop(); }

void EventLogFollower::wake() {
  std::lock_guard lock(mutex_);
  woken_ = true;
  changed_.notify_all();
}

void EventLogFollower::resume() {
  std::lock_guard lock(mutex_);
  paused_ = false;
  woken_ = true;
  changed_.notify_all();
}

bool EventLogFollower::wait_for(std::uint64_t seq, std::chrono::milliseconds timeout) {
  wake();
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return position_.load() >= seq || stopping_; }) &&
         position_.load() >= seq;
}

void EventLogFollower::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return;
    }
    stopping_ = true;
    changed_.notify_all();
  }
  if (listener_.joinable()) {
    listener_.join();
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

void EventLogFollower::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      changed_.wait_for(lock, options_.poll_interval, [&] { return (woken_ && !paused_) || stopping_; });
      if (stopping_) {
        return;
      }
      if (paused_) {
        continue;
      }
      woken_ = false;
    }
    try {
      catch_up();
    } catch (const std::exception &e) {
      logger_->error("event log: reading failed, will retry: {}", e.what());
    }
  }
}

void EventLogFollower::catch_up() {
  const std::string type = HEARTH_EVENT_SIGNAL_ACCEPTED;
  const std::string source = "host";
  // Reused between reads: their strings keep their buffers.
  std::vector<SignalEventFields> rows;
  std::string subject, payload;
  for (;;) {
    // Only the copying of the rows happens while the store's connection is held (on
    // SQLite the one connection ingestion needs too); payloads are written afterwards.
    std::size_t count = 0;
    const storage::Value params[] = {static_cast<std::int64_t>(position_.load()),
                                     static_cast<std::int64_t>(kReadBatch)};
    // A plain read, not a transaction: on SQLite (WAL) it waits for no writer.
    store_.execute("SELECT seq, source, external_id, type, detail, tenancy_id, occurred_at_ms, amount_cents,"
                   " severity, data_class FROM hearth_signal WHERE seq > ? ORDER BY seq LIMIT ?",
                   params, [&](const storage::Row &row) {
                     if (count == rows.size()) {
                       rows.emplace_back();
                     }
                     SignalEventFields &signal = rows[count++];
                     signal.seq = static_cast<std::uint64_t>(as_int(row.values[0]));
                     read_text(signal.source, row.values[1]);
                     read_text(signal.external_id, row.values[2]);
                     read_text(signal.type, row.values[3]);
                     read_text(signal.detail, row.values[4]);
                     read_text(signal.tenancy_id, row.values[5]);
                     signal.occurred_at_ms = as_int(row.values[6]);
                     signal.amount_cents = as_int(row.values[7]);
                     signal.severity = as_int(row.values[8]);
                     read_text(signal.data_class, row.values[9]);
                     return true;
                   });
    for (std::size_t i = 0; i < count; ++i) {
      const SignalEventFields &signal = rows[i];
      subject.assign("tenancy:").append(signal.tenancy_id);
      signal_event_payload(payload, signal);
      hearth_event view{};
      view.struct_size = sizeof view;
      view.occurred_at_ms = signal.occurred_at_ms;
      view.type = type.c_str();
      view.subject = subject.c_str();
      view.payload = payload.c_str();
      bus_.publish(view, source);
      position_.store(signal.seq);
    }
    {
      std::lock_guard lock(mutex_);
      changed_.notify_all();
    }
    if (count < kReadBatch) {
      return;
    }
  }
}

} // namespace hearth::data
