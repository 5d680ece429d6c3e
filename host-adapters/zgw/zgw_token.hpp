// The JWT a ZGW API client sends (VNG "Autorisatie" for the ZGW APIs): HS256 signed with
// the client's secret, claims iss and client_id (the client id), iat (issued at, Unix
// seconds), user_id and user_representation (who the call is for). Made with Poco::JWT.
// Part of hearth_adapter_zgw. Since 0.1.
#pragma once

#include <cstdint>
#include <string>

namespace hearth::adapters::zgw {

// A ZGW client's identity as the Autorisaties API registered it.
struct ZgwCredentials {
  std::string client_id;           // required
  std::string secret;              // required: the shared HS256 secret
  std::string user_id;             // e.g. "hearth" (a system id, never a person's name)
  std::string user_representation; // e.g. "Hearth"
};

// A signed token for `credentials` issued at `now_ms` (Unix epoch ms; the claim is in
// seconds). Throws std::invalid_argument when client_id or secret is empty.
// Thread-safe.
std::string make_zgw_token(const ZgwCredentials &credentials, std::int64_t now_ms);

} // namespace hearth::adapters::zgw
