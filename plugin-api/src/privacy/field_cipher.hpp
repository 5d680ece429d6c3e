// Authenticated encryption of single fields at rest (AES-256-GCM through OpenSSL EVP,
// which Poco::Crypto sits on: Poco 1.11 cannot authenticate extra data), and a keyed
// HMAC-SHA256 blind index so that an encrypted BSN can still be looked up.
// The key comes from configuration or the environment, never from the database.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hearth::privacy {

class FieldCipher {
public:
  // `key_base64` must decode to 32 bytes. Throws std::invalid_argument naming
  // "privacy.field_key" and the reason otherwise (never echoing the key).
  static FieldCipher from_base64_key(const std::string &key_base64);
  // A fresh random key, base64, for `hearth keygen` and tests.
  static std::string generate_key_base64();

  // Encrypts with a fresh random 96-bit nonce; `context` (e.g. "person:P-17:bsn") is
  // authenticated but not stored, so a ciphertext moved to another record fails to
  // decrypt. Returns base64(nonce || ciphertext || tag).
  std::string encrypt(std::string_view plaintext, std::string_view context) const;
  // Throws std::runtime_error("decryption failed: ...") when the text, context or key
  // does not match.
  std::string decrypt(std::string_view sealed, std::string_view context) const;

  // HMAC-SHA256 of `value` under a key derived from the field key, hex: equal inputs give
  // equal outputs, so an index on it finds a BSN without storing it in clear.
  std::string blind_index(std::string_view value) const;

private:
  explicit FieldCipher(std::vector<unsigned char> key) : key_(std::move(key)) {}
  std::vector<unsigned char> key_;
};

} // namespace hearth::privacy
