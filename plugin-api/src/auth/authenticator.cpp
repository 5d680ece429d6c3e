#include "auth/authenticator.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <Poco/Crypto/RSAKey.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JWT/JWTException.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/SharedPtr.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "runtime/config.hpp"

namespace hearth::auth {

namespace {

// A refusal saying why (never the credential).
Authentication refused_because(std::string reason) {
  Authentication out;
  out.kind = Authentication::Kind::refused;
  out.reason = std::move(reason);
  return out;
}


using runtime::ConfigError;

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::string trim(const std::string &text) { return std::string(trimmed(text)); }

// Every Authenticator gets a number of its own (never reused), so that what a thread
// remembers of one (RecentKey) is never taken for another's.
std::atomic<std::uint64_t> next_authenticator_id{1};

// The API key this thread presented last and the configured key it matched, for one
// Authenticator. A system calls with the same key request after request; recognising it
// again by a constant-time comparison spares the SHA-256 of every request. Only keys that
// matched are remembered; the text lives no longer than the thread's request did anyway.
struct RecentKey {
  std::uint64_t authenticator = 0;
  std::string key;
  const ApiKey *match = nullptr;
};
thread_local RecentKey recent_key;

std::vector<std::string> names_in(const std::string &list) {
  std::vector<std::string> names;
  std::istringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    item = trim(item);
    if (!item.empty()) {
      names.push_back(item);
    }
  }
  return names;
}

// The SHA-256 digest of `text`, through OpenSSL's digest (the same OpenSSL that Poco::Crypto
// uses): it runs on every request that carries an API key, and Poco's DigestEngine with a
// hex string costs several times more there.
// The algorithm is fetched once: OpenSSL 3 looks EVP_sha256() up in its provider store on
// every use otherwise, under a lock all request threads share. Each thread keeps one
// digest context: the one-shot EVP_Digest allocates and frees one on every call.
std::array<unsigned char, 32> sha256_of(std::string_view text) {
  static const std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> sha256(EVP_MD_fetch(nullptr, "SHA256", nullptr),
                                                                        &EVP_MD_free);
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                                      &EVP_MD_CTX_free);
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  if (sha256 == nullptr || context == nullptr || EVP_DigestInit_ex2(context.get(), sha256.get(), nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), text.data(), text.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest.data(), &size) != 1 || size != digest.size()) {
    throw std::runtime_error("SHA-256 is not available from OpenSSL");
  }
  return digest;
}

// The 32 bytes written as 64 hex digits in `hex` (already checked by is_hex_digest).
std::array<unsigned char, 32> digest_from_hex(const std::string &hex) {
  std::array<unsigned char, 32> digest{};
  const auto nibble = [](char c) { return static_cast<unsigned char>(c <= '9' ? c - '0' : c - 'a' + 10); };
  for (std::size_t i = 0; i < digest.size(); ++i) {
    digest[i] = static_cast<unsigned char>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  return digest;
}

bool is_hex_digest(const std::string &text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](unsigned char c) {
           return std::isdigit(c) || (c >= 'a' && c <= 'f');
         });
}

std::string required(const runtime::Config &config, const std::string &key) {
  auto value = config.find(key);
  if (!value || trim(*value).empty()) {
    throw ConfigError(config.origin_of(key) + ": " + key + ": missing");
  }
  return trim(*value);
}

std::string claim_text(const Poco::JSON::Object &payload, const std::string &name) {
  if (!payload.has(name)) {
    return {};
  }
  const auto value = payload.get(name);
  return value.isString() ? value.extract<std::string>() : std::string();
}

} // namespace

Authenticator Authenticator::from_config(const runtime::Config &config,
                                         std::function<std::int64_t()> now_ms) {
  std::vector<ApiKey> keys;
  for (const auto &name : names_in(config.get("auth.keys", ""))) {
    const std::string prefix = "auth.key." + name + ".";
    ApiKey key;
    key.name = name;
    std::string digest_hex = required(config, prefix + "sha256");
    std::transform(digest_hex.begin(), digest_hex.end(), digest_hex.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!is_hex_digest(digest_hex)) {
      throw ConfigError(config.origin_of(prefix + "sha256") + ": " + prefix +
                        "sha256: not a SHA-256 digest (64 hex digits)");
    }
    key.sha256 = digest_from_hex(digest_hex);
    key.actor.user = required(config, prefix + "user");
    key.actor.role = required(config, prefix + "role");
    if (!policy::is_known_role(key.actor.role)) {
      throw ConfigError(config.origin_of(prefix + "role") + ": " + prefix + "role: unknown role '" +
                        key.actor.role + "'");
    }
    key.actor.organisation = required(config, prefix + "organisation");
    key.actor.access_point = config.get(prefix + "access_point", "api-key:" + name);
    keys.push_back(std::move(key));
  }

  TokenRules rules;
  rules.algorithm = trim(config.get("auth.jwt.algorithm", ""));
  std::string secret_or_pem;
  if (!rules.algorithm.empty()) {
    if (rules.algorithm == "HS256") {
      secret_or_pem = required(config, "auth.jwt.hs256_secret");
      if (secret_or_pem.size() < 32) {
        throw ConfigError(config.origin_of("auth.jwt.hs256_secret") +
                          ": auth.jwt.hs256_secret: shorter than 32 bytes");
      }
    } else if (rules.algorithm == "RS256") {
      const std::string file = required(config, "auth.jwt.rs256_public_key");
      std::ifstream in(file);
      if (!in) {
        throw ConfigError(config.origin_of("auth.jwt.rs256_public_key") +
                          ": auth.jwt.rs256_public_key: cannot read '" + file + "'");
      }
      std::ostringstream pem;
      pem << in.rdbuf();
      secret_or_pem = pem.str();
    } else {
      throw ConfigError(config.origin_of("auth.jwt.algorithm") +
                        ": auth.jwt.algorithm: must be HS256, RS256 or empty");
    }
    rules.issuer = required(config, "auth.jwt.issuer");
    rules.audience = trim(config.get("auth.jwt.audience", ""));
    rules.max_lifetime_s = config.get_int("auth.jwt.max_lifetime_s", 900, 1, 86400);
    rules.leeway_s = config.get_int("auth.jwt.leeway_s", 30, 0, 600);
  }
  try {
    return Authenticator(std::move(keys), std::move(rules), secret_or_pem, std::move(now_ms));
  } catch (const Poco::Exception &failure) {
    throw ConfigError(config.origin_of("auth.jwt.rs256_public_key") +
                      ": auth.jwt.rs256_public_key: not a usable RSA public key (" +
                      failure.displayText() + ")");
  }
}

Authenticator::Authenticator(std::vector<ApiKey> keys, TokenRules rules,
                             std::string secret_or_pem, std::function<std::int64_t()> now_ms)
    : keys_(std::move(keys)), rules_(std::move(rules)), now_ms_(std::move(now_ms)), id_(next_authenticator_id++) {
  if (rules_.algorithm == "HS256") {
    signer_ = std::make_unique<Poco::JWT::Signer>(secret_or_pem);
    signer_->setAlgorithms({Poco::JWT::Signer::ALGO_HS256});
  } else if (rules_.algorithm == "RS256") {
    std::istringstream pem(secret_or_pem);
    Poco::SharedPtr<Poco::Crypto::RSAKey> key(new Poco::Crypto::RSAKey(&pem));
    signer_ = std::make_unique<Poco::JWT::Signer>(key);
    signer_->setAlgorithms({Poco::JWT::Signer::ALGO_RS256});
  }
}

Authenticator::~Authenticator() = default;
Authenticator::Authenticator(Authenticator &&other) noexcept
    : keys_(std::move(other.keys_)), rules_(std::move(other.rules_)), signer_(std::move(other.signer_)),
      now_ms_(std::move(other.now_ms_)), id_(next_authenticator_id++) {
  other.id_ = next_authenticator_id++; // what threads remember of either is forgotten
}

Authenticator &Authenticator::operator=(Authenticator &&other) noexcept {
  keys_ = std::move(other.keys_);
  rules_ = std::move(other.rules_);
  signer_ = std::move(other.signer_);
  now_ms_ = std::move(other.now_ms_);
  id_ = next_authenticator_id++;
  other.id_ = next_authenticator_id++;
  return *this;
}

Authentication Authenticator::authenticate(const std::map<std::string, std::string> &headers) const {
  if (const auto key = headers.find("x-api-key"); key != headers.end()) {
    return by_key(trimmed(key->second));
  }
  const auto authorization = headers.find("authorization");
  if (authorization == headers.end()) {
    return {};
  }
  const std::string value = trim(authorization->second);
  constexpr std::string_view scheme = "Bearer ";
  if (value.size() <= scheme.size() ||
      !std::equal(scheme.begin(), scheme.end(), value.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
      })) {
    return refused_because("authorization: only the Bearer scheme is accepted");
  }
  return check(trim(value.substr(scheme.size())));
}

Authentication Authenticator::check(const std::string &credential) const {
  if (std::count(credential.begin(), credential.end(), '.') == 2) {
    return by_token(credential);
  }
  return by_key(credential);
}

Authentication Authenticator::by_key(std::string_view key) const {
  if (key.empty()) {
    return refused_because("api key: empty");
  }
  const ApiKey *match = nullptr;
  RecentKey &recent = recent_key;
  if (recent.authenticator == id_ && recent.key.size() == key.size() &&
      CRYPTO_memcmp(recent.key.data(), key.data(), key.size()) == 0) {
    match = recent.match;
  } else {
    const auto digest = sha256_of(key);
    for (const auto &candidate : keys_) {
      // Compare against every key, each in constant time, so the time taken does not tell
      // which one matched.
      if (CRYPTO_memcmp(candidate.sha256.data(), digest.data(), digest.size()) == 0) {
        match = &candidate;
      }
    }
    if (match == nullptr) {
      return refused_because("api key: not known");
    }
    recent.authenticator = id_;
    recent.key.assign(key);
    recent.match = match;
  }
  Authentication out;
  out.kind = Authentication::Kind::actor;
  out.actor = match->actor;
  out.by_api_key = true;
  return out;
}

Authentication Authenticator::by_token(const std::string &token) const {
  const auto refuse = [](const std::string &reason) {
    return refused_because("token: " + reason);
  };
  if (!signer_) {
    return refuse("signed tokens are not accepted here (auth.jwt.algorithm is empty)");
  }
  Poco::JWT::Token verified;
  try {
    if (!signer_->tryVerify(token, verified)) {
      return refuse("signature or algorithm not valid");
    }
  } catch (const Poco::Exception &) {
    return refuse("malformed");
  }
  const auto &payload = verified.payload();
  const std::int64_t now_s = now_ms_() / 1000;
  const auto expiration = verified.getExpiration().epochTime();
  if (expiration == 0) {
    return refuse("exp: missing");
  }
  if (expiration + rules_.leeway_s <= now_s) {
    return refuse("exp: expired");
  }
  if (expiration - now_s > rules_.max_lifetime_s + rules_.leeway_s) {
    return refuse("exp: further ahead than auth.jwt.max_lifetime_s allows");
  }
  const auto not_before = verified.getNotBefore().epochTime();
  if (not_before != 0 && not_before > now_s + rules_.leeway_s) {
    return refuse("nbf: not valid yet");
  }
  if (verified.getIssuer() != rules_.issuer) {
    return refuse("iss: not the configured issuer");
  }
  if (!rules_.audience.empty()) {
    const auto audience = verified.getAudience();
    if (std::find(audience.begin(), audience.end(), rules_.audience) == audience.end()) {
      return refuse("aud: does not name this service");
    }
  }
  Authentication out;
  out.kind = Authentication::Kind::actor;
  out.actor.user = verified.getSubject();
  out.actor.role = claim_text(payload, "role");
  out.actor.organisation = claim_text(payload, "org");
  out.actor.on_behalf_of = claim_text(payload, "obo");
  out.actor.access_point = claim_text(payload, "ap");
  if (out.actor.access_point.empty()) {
    out.actor.access_point = "token:" + rules_.issuer;
  }
  out.actor.emergency = payload.has("emergency") && payload.get("emergency").isBoolean() &&
                        payload.get("emergency").extract<bool>();
  out.scope = claim_text(payload, "scope");
  out.expires_at_ms = static_cast<std::int64_t>(expiration) * 1000;
  if (out.actor.user.empty()) {
    return refuse("sub: missing");
  }
  if (!policy::is_known_role(out.actor.role)) {
    return refuse("role: missing or unknown");
  }
  if (out.actor.organisation.empty()) {
    return refuse("org: missing");
  }
  return out;
}

} // namespace hearth::auth
