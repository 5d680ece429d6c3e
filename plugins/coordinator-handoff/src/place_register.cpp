#include "place_register.hpp"

namespace hearth::handoff {

void sync_places(const Database &db, const HandoffConfig &config) {
  for (const auto &[id, place] : config.places) {
    db.run("INSERT INTO ch_place (id, kind, capacity, row_version) VALUES (?, ?, ?, 1)"
           " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, capacity = excluded.capacity",
           {id, place.kind, static_cast<std::int64_t>(place.capacity)});
  }
}

void lock_place(const Database &db, const std::string &place_id) {
  db.run("UPDATE ch_place SET row_version = row_version + 1 WHERE id = ?", {place_id});
}

} // namespace hearth::handoff
