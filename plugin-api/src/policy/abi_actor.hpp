// Reading an actor handed over the ABI (hearth/actor.h) into the policy's Actor.
#pragma once

#include <optional>
#include <string>

#include "hearth/actor.h"
#include "policy/policy.hpp"

namespace hearth::policy {

// Checks and copies `actor`: it must be non-NULL, at least as large as the ABI 1.0 actor,
// and carry user, role, organisation and access_point. On failure returns nullopt and sets
// `error` to the first field at fault ("actor.role: missing").
std::optional<Actor> actor_from_abi(const hearth_actor *actor, std::string &error);

// A hearth_actor whose pointers point into `actor`, which must outlive it.
hearth_actor actor_to_abi(const Actor &actor);

} // namespace hearth::policy
