// The typed flag lookup of hearth/early_warning.h: readers per actor, a policy decision
// per tenancy and reader, audit entries written in batches (docs/adr/0008-flag-lookup.md).
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <shared_mutex>

#include "hearth/early_warning.h"
#include "plugin/early_warning_plugin.hpp"

// A reader (opaque in the header). One thread at a time.
struct hearth_ew_reader {
  explicit hearth_ew_reader(const hearth_actor &a) : actor(a) { batch.actor = std::make_unique<hearth::early_warning::ActorCopy>(a); }

  hearth::early_warning::ActorCopy actor;
  // Per tenancy index: 0 not asked yet, 1 may read, 2 may not.
  std::vector<std::uint8_t> decisions;
  hearth::early_warning::LookupBatch batch; // lookups since the last hand-over
  std::int64_t oldest_pending_ms = 0;
  std::uint32_t lookups_since_clock = 0;
  std::uint64_t last_ticket = 0;            // of the last batch handed to the audit queue
};

namespace hearth::early_warning {
namespace {

constexpr std::size_t kBatchLookups = 1024;
constexpr std::int64_t kBatchMilliseconds = 5000;
constexpr std::uint32_t kClockEvery = 64;

char *copy_text(const std::string &text) {
  char *out = static_cast<char *>(std::malloc(text.size() + 1));
  if (out != nullptr) {
    std::memcpy(out, text.c_str(), text.size() + 1);
  }
  return out;
}

void set_error(char **error, const std::string &text) {
  if (error != nullptr) {
    *error = copy_text(text);
  }
}

std::size_t pending(const hearth_ew_reader &reader) {
  return reader.batch.allowed.size() + reader.batch.refused.size() + reader.batch.unknown;
}

// Hands the reader's lookups to the audit queue (when there are any).
void hand_over(EarlyWarningPlugin &plugin, hearth_ew_reader &reader) {
  if (pending(reader) == 0) {
    return;
  }
  LookupBatch next;
  next.actor = std::make_unique<ActorCopy>(*reader.actor.get());
  next.allowed.reserve(reader.batch.allowed.capacity());
  std::swap(next, reader.batch);
  reader.last_ticket = plugin.audit_queue().push(std::move(next));
}

// Hands over and waits until everything the reader handed over is written.
std::int32_t write_now(EarlyWarningPlugin &plugin, hearth_ew_reader &reader, std::string &error) {
  hand_over(plugin, reader);
  if (reader.last_ticket == 0) {
    return HEARTH_OK;
  }
  error = plugin.audit_queue().wait(reader.last_ticket);
  return error.empty() ? HEARTH_OK : HEARTH_ERROR_IO;
}

std::int32_t open_reader(const hearth_actor *actor, hearth_ew_reader **reader, char **error) {
  if (reader == nullptr) {
    set_error(error, "reader: missing");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  *reader = nullptr;
  if (actor == nullptr) {
    set_error(error, "actor: missing");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  for (const auto &[field, value] : {std::pair{"actor.user", actor->user}, std::pair{"actor.role", actor->role},
                                     std::pair{"actor.organisation", actor->organisation},
                                     std::pair{"actor.access_point", actor->access_point}}) {
    if (value == nullptr || *value == '\0') {
      set_error(error, std::string(field) + ": missing");
      return HEARTH_ERROR_INVALID_ARGUMENT;
    }
  }
  if (active_plugin() == nullptr) {
    set_error(error, "the early-warning plugin is not running");
    return HEARTH_ERROR_STATE;
  }
  *reader = new (std::nothrow) hearth_ew_reader(*actor);
  return *reader != nullptr ? HEARTH_OK : HEARTH_ERROR_INTERNAL;
}

// Remembers a lookup for the audit log, and hands the batch over when it is due.
void note(EarlyWarningPlugin &plugin, hearth_ew_reader &reader) {
  const std::size_t count = pending(reader);
  if (count == 1) {
    reader.oldest_pending_ms = plugin.host().now_ms();
    reader.lookups_since_clock = 0;
  }
  bool due = count >= kBatchLookups;
  if (!due && ++reader.lookups_since_clock >= kClockEvery) {
    reader.lookups_since_clock = 0;
    due = plugin.host().now_ms() - reader.oldest_pending_ms >= kBatchMilliseconds;
  }
  if (due) {
    hand_over(plugin, reader);
  }
}

std::int32_t lookup(hearth_ew_reader *reader, const char *tenancy_id, hearth_ew_flag_summary *summary) {
  if (reader == nullptr || tenancy_id == nullptr || summary == nullptr ||
      summary->struct_size < offsetof(hearth_ew_flag_summary, flag_id) + sizeof summary->flag_id) {
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  EarlyWarningPlugin *plugin = active_plugin();
  if (plugin == nullptr) {
    return HEARTH_ERROR_STATE;
  }
  return guard(plugin->host().c_host(), "flag lookup", [&]() -> std::int32_t {
    LookupResult found;
    if (!plugin->board().lookup(tenancy_id, found) &&
        (!plugin->tenancy_index(tenancy_id) || !plugin->board().lookup(tenancy_id, found))) {
      ++reader->batch.unknown;
      note(*plugin, *reader);
      return HEARTH_ERROR_NOT_FOUND;
    }
    if (found.tenancy >= reader->decisions.size()) {
      reader->decisions.resize(found.tenancy + 1, 0);
    }
    std::uint8_t &decision = reader->decisions[found.tenancy];
    if (decision == 0) {
      const auto context = plugin->access().context_of(tenancy_id);
      const auto classes = plugin->rules()->data_classes();
      decision = context && plugin->access().may_read(*reader->actor.get(), *context, classes) ? 1 : 2;
    }
    if (decision != 1) {
      reader->batch.refused.push_back(found.tenancy);
      note(*plugin, *reader);
      return HEARTH_ERROR_NOT_FOUND;
    }
    summary->level = static_cast<std::uint32_t>(found.level);
    summary->score = found.level == Level::none ? 0 : found.score;
    summary->flag_status = static_cast<std::uint32_t>(found.flag.status);
    summary->flag_level = static_cast<std::uint32_t>(found.flag.level);
    summary->flag_score = found.flag.score;
    summary->as_of_ms = found.level == Level::none ? 0 : static_cast<std::int64_t>(found.as_of_minute) * 60'000;
    std::memcpy(summary->flag_id, found.flag.id, sizeof summary->flag_id);
    reader->batch.allowed.push_back(found.tenancy);
    note(*plugin, *reader);
    return HEARTH_OK;
  });
}

std::int32_t flush(hearth_ew_reader *reader, char **error) {
  if (reader == nullptr) {
    set_error(error, "reader: missing");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  EarlyWarningPlugin *plugin = active_plugin();
  if (plugin == nullptr) {
    set_error(error, "the early-warning plugin is not running");
    return HEARTH_ERROR_STATE;
  }
  std::string message;
  const std::int32_t status = write_now(*plugin, *reader, message);
  if (status != HEARTH_OK) {
    set_error(error, "audit: " + message);
  }
  return status;
}

void close_reader(hearth_ew_reader *reader) {
  if (reader == nullptr) {
    return;
  }
  if (EarlyWarningPlugin *plugin = active_plugin()) {
    std::string ignored; // the queue has logged a failure already
    write_now(*plugin, *reader, ignored);
  }
  delete reader;
}

void free_text(void *pointer) { std::free(pointer); }

} // namespace

const void *lookup_table() {
  static const hearth_ew_lookup_table table{sizeof(hearth_ew_lookup_table), 0, &open_reader, &lookup, &flush,
                                            &close_reader, &free_text};
  return &table;
}

} // namespace hearth::early_warning
