#include "zgw_notification.hpp"

#include <array>
#include <utility>

#include "adapter_common/input_checks.hpp"
#include "zgw_urls.hpp"

namespace hearth::adapters::zgw {
namespace {

// The zaken channel's resources and their actions (fixtures/zgw/zaken-notificaties.md).
struct ResourceActions {
  std::string_view resource;
  std::array<std::string_view, 3> actions; // unused slots are ""
};
constexpr std::array<ResourceActions, 11> kZakenResources{{
    {"zaak", {"create", "update", "destroy"}},
    {"status", {"create", "", ""}},
    {"zaakobject", {"create", "update", "destroy"}},
    {"zaakinformatieobject", {"create", "", ""}},
    {"zaakeigenschap", {"create", "update", "destroy"}},
    {"klantcontact", {"create", "", ""}},
    {"rol", {"create", "destroy", ""}},
    {"resultaat", {"create", "update", "destroy"}},
    {"zaakbesluit", {"create", "", ""}},
    {"zaakcontactmoment", {"create", "", ""}},
    {"zaakverzoek", {"create", "", ""}},
}};

constexpr std::size_t kMaxUrlLength = 1000; // the Zaken API's limit for URL references

// A required text of at most `max_length` characters (UTF-8 code points are counted as
// bytes here, which only makes the limit stricter for non-ASCII text).
std::string bounded_text(const JsonFields &fields, const std::string &key, std::size_t max_length) {
  std::string value = fields.text(key);
  if (value.size() > max_length) {
    throw FieldProblem(fields.field(key), "is longer than " + std::to_string(max_length) + " characters");
  }
  return value;
}

std::string url_field(const JsonFields &fields, const std::string &key) {
  std::string value = bounded_text(fields, key, kMaxUrlLength);
  if (!is_http_url(value)) {
    throw FieldProblem(fields.field(key), "is not an absolute http(s) URL");
  }
  return value;
}

void check_zaken_channel(const Notification &n, const JsonFields &fields) {
  for (const auto &entry : kZakenResources) {
    if (entry.resource != n.resource) {
      continue;
    }
    for (const auto action : entry.actions) {
      if (!action.empty() && action == n.actie) {
        return;
      }
    }
    throw FieldProblem(fields.field("actie"), "is not an action of resource '" + n.resource + "' on the zaken channel");
  }
  throw FieldProblem(fields.field("resource"), "is not a resource of the zaken channel");
}

std::map<std::string, std::string> read_kenmerken(const JsonFields &fields) {
  std::map<std::string, std::string> out;
  if (!fields.has("kenmerken")) {
    return out;
  }
  const JsonFields kenmerken = fields.child("kenmerken");
  for (const auto &[key, value] : *kenmerken.object()) {
    if (value.isEmpty()) {
      throw FieldProblem(kenmerken.field(key), "must be a string");
    }
    out.emplace(key, bounded_text(kenmerken, key, 1000));
  }
  if (const auto rsin = out.find("bronorganisatie"); rsin != out.end()) {
    if (const auto failure = check_bsn(rsin->second)) {
      throw FieldProblem(kenmerken.field("bronorganisatie"), "is not an RSIN: " + failure->reason);
    }
  }
  if (const auto zaaktype = out.find("zaaktype"); zaaktype != out.end() && !is_http_url(zaaktype->second)) {
    throw FieldProblem(kenmerken.field("zaaktype"), "is not an absolute http(s) URL");
  }
  return out;
}

} // namespace

Notification parse_notification(std::string_view document, std::int64_t now_ms, std::int64_t max_future_skew_ms) {
  const JsonFields fields(parse_json_document(document), "Message");
  Notification n;
  n.kanaal = bounded_text(fields, "kanaal", 50);
  n.hoofd_object = url_field(fields, "hoofdObject");
  n.resource = bounded_text(fields, "resource", 100);
  n.resource_url = url_field(fields, "resourceUrl");
  n.actie = bounded_text(fields, "actie", 100);
  n.aanmaakdatum_ms = fields.time("aanmaakdatum");
  if (const auto failure = check_not_future(n.aanmaakdatum_ms, now_ms, max_future_skew_ms)) {
    throw FieldProblem(fields.field("aanmaakdatum"), failure->reason);
  }
  n.kenmerken = read_kenmerken(fields);
  if (n.kanaal == "zaken") {
    check_zaken_channel(n, fields);
  }
  return n;
}

bool concerns_zaak_content(const Notification &notification) {
  if (notification.kanaal != "zaken") {
    return false;
  }
  if (notification.resource == "zaak") {
    return notification.actie == "create" || notification.actie == "update";
  }
  return notification.resource == "status" && notification.actie == "create";
}

} // namespace hearth::adapters::zgw
