#include "data/dead_letters.hpp"

#include <stdexcept>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "privacy/bsn.hpp"

namespace hearth::data {

DeadLetterRecorder::DeadLetterRecorder(storage::Store &store, runtime::Clock &clock)
    : store_(store), clock_(clock) {}

void DeadLetterRecorder::record(const policy::Actor &actor, const RejectedInput &input) {
  if (input.source.empty()) {
    throw std::invalid_argument("source: missing");
  }
  if (input.reason.empty()) {
    throw std::invalid_argument("reason: missing");
  }
  if (actor.role != "system" && actor.role != "administrator") {
    throw DeadLetterDenied("role '" + actor.role + "' may not record dead letters");
  }
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(input.payload.data(), input.payload.size());
  const std::string digest = Poco::DigestEngine::digestToHex(engine.digest());
  const storage::Value params[] = {privacy::redact_bsns(input.source),
                                   std::int64_t{input.item_index},
                                   privacy::redact_bsns(input.field),
                                   privacy::redact_bsns(input.reason),
                                   clock_.now_ms(),
                                   digest};
  store_.transaction([&] {
    store_.execute("INSERT INTO hearth_dead_letter (source, item_index, field, reason, received_at_ms,"
                   " payload_sha256) VALUES (?, ?, ?, ?, ?, ?)",
                   params);
  });
}

} // namespace hearth::data
