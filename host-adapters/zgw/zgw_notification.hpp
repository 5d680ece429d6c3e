// A Notificaties API 1.0 message (`Message` in fixtures/zgw/notificaties-api-1.0.yaml) as
// the ZGW adapter's webhook receives it, read and checked field by field. Part of
// hearth_adapter_zgw. Since 0.1.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "adapter_common/json_fields.hpp"

namespace hearth::adapters::zgw {

// One notification: "kanaal X says `actie` happened to `resource` at `resourceUrl`, which
// belongs to `hoofdObject`". Every field was present and well-formed when parsed.
struct Notification {
  std::string kanaal;        // the channel, e.g. "zaken"
  std::string hoofd_object;  // URL of the main object (for kanaal "zaken": the zaak)
  std::string resource;      // what changed, e.g. "zaak", "status"
  std::string resource_url;  // URL of what changed
  std::string actie;         // "create", "update", "destroy", ...
  std::int64_t aanmaakdatum_ms = 0; // when it happened, epoch ms UTC
  std::map<std::string, std::string> kenmerken; // e.g. "zaaktype" -> URL, "bronorganisatie" -> RSIN
};

// Reads `document` (the request body) as a notification. Throws FieldProblem naming the
// field ("document", "kanaal", "aanmaakdatum", "kenmerken.bronorganisatie", ...) and the
// reason for: invalid UTF-8, malformed JSON, a body that is not an object, a missing or
// empty required field, a wrong type, a text longer than the schema allows, a URL that is
// not an absolute http(s) URL, an unreadable or future `aanmaakdatum` (later than
// `now_ms` + `max_future_skew_ms`), a kenmerk that is not a string, a `bronorganisatie`
// that is not an RSIN passing the elfproef, and — for kanaal "zaken" — a resource or an
// action the zaken channel does not have (fixtures/zgw/zaken-notificaties.md).
// Thread-safe (no shared state).
Notification parse_notification(std::string_view document, std::int64_t now_ms, std::int64_t max_future_skew_ms);

// True when `notification` is about a zaak in a way that may change the signal Hearth
// derives from it: kanaal "zaken" and resource "zaak" (create, update) or "status"
// (create). Everything else is acknowledged and ignored.
bool concerns_zaak_content(const Notification &notification);

} // namespace hearth::adapters::zgw
