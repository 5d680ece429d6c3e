// The runtime's services as the plugin side sees them: what a plugin's host table calls.
// Owned by the Runtime; outlives every plugin.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace hearth::storage {
class Store;
}
namespace hearth::policy {
class Policy;
}
namespace hearth::audit {
class AuditLog;
}
namespace hearth::data {
class Ingestor;
class RecordStore;
class Reader;
class DeadLetterRecorder;
}
namespace hearth::http {
class PluginRoutes;
}
namespace hearth::metrics {
class Registry;
}
namespace hearth::auth {
class Authenticator;
}
namespace hearth::loader {
class PluginRegistry;
}

namespace hearth::runtime {

class Config;
class Clock;
class EventBus;

struct Services {
  const Config *config = nullptr;
  std::shared_ptr<spdlog::logger> logger;
  Clock *clock = nullptr;
  EventBus *bus = nullptr;
  storage::Store *store = nullptr;
  const policy::Policy *policy = nullptr;
  audit::AuditLog *audit = nullptr;
  data::Ingestor *ingestor = nullptr;
  data::RecordStore *records = nullptr;
  data::Reader *reader = nullptr;
  data::DeadLetterRecorder *dead_letters = nullptr;
  http::PluginRoutes *routes = nullptr; // the routes plugins add through "nl.hearth.http/1"
  metrics::Registry *metrics = nullptr;             // what /metrics serves
  const auth::Authenticator *authenticator = nullptr; // [auth]: "nl.hearth.credentials/1"
  const loader::PluginRegistry *registry = nullptr; // the plugins: "nl.hearth.calls/1"
  // Extension tables by id ("nl.hearth.policy/1"), owned by the runtime.
  std::map<std::string, const void *> extensions;
};

} // namespace hearth::runtime
