// The audit log's hash chain: the canonical serialisation of an entry and its SHA-256.
#pragma once

#include <string>

#include "audit/audit_log.hpp"

namespace hearth::audit::chain {

// The prev_hash of the first entry: 64 zeros.
inline const std::string genesis_hash(64, '0');

// The canonical bytes of `entry` chained to `prev_hash`: a version tag, then sequence,
// at_ms, event, user, on_behalf_of, organisation, role, access_point, objects, emergency,
// purpose, outcome and prev_hash, each as "<decimal byte length>:<bytes>". Length
// prefixes make it unambiguous whatever the fields contain.
std::string canonical(const AuditEntry &entry, const std::string &prev_hash);

// SHA-256 of canonical(entry, prev_hash), as 64 lower-case hex digits (Poco::SHA2Engine).
std::string entry_hash(const AuditEntry &entry, const std::string &prev_hash);

} // namespace hearth::audit::chain
