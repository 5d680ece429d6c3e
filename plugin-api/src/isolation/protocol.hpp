// The messages of the runtime <-> hearth-plugin-host protocol (frames: isolation/frame.hpp).
// Every frame is a JSON object with a "type":
//   child -> runtime, once at start: "hello" {accepted, status, message, abi_major,
//     abi_minor, descriptor}
//   runtime -> child: "init", "call" {actor, operation, args}, "query" {name, args},
//     "deinit", each with a request "id"; the child answers each with "result" {id, status,
//     text, handler (false when the plugin has no table for a call or query)}
//   child -> runtime while it works on a request: "log" {level, message} (no answer),
//     "config_get" {id, key} and "clock" {id}, answered by "answer" {id, value}
//   child -> runtime, answered by "answer" {id, status, error?}: "storage_migrate"
//     {migrations, count}, "storage_execute" {sql, params, count, rows}, "storage_transaction",
//     "bus_publish" {event}, "bus_subscribe" {event_type} (the answer adds "subscription"),
//     "bus_unsubscribe" {subscription}, "metrics" {operation, name, kind, help, labels,
//     number}; "extension" {extension} is answered with {value: offered}
//   runtime -> child while it answers a storage request (nested, to any depth): "row" {for:
//     the request's id, columns, names} and "work" {for}, answered by "result" {id, status}
//   runtime -> child, a request of its own like "call": "event" {subscription, events},
//     answered by "result" {id, status}
// Values, events and migrations are encoded by isolation/wire_values.hpp. Request ids are
// per direction and only need to differ from the ones in flight. See ADR 0011, "Storage
// and bus".
#pragma once

#include <cstdint>
#include <string>

#include <Poco/JSON/Object.h>

#include "hearth/actor.h"
#include "loader/module_loader.hpp"

namespace hearth::isolation {

// What the child said of a module in its "hello" frame.
struct ModuleDescription {
  bool accepted = false;
  std::int32_t status = 0;  // a hearth_status when refused
  std::string message;      // the refusal, as the in-process loader words it
  std::uint32_t abi_major = 0, abi_minor = 0;
  loader::DescriptorCopy descriptor;
};

Poco::JSON::Object::Ptr descriptor_to_json(const loader::DescriptorCopy &descriptor);
loader::DescriptorCopy descriptor_from_json(const Poco::JSON::Object &json);

Poco::JSON::Object::Ptr description_to_json(const ModuleDescription &description);
// Throws ProtocolError (isolation/frame.hpp) when `hello` is not a hello frame.
ModuleDescription description_from_json(const Poco::JSON::Object &hello);

// The actor's fields; absent optional fields stay absent.
Poco::JSON::Object::Ptr actor_to_json(const hearth_actor &actor);

// Owns the strings of an actor read from JSON; `actor` points into them.
struct ActorCopy {
  std::string user, role, organisation, on_behalf_of, access_point;
  bool has_on_behalf_of = false;
  hearth_actor actor{};
  explicit ActorCopy(const Poco::JSON::Object &json);
  ActorCopy(const ActorCopy &) = delete;
  ActorCopy &operator=(const ActorCopy &) = delete;
};

// A frame field as a string, "" when absent or not a string.
std::string text_field(const Poco::JSON::Object &frame, const std::string &name);

} // namespace hearth::isolation
