#include "outbox.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include "adapter_common/plugin_support.hpp"
#include "adapter_common/retry.hpp"
#include "adapter_common/tls_client.hpp"

namespace hearth::adapters::vera::plugin {
namespace {

constexpr const char *kMigrationSql =
    "CREATE TABLE vera_outbox ("
    " id INTEGER PRIMARY KEY,"
    " message_key TEXT NOT NULL UNIQUE,"
    " resource TEXT NOT NULL,"
    " body TEXT NOT NULL,"
    " state TEXT NOT NULL,"
    " attempts INTEGER NOT NULL,"
    " next_attempt_ms BIGINT NOT NULL,"
    " created_ms BIGINT NOT NULL,"
    " last_status INTEGER NOT NULL,"
    " last_error TEXT NOT NULL);"
    "CREATE INDEX vera_outbox_due ON vera_outbox (state, next_attempt_ms)";
constexpr const char *kMigrationPostgresql =
    "CREATE TABLE vera_outbox ("
    " id BIGSERIAL PRIMARY KEY,"
    " message_key TEXT NOT NULL UNIQUE,"
    " resource TEXT NOT NULL,"
    " body TEXT NOT NULL,"
    " state TEXT NOT NULL,"
    " attempts INTEGER NOT NULL,"
    " next_attempt_ms BIGINT NOT NULL,"
    " created_ms BIGINT NOT NULL,"
    " last_status INTEGER NOT NULL,"
    " last_error TEXT NOT NULL);"
    "CREATE INDEX vera_outbox_due ON vera_outbox (state, next_attempt_ms)";

constexpr std::size_t kBatch = 20;

constexpr auto kIdleWait = std::chrono::milliseconds(500);

} // namespace

DeliveryOutcome classify_status(int status) {
  if ((status >= 200 && status < 300) || status == 409) {
    return DeliveryOutcome::delivered;
  }
  return is_transient_status(status) ? DeliveryOutcome::retry : DeliveryOutcome::failed;
}

std::int64_t backoff_ms(std::uint32_t attempts, std::int64_t base, std::int64_t max) {
  const RetryPolicy policy{attempts + 1, std::chrono::milliseconds(base), std::chrono::milliseconds(max)};
  return policy.delay_before(attempts + 1).count();
}

Outbox::Outbox(Host host, const hearth_audit_extension *audit, const hearth_actor *actor, const PluginSettings &settings)
    : host_(host), audit_(audit), actor_(actor), settings_(settings) {
  if (settings_.backoffice_url.rfind("https://", 0) == 0) {
    try {
      tls_ = make_tls_client_context(settings_.backoffice_tls);
    } catch (const std::invalid_argument &failure) {
      throw Error(HEARTH_ERROR_INVALID_ARGUMENT, failure.what());
    }
  }
  host_.migrate(migrations());
}

Outbox::~Outbox() { stop(); }

std::vector<hearth_migration> Outbox::migrations() {
  hearth_migration create{};
  create.struct_size = sizeof create;
  create.version = 1;
  create.description = "create the VERA write-back outbox";
  create.sql = kMigrationSql;
  create.sql_postgresql = kMigrationPostgresql;
  return {create};
}

bool Outbox::enqueue(const OutboundMessage &message) {
  bool inserted = false;
  host_.transaction([&] {
    const std::int64_t now = host_.now_ms();
    host_.execute("INSERT INTO vera_outbox (message_key, resource, body, state, attempts, next_attempt_ms, created_ms,"
                  " last_status, last_error) VALUES (?, ?, ?, 'pending', 0, ?, ?, 0, '')"
                  " ON CONFLICT (message_key) DO NOTHING RETURNING id",
                  {message.key, message.resource, message.body, now, now}, [&](const RowView &) {
                    inserted = true;
                    return false;
                  });
    if (!inserted) {
      return;
    }
    if (!message.supersedes.empty()) {
      // Sent in id order but retried later, a waiting message could otherwise overtake it.
      host_.execute("UPDATE vera_outbox SET state = 'superseded', last_error = ? WHERE message_key = ? AND state = 'pending'",
                    {"superseded by " + message.key, message.supersedes});
    }
    // The export is audited in the same transaction: no message without its entry.
    record_audit(host_.c_host(), audit_, *actor_, HEARTH_ACTION_EXPORT, message.audit_objects, message.purpose,
                 "audit");
  });
  if (inserted) {
    std::lock_guard lock(mutex_);
    poke_ = true;
    wake_.notify_all();
  }
  return inserted;
}

void Outbox::start() {
  std::lock_guard lock(mutex_);
  if (worker_.joinable()) {
    return;
  }
  stopping_ = false;
  worker_ = std::thread([this] { run(); });
}

void Outbox::stop() noexcept {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
  }
  if (worker_.joinable()) {
    worker_.join();
  }
}

void Outbox::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (stopping_) {
        return;
      }
    }
    std::size_t attempted = 0;
    guard(host_.c_host(), "vera write-back", [&] {
      attempted = deliver_due();
      return static_cast<std::int32_t>(HEARTH_OK);
    });
    std::unique_lock lock(mutex_);
    if (attempted == 0 || poke_) {
      wake_.wait_for(lock, kIdleWait, [this] { return stopping_ || poke_; });
    }
    poke_ = false;
  }
}

std::size_t Outbox::deliver_due() {
  struct Due {
    std::int64_t id;
    std::string key, resource, body;
    std::uint32_t attempts;
  };
  std::vector<Due> due;
  host_.execute("SELECT id, message_key, resource, body, attempts FROM vera_outbox"
                " WHERE state = 'pending' AND next_attempt_ms <= ? ORDER BY id LIMIT " + std::to_string(kBatch),
                {host_.now_ms()}, [&](const RowView &row) {
                  due.push_back(Due{row.int64(0), std::string(row.text(1)), std::string(row.text(2)),
                                    std::string(row.text(3)), static_cast<std::uint32_t>(row.int64(4))});
                  return true;
                });
  for (const Due &message : due) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) {
        break;
      }
    }
    int status = 0;
    std::string error;
    DeliveryOutcome outcome = send(message.key, message.resource, message.body, status, error);
    const std::uint32_t attempts = message.attempts + 1;
    if (outcome == DeliveryOutcome::retry && attempts >= settings_.max_attempts) {
      outcome = DeliveryOutcome::failed;
    }
    const std::int64_t now = host_.now_ms();
    if (outcome == DeliveryOutcome::delivered) {
      // Delivered: the body (personal data) is not kept; the key stays for idempotency.
      host_.execute("UPDATE vera_outbox SET state = 'delivered', body = '', attempts = ?, last_status = ?,"
                    " last_error = '' WHERE id = ?",
                    {static_cast<std::int64_t>(attempts), static_cast<std::int64_t>(status), message.id});
    } else if (outcome == DeliveryOutcome::retry) {
      host_.execute("UPDATE vera_outbox SET attempts = ?, next_attempt_ms = ?, last_status = ?, last_error = ?"
                    " WHERE id = ?",
                    {static_cast<std::int64_t>(attempts),
                     now + backoff_ms(attempts, settings_.retry_base_ms, settings_.retry_max_ms),
                     static_cast<std::int64_t>(status), error, message.id});
    } else {
      // A row superseded while this attempt was under way stays 'superseded' (it counts
      // the attempt): it was never going to be sent again either way.
      host_.execute("UPDATE vera_outbox SET state = CASE WHEN state = 'pending' THEN 'failed' ELSE state END,"
                    " attempts = ?, last_status = ?, last_error = ? WHERE id = ?",
                    {static_cast<std::int64_t>(attempts), static_cast<std::int64_t>(status), error, message.id});
      host_.log_warn("vera write-back " + message.key + " failed for good after " + std::to_string(attempts) +
                     " attempt(s): " + (status > 0 ? "HTTP " + std::to_string(status) : error));
    }
  }
  return due.size();
}

DeliveryOutcome Outbox::send(const std::string &key, const std::string &resource, const std::string &body,
                             int &status, std::string &error) const {
  const std::string endpoint = settings_.backoffice_url + "/" + resource;
  try {
    const Poco::URI uri(endpoint);
    std::unique_ptr<Poco::Net::HTTPClientSession> connection;
    if (tls_) {
      connection = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls_);
    } else {
      connection = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    Poco::Net::HTTPClientSession &session = *connection;
    session.setTimeout(Poco::Timespan(settings_.timeout_ms * 1000));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathEtc(), Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.set("X-Stuurgegevens-Referentienummer", key);
    request.set("Idempotency-Key", key);
    request.set("X-Stuurgegevens-Zender-Organisatie", settings_.organisation);
    request.set("X-Stuurgegevens-TijdstipBericht", vera_date_time(host_.now_ms()));
    if (!settings_.backoffice_api_key.empty()) {
      request.set("X-API-KEY", settings_.backoffice_api_key);
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream &in = session.receiveResponse(response);
    std::ostringstream ignored;
    Poco::StreamCopier::copyStream(in, ignored); // read it whole so the connection ends cleanly
    status = static_cast<int>(response.getStatus());
    error = status >= 400 ? "HTTP " + std::to_string(status) : "";
    return classify_status(status);
  } catch (const Poco::Net::SSLException &failure) {
    // An untrusted or mismatched certificate does not get better by trying again.
    status = 0;
    error = "POST " + endpoint + ": the back office's TLS certificate was not accepted (" + failure.displayText() + ")";
    return DeliveryOutcome::failed;
  } catch (const Poco::Exception &failure) {
    status = 0;
    error = failure.displayText();
    return DeliveryOutcome::retry;
  } catch (const std::exception &failure) {
    status = 0;
    error = failure.what();
    return DeliveryOutcome::retry;
  }
}

} // namespace hearth::adapters::vera::plugin
