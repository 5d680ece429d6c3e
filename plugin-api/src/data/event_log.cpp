#include "data/event_log.hpp"

#include <poll.h>

#include <libpq-fe.h>

#include "hearth/event.h"
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

std::string as_text(const storage::Value &value) {
  if (const auto *s = std::get_if<std::string>(&value)) {
    return *s;
  }
  return {};
}

// Sets `value` to `text`, reusing its string's buffer when it already holds one.
void set_text(storage::Value &value, const std::string &text) {
  if (auto *held = std::get_if<std::string>(&value)) {
    held->assign(text);
  } else {
    value = text;
  }
}

} // namespace

void lock_event_log_for_append(storage::Store &store) {
  if (store.backend() == storage::Backend::postgresql) {
    store.execute("SELECT pg_advisory_xact_lock(?)", {{storage::Value{static_cast<std::int64_t>(kAdvisoryLockKey)}}},
                  [](const storage::Row &) { return true; });
  }
}

std::uint64_t append_event(storage::Store &store, const LoggedEvent &event) {
  std::uint64_t seq = 0;
  const storage::Value params[] = {event.type, event.subject, event.source, event.occurred_at_ms, event.payload};
  store.execute("INSERT INTO hearth_event_log (type, subject, source, occurred_at_ms, payload) "
                "VALUES (?, ?, ?, ?, ?) RETURNING seq",
                params, [&](const storage::Row &row) {
                  seq = static_cast<std::uint64_t>(as_int(row.values[0]));
                  return false;
                });
  return seq;
}

EventAppender::EventAppender(storage::Store &store)
    : sqlite_(store.backend() == storage::Backend::sqlite),
      // SQLite: no RETURNING (it builds a temporary table per row); the sequence is the
      // rowid (seq is INTEGER PRIMARY KEY).
      insert_(store.prepare(sqlite_ ? "INSERT INTO hearth_event_log (type, subject, source, occurred_at_ms, payload) "
                                      "VALUES (?, ?, ?, ?, ?)"
                                    : "INSERT INTO hearth_event_log (type, subject, source, occurred_at_ms, payload) "
                                      "VALUES (?, ?, ?, ?, ?) RETURNING seq")) {}

std::uint64_t EventAppender::append(const std::string &type, const std::string &subject, const std::string &source,
                                    const std::string &payload, std::int64_t occurred_at_ms) {
  set_text(params_[0], type);
  set_text(params_[1], subject);
  set_text(params_[2], source);
  params_[3] = occurred_at_ms;
  set_text(params_[4], payload);
  const std::span<const storage::Value> params(params_);
  if (sqlite_) {
    insert_->run(params);
    return static_cast<std::uint64_t>(insert_->last_insert_rowid());
  }
  std::uint64_t seq = 0;
  insert_->run(params, [&](const storage::Row &row) {
    seq = static_cast<std::uint64_t>(as_int(row.values[0]));
    return false;
  });
  return seq;
}

void notify_event_log(storage::Store &store) {
  if (store.backend() == storage::Backend::postgresql) {
    store.execute(std::string("SELECT pg_notify('") + kChannel + "', '')", {}, [](const storage::Row &) { return true; });
  }
}

std::uint64_t last_event_seq(storage::Store &store) {
  std::uint64_t seq = 0;
  store.execute("SELECT COALESCE(MAX(seq), 0) FROM hearth_event_log", {}, [&](const storage::Row &row) {
    seq = static_cast<std::uint64_t>(as_int(row.values[0]));
    return false;
  });
  return seq;
}

EventLogFollower::EventLogFollower(storage::Store &store, runtime::EventBus &bus,
                                   std::shared_ptr<spdlog::logger> logger, Options options)
    : store_(store), bus_(bus), logger_(std::move(logger)), options_(std::move(options)),
      position_(options_.start_after) {
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
      changed_.wait_for(lock, options_.poll_interval, [&] { return woken_ || stopping_; });
      if (stopping_) {
        return;
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
  for (;;) {
    std::vector<LoggedEvent> events;
    const storage::Value params[] = {static_cast<std::int64_t>(position_.load()),
                                     static_cast<std::int64_t>(kReadBatch)};
    store_.execute("SELECT seq, type, subject, source, occurred_at_ms, payload FROM hearth_event_log "
                   "WHERE seq > ? ORDER BY seq LIMIT ?",
                   params, [&](const storage::Row &row) {
                     LoggedEvent event;
                     event.seq = static_cast<std::uint64_t>(as_int(row.values[0]));
                     event.type = as_text(row.values[1]);
                     event.subject = as_text(row.values[2]);
                     event.source = as_text(row.values[3]);
                     event.occurred_at_ms = as_int(row.values[4]);
                     event.payload = as_text(row.values[5]);
                     events.push_back(std::move(event));
                     return true;
                   });
    for (const auto &event : events) {
      hearth_event view{};
      view.struct_size = sizeof view;
      view.occurred_at_ms = event.occurred_at_ms;
      view.type = event.type.c_str();
      view.subject = event.subject.c_str();
      view.payload = event.payload.empty() ? nullptr : event.payload.c_str();
      bus_.publish(view, event.source);
      position_.store(event.seq);
    }
    {
      std::lock_guard lock(mutex_);
      changed_.notify_all();
    }
    if (events.size() < kReadBatch) {
      return;
    }
  }
}

} // namespace hearth::data
