#include "audit/audit_chain.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace hearth::audit::chain {
namespace {

// Appends `field` length-prefixed to `out`.
void put(std::string &out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

} // namespace

std::string canonical(const AuditEntry &entry, const std::string &prev_hash) {
  std::string out;
  put(out, "hearth-audit-v1");
  put(out, std::to_string(entry.sequence));
  put(out, std::to_string(entry.at_ms));
  put(out, entry.event);
  put(out, entry.user);
  put(out, entry.on_behalf_of);
  put(out, entry.organisation);
  put(out, entry.role);
  put(out, entry.access_point);
  put(out, entry.objects);
  put(out, entry.emergency ? "1" : "0");
  put(out, entry.purpose);
  put(out, entry.outcome);
  put(out, prev_hash);
  return out;
}

std::string entry_hash(const AuditEntry &entry, const std::string &prev_hash) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(canonical(entry, prev_hash));
  return Poco::DigestEngine::digestToHex(engine.digest());
}

} // namespace hearth::audit::chain
