// What the ZGW adapter does with one webhook call from a Notificaties API: check the
// Authorization header, read the notification, fetch the zaak it is about from the Zaken
// API, map it, and ingest the signal — answering with an HTTP status the notification
// component understands (2xx: done, do not resend; 5xx: try again later). Refused input
// becomes a dead letter through the ingest target. Part of hearth_adapter_zgw. Since 0.1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "adapter_common/ingest_driver.hpp"
#include "zgw_settings.hpp"

namespace hearth::adapters::zgw {

// The answer to send.
struct WebhookAnswer {
  int status = 200;
  std::string body; // JSON
};

// Thread-safe when `target` is (each call uses its own state).
class NotificationReceiver {
public:
  // Borrows all three; they must outlive the receiver.
  NotificationReceiver(const ZgwSettings &settings, const ZakenClient &client, IngestTarget &target);

  // Handles one call. `authorization` is the request's Authorization header (nullptr when
  // absent). Answers:
  //   401 wrong or missing Authorization (nothing read, no dead letter);
  //   413 body over max_body_bytes; 400 a notification that is not valid (field named);
  //   422 the zaak it points to cannot be used (field named) or the runtime refused the
  //       signal (e.g. an unknown tenancy) — each of these leaves a dead letter — or the
  //       policy does not let the adapter store that class of signal (care, by default);
  //   502 the Zaken API could not be read (the notification should be sent again);
  //   503 storage failed; 200 {"accepted","duplicates","ignored"} otherwise.
  // Error bodies are {"field","reason"} or {"detail"}; they never repeat input values.
  WebhookAnswer receive(const char *authorization, std::string_view body, std::int64_t now_ms) const;

private:
  WebhookAnswer refuse(int status, const ParsedBatch &batch) const;

  const ZgwSettings &settings_;
  const ZakenClient &client_;
  IngestTarget &target_;
};

} // namespace hearth::adapters::zgw
