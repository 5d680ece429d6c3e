// The in-memory session store and the random tokens it hands out.
#include "session_store.hpp"

#include <algorithm>
#include <array>

#include <Poco/DigestEngine.h>
#include <Poco/RandomStream.h>

namespace hearth::dashboards {

std::string random_token() {
  std::array<unsigned char, 32> bytes{};
  Poco::RandomInputStream random;
  random.read(reinterpret_cast<char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(bytes.begin(), bytes.end()));
}

bool same_secret(const std::string &a, const std::string &b) {
  if (a.size() != b.size() || b.empty()) {
    return false;
  }
  unsigned char difference = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    difference = static_cast<unsigned char>(difference | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
  }
  return difference == 0;
}

SessionStore::SessionStore(std::int64_t idle_ms, std::int64_t max_age_ms, std::size_t capacity)
    : idle_ms_(idle_ms), max_age_ms_(max_age_ms), capacity_(std::max<std::size_t>(capacity, 1)) {}

Session SessionStore::start(const Session &who, std::int64_t now_ms, std::int64_t not_after_ms) {
  Session session = who;
  session.id = random_token();
  session.csrf_token = random_token();
  session.expires_at_ms = now_ms + max_age_ms_;
  if (not_after_ms > 0) {
    session.expires_at_ms = std::min(session.expires_at_ms, not_after_ms);
  }
  std::lock_guard lock(mutex_);
  make_room(now_ms);
  sessions_[session.id] = Entry{session, now_ms};
  return session;
}

std::optional<Session> SessionStore::find(const std::string &id, std::int64_t now_ms) {
  if (id.empty()) {
    return std::nullopt;
  }
  std::lock_guard lock(mutex_);
  const auto found = sessions_.find(id);
  if (found == sessions_.end()) {
    return std::nullopt;
  }
  Entry &entry = found->second;
  if (now_ms >= entry.session.expires_at_ms || now_ms - entry.last_used_ms >= idle_ms_) {
    sessions_.erase(found);
    return std::nullopt;
  }
  entry.last_used_ms = now_ms;
  return entry.session;
}

void SessionStore::end(const std::string &id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(id);
}

std::size_t SessionStore::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void SessionStore::make_room(std::int64_t now_ms) {
  if (sessions_.size() < capacity_) {
    return;
  }
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    const Entry &e = it->second;
    if (now_ms >= e.session.expires_at_ms || now_ms - e.last_used_ms >= idle_ms_) {
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  while (sessions_.size() >= capacity_) {
    const auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](const auto &a, const auto &b) {
      return a.second.last_used_ms < b.second.last_used_ms;
    });
    sessions_.erase(oldest);
  }
}

} // namespace hearth::dashboards
