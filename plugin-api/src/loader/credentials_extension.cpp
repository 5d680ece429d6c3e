// "nl.hearth.credentials/1": who a credential belongs to, by the rules of [auth].
#include <sstream>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include "auth/authenticator.hpp"
#include "hearth/status.h"
#include "loader/host_table.hpp"
#include "loader/service_extensions.hpp"
#include "runtime/services.hpp"

namespace hearth::loader {
namespace {

void write_text(const hearth_text_sink *sink, const std::string &text) {
  sink->write(sink->user_data, text.data(), text.size());
}

int32_t authenticate(const hearth_host *host, const char *credential, const hearth_text_sink *actor_json) {
  if (host == nullptr || actor_json == nullptr || actor_json->write == nullptr) {
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  if (credential == nullptr || *credential == '\0') {
    write_text(actor_json, "credential: missing");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  const auto *authenticator = PluginContext::from(host).services().authenticator;
  if (authenticator == nullptr) {
    write_text(actor_json, "this runtime checks no credentials");
    return HEARTH_ERROR_UNSUPPORTED;
  }
  try {
    const auto who = authenticator->check(credential);
    if (who.kind != auth::Authentication::Kind::actor) {
      write_text(actor_json, who.reason.empty() ? std::string("credential: not valid") : who.reason);
      return HEARTH_ERROR_DENIED;
    }
    Poco::JSON::Object answer;
    answer.set("kind", who.by_api_key ? "api_key" : "token");
    answer.set("user", who.actor.user);
    answer.set("role", who.actor.role);
    answer.set("organisation", who.actor.organisation);
    answer.set("on_behalf_of", who.actor.on_behalf_of);
    answer.set("access_point", who.actor.access_point);
    answer.set("emergency", who.actor.emergency);
    answer.set("scope", who.scope);
    answer.set("expires_at_ms", who.expires_at_ms);
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(answer, out);
    write_text(actor_json, out.str());
    return HEARTH_OK;
  } catch (const std::exception &e) {
    write_text(actor_json, std::string("credential check failed: ") + e.what());
    return HEARTH_ERROR_INTERNAL;
  }
}

} // namespace

const hearth_credentials_extension *credentials_extension() {
  static const hearth_credentials_extension table{sizeof(hearth_credentials_extension), 0, &authenticate};
  return &table;
}

} // namespace hearth::loader
