#include "policy/abi_actor.hpp"

#include <cstddef>
#include <utility>

namespace hearth::policy {

std::optional<Actor> actor_from_abi(const hearth_actor *actor, std::string &error) {
  if (actor == nullptr) {
    error = "actor: missing";
    return std::nullopt;
  }
  if (actor->struct_size < offsetof(hearth_actor, access_point) + sizeof(const char *)) {
    error = "actor.struct_size: smaller than the ABI 1.0 actor";
    return std::nullopt;
  }
  const std::pair<const char *, const char *> required[] = {
      {"user", actor->user}, {"role", actor->role}, {"organisation", actor->organisation},
      {"access_point", actor->access_point}};
  for (const auto &[field, value] : required) {
    if (value == nullptr || *value == '\0') {
      error = std::string("actor.") + field + ": missing";
      return std::nullopt;
    }
  }
  Actor out;
  out.user = actor->user;
  out.role = actor->role;
  out.organisation = actor->organisation;
  out.access_point = actor->access_point;
  out.on_behalf_of = actor->on_behalf_of != nullptr ? actor->on_behalf_of : "";
  out.emergency = actor->emergency != 0;
  return out;
}

hearth_actor actor_to_abi(const Actor &actor) {
  hearth_actor out{};
  out.struct_size = sizeof out;
  out.emergency = actor.emergency ? 1u : 0u;
  out.user = actor.user.c_str();
  out.role = actor.role.c_str();
  out.organisation = actor.organisation.c_str();
  out.on_behalf_of = actor.on_behalf_of.empty() ? nullptr : actor.on_behalf_of.c_str();
  out.access_point = actor.access_point.c_str();
  return out;
}

} // namespace hearth::policy
