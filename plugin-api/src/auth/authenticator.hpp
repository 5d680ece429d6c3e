// Who is calling over HTTP: API keys for systems and signed tokens (JWT) for people, both
// configured in [auth] of hearth.ini. The runtime asks this before a request reaches the
// /api/v1 operations or a plugin's route (hearth/http.h).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy.hpp"

namespace Poco::JWT {
class Signer;
}

namespace hearth::runtime {
class Config;
}

namespace hearth::auth {

// The outcome of authenticate().
struct Authentication {
  enum class Kind {
    anonymous, // no credentials came with the request
    actor,     // `actor` is set
    refused    // credentials came but are not valid: `reason` says why (never the secret)
  };
  Kind kind = Kind::anonymous;
  policy::Actor actor;
  std::string reason;
  bool by_api_key = false;       // the actor came from an API key, not a signed token
  std::string scope;             // a token's "scope" claim ("" when none)
  std::int64_t expires_at_ms = 0; // a token's exp; 0 for an API key
};

// One configured API key: the SHA-256 of the key (never the key itself) and the actor it
// stands for.
struct ApiKey {
  std::string name;
  std::array<unsigned char, 32> sha256{}; // the key's SHA-256 digest (config gives it as 64 hex digits)
  policy::Actor actor;
};

// Checking signed tokens.
struct TokenRules {
  std::string algorithm;        // "HS256" or "RS256"; empty: tokens are refused
  std::string issuer;           // required "iss"
  std::string audience;         // required in "aud" when not empty
  long max_lifetime_s = 900;    // exp may lie at most this far ahead of now
  long leeway_s = 30;           // clock skew allowed on exp and nbf
};

class Authenticator {
public:
  // Reads [auth] from `config`:
  //   auth.keys                   names of the API keys, ',' separated
  //   auth.key.<name>.sha256      SHA-256 of the key, hex (`printf %s KEY | sha256sum`)
  //   auth.key.<name>.user / .role / .organisation / .access_point   the actor
  //   auth.jwt.algorithm          HS256 | RS256 | empty (no tokens)
  //   auth.jwt.hs256_secret       the shared secret (at least 32 bytes), for HS256
  //   auth.jwt.rs256_public_key   a PEM file with the issuer's public key, for RS256
  //   auth.jwt.issuer, auth.jwt.audience, auth.jwt.max_lifetime_s, auth.jwt.leeway_s
  // `now_ms` is the runtime clock (tests move it). Throws runtime::ConfigError naming the
  // key for a missing or malformed value, an unknown role, or a secret that is too short.
  static Authenticator from_config(const runtime::Config &config,
                                   std::function<std::int64_t()> now_ms);

  Authenticator(std::vector<ApiKey> keys, TokenRules rules, std::string secret_or_pem,
                std::function<std::int64_t()> now_ms);
  ~Authenticator();
  Authenticator(Authenticator &&) noexcept;
  Authenticator &operator=(Authenticator &&) noexcept;

  // Looks at the headers (names lower case): "x-api-key: KEY", or "authorization: Bearer X"
  // where X is an API key or a JWT (three dot-separated parts). [any-thread]
  Authentication authenticate(const std::map<std::string, std::string> &headers) const;

  // Checks one bare credential: a JWT (three dot-separated parts) or an API key. For
  // plugins that receive a token in a form field (hearth/credentials.h). [any-thread]
  Authentication check(const std::string &credential) const;

  // True when at least one key or a token algorithm is configured.
  bool enabled() const { return !keys_.empty() || signer_ != nullptr; }

private:
  Authentication by_key(std::string_view key) const;
  Authentication by_token(const std::string &token) const;

  std::vector<ApiKey> keys_;
  TokenRules rules_;
  std::unique_ptr<Poco::JWT::Signer> signer_;
  std::function<std::int64_t()> now_ms_;
  std::uint64_t id_; // this authenticator's number, for the per-thread memory of by_key()
};

} // namespace hearth::auth
