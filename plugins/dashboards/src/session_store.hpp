// The dashboards' sessions: kept in memory, found by a 256-bit random id from the cookie
// `hearth_session`, ended by idle time, by a maximum age and never later than the
// credential they came from (since 0.1.0).
#ifndef HEARTH_DASHBOARDS_SESSION_STORE_HPP
#define HEARTH_DASHBOARDS_SESSION_STORE_HPP

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "view.hpp"

namespace hearth::dashboards {

// 32 bytes from the system's cryptographic random source, as 64 hex digits. [any-thread]
std::string random_token();

// True when `a` equals `b`, taking the same time for every `a` of b's length.
bool same_secret(const std::string &a, const std::string &b);

class SessionStore {
public:
  // `idle_ms`: a session unused this long ends; `max_age_ms`: it ends this long after it
  // began at the latest; at most `capacity` sessions (the least recently used goes).
  SessionStore(std::int64_t idle_ms, std::int64_t max_age_ms, std::size_t capacity);

  // Starts a session for the person in `who` (user, role, organisation, on_behalf_of,
  // access_point, scope are taken; id, csrf_token and expires_at_ms are set here) at
  // `now_ms`, ending no later than `not_after_ms` (0: no limit but the maximum age).
  // Returns the new session. [any-thread]
  Session start(const Session &who, std::int64_t now_ms, std::int64_t not_after_ms);

  // The live session with `id` at `now_ms` (a copy), or nullopt when unknown, idle too
  // long or expired (an ended session is forgotten). Counts as use. [any-thread]
  std::optional<Session> find(const std::string &id, std::int64_t now_ms);

  // Ends the session `id` (nothing when unknown). [any-thread]
  void end(const std::string &id);

  // The number of sessions kept (live or not yet swept). [any-thread]
  std::size_t size() const;

private:
  struct Entry {
    Session session;
    std::int64_t last_used_ms = 0;
  };
  void make_room(std::int64_t now_ms); // with mutex_ held

  std::int64_t idle_ms_, max_age_ms_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> sessions_;
};

} // namespace hearth::dashboards

#endif // HEARTH_DASHBOARDS_SESSION_STORE_HPP
