// The write-back outbox: messages for the back office are stored (with their audit entry,
// in one transaction) before anything is sent, then delivered by one worker thread with
// retries and exponential back-off, over http or (since 0.2) https with the configured
// certificate authorities; a certificate that does not verify fails the message for good
// with a reason naming the endpoint. Idempotent twice over: a message's key is unique in
// the outbox (a replayed event adds nothing), and the back office gets the same key as
// X-Stuurgegevens-Referentienummer and Idempotency-Key on every attempt, with a stable
// idExtern in the body.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include <Poco/Net/Context.h>

#include <hearth/audit.h>
#include <hearth/policy.h>
#include <hearth/plugin.hpp>

#include "plugin_settings.hpp"
#include "vera_adapter/vera_writeback.hpp"

namespace hearth::adapters::vera::plugin {

// What happened to one delivery attempt.
enum class DeliveryOutcome { delivered, retry, failed };

// Classifies a back office's HTTP status: 2xx and 409 (it has it already) delivered; what
// adapter_common's is_transient_status() calls transient (408, 425, 429, 5xx, no answer)
// retried; any other status failed for good (the message will not get better).
DeliveryOutcome classify_status(int status);

// The wait before attempt `attempts + 1`: base * 2^(attempts-1), at most `max` (adapter_common's
// RetryPolicy::delay_before).
std::int64_t backoff_ms(std::uint32_t attempts, std::int64_t base, std::int64_t max);

class Outbox {
public:
  // Borrows host, audit and actor until stop(). Creates its table (migrations). For an
  // https backoffice_url, builds the TLS client context from backoffice_ca_file and
  // backoffice_verify; throws hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT) naming the key
  // when the CA file cannot be loaded.
  Outbox(Host host, const hearth_audit_extension *audit, const hearth_actor *actor, const PluginSettings &settings);
  ~Outbox();
  Outbox(const Outbox &) = delete;
  Outbox &operator=(const Outbox &) = delete;

  // The plugin's migrations (table vera_outbox).
  static std::vector<hearth_migration> migrations();

  // Stores `message` and its audit entry ("export") in one transaction, unless its key is
  // there already; then wakes the worker. Returns true when it was new. [any-thread]
  bool enqueue(const OutboundMessage &message);

  // Starts / stops the worker. stop() waits for a running attempt. [host-thread]
  void start();
  void stop() noexcept;

  // Delivers every due message once (what the worker does each round). Returns the number
  // attempted. [worker or tests]
  std::size_t deliver_due();

private:
  DeliveryOutcome send(const std::string &key, const std::string &resource, const std::string &body, int &status,
                       std::string &error) const;
  void run();

  Host host_;
  const hearth_audit_extension *audit_;
  const hearth_actor *actor_;
  PluginSettings settings_;
  Poco::Net::Context::Ptr tls_; // for an https back office; null for http
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool poke_ = false;
  std::thread worker_;
};

} // namespace hearth::adapters::vera::plugin
