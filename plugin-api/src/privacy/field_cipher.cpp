// AES-256-GCM field encryption and the HMAC-SHA256 blind index (see field_cipher.hpp).
//
// Which API does what:
// - AES-256-GCM: OpenSSL's EVP interface directly. Poco 1.11's Crypto::CryptoTransform has
//   setTag/getTag but no way to pass additional authenticated data, and the record context
//   must be authenticated, so Poco's cipher cannot be used here. OpenSSL is the library
//   Poco::Crypto sits on (linked through Poco::Crypto).
// - Nonces and keys: OpenSSL RAND_bytes (the system CSPRNG).
// - Base64: Poco::Base64Encoder / Poco::Base64Decoder.
// - HMAC-SHA256: Poco::HMACEngine over Poco::SHA2Engine.
#include "privacy/field_cipher.hpp"

#include <cstddef>
#include <iterator>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

namespace hearth::privacy {
namespace {

constexpr std::size_t kKeySize = 32;   // AES-256
constexpr std::size_t kNonceSize = 12; // 96-bit GCM nonce
constexpr std::size_t kTagSize = 16;   // 128-bit GCM tag

// The label from which the blind-index key is derived, so that the index key differs from
// the encryption key. Changing it invalidates every stored index.
constexpr std::string_view kBlindIndexLabel = "hearth blind index v1";

// Poco::SHA2Engine as Poco::HMACEngine needs it: Poco 1.11's SHA2Engine lacks the
// BLOCK_SIZE/DIGEST_SIZE constants that HMACEngine reads (SHA-256 values per FIPS 180-4).
class Sha256Engine : public Poco::SHA2Engine {
public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

// Frees an OpenSSL cipher context when it goes out of scope.
struct CipherContextDeleter {
  void operator()(EVP_CIPHER_CTX *context) const { EVP_CIPHER_CTX_free(context); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextDeleter>;

// A new OpenSSL cipher context; throws std::runtime_error when OpenSSL cannot allocate one.
CipherContext new_context() {
  CipherContext context(EVP_CIPHER_CTX_new());
  if (!context) {
    throw std::runtime_error("field cipher: cannot create an OpenSSL cipher context");
  }
  return context;
}

// Overwrites a buffer holding key material before it is released.
void wipe(std::string &secret) {
  if (!secret.empty()) {
    OPENSSL_cleanse(secret.data(), secret.size());
  }
}

// `size` bytes from OpenSSL's CSPRNG; throws std::runtime_error when it fails.
std::string random_bytes(std::size_t size) {
  std::string bytes(size, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), static_cast<int>(size)) != 1) {
    throw std::runtime_error("field cipher: the random generator failed");
  }
  return bytes;
}

// Standard base64 (with padding, without line breaks).
std::string to_base64(std::string_view bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  encoder.close();
  return out.str();
}

// Decodes standard base64; throws Poco::DataFormatException on malformed input.
std::string from_base64(std::string_view text) {
  std::istringstream in{std::string(text)};
  Poco::Base64Decoder decoder(in);
  // istreambuf_iterator reads the buffer directly, so Poco's format errors propagate
  // instead of being turned into a silent stream failure.
  return std::string(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
}

// HMAC-SHA256 of `message` under `key`, as raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view message) {
  Poco::HMACEngine<Sha256Engine> hmac(key.data(), key.size());
  hmac.update(message.data(), message.size());
  const Poco::DigestEngine::Digest &digest = hmac.digest();
  return std::string(digest.begin(), digest.end());
}

// OpenSSL's int length parameter, checked.
int checked_length(std::size_t size) {
  if (size > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw std::invalid_argument("field cipher: field too large to encrypt");
  }
  return static_cast<int>(size);
}

// The pointer OpenSSL's interfaces take for a byte buffer.
const unsigned char *bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char *>(text.data());
}

} // namespace

FieldCipher FieldCipher::from_base64_key(const std::string &key_base64) {
  if (key_base64.empty()) {
    throw std::invalid_argument("privacy.field_key: is empty; set it to 32 random bytes in "
                                "base64 (see `hearth keygen`)");
  }
  std::string raw;
  try {
    raw = from_base64(key_base64);
  } catch (const Poco::Exception &) {
    throw std::invalid_argument("privacy.field_key: is not valid base64");
  }
  if (raw.size() != kKeySize) {
    const std::size_t got = raw.size();
    wipe(raw);
    throw std::invalid_argument("privacy.field_key: must decode to 32 bytes, got " +
                                std::to_string(got));
  }
  std::vector<unsigned char> key(raw.begin(), raw.end());
  wipe(raw);
  return FieldCipher(std::move(key));
}

std::string FieldCipher::generate_key_base64() {
  std::string key = random_bytes(kKeySize);
  std::string encoded = to_base64(key);
  wipe(key);
  return encoded;
}

std::string FieldCipher::encrypt(std::string_view plaintext, std::string_view context) const {
  const std::string nonce = random_bytes(kNonceSize);
  const CipherContext ctx = new_context();
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceSize),
                          nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key_.data(), bytes_of(nonce)) != 1) {
    throw std::runtime_error("encryption failed: cannot initialise AES-256-GCM");
  }
  int written = 0;
  if (!context.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &written, bytes_of(context),
                                            checked_length(context.size())) != 1) {
    throw std::runtime_error("encryption failed: cannot authenticate the context");
  }
  std::string sealed(nonce);
  sealed.resize(kNonceSize + plaintext.size() + kTagSize);
  auto *out = reinterpret_cast<unsigned char *>(sealed.data()) + kNonceSize;
  int produced = 0;
  if (!plaintext.empty()) {
    if (EVP_EncryptUpdate(ctx.get(), out, &written, bytes_of(plaintext),
                          checked_length(plaintext.size())) != 1) {
      throw std::runtime_error("encryption failed: AES-256-GCM update");
    }
    produced = written;
  }
  if (EVP_EncryptFinal_ex(ctx.get(), out + produced, &written) != 1) {
    throw std::runtime_error("encryption failed: AES-256-GCM final");
  }
  produced += written;
  if (static_cast<std::size_t>(produced) != plaintext.size() ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                          out + produced) != 1) {
    throw std::runtime_error("encryption failed: cannot read the GCM tag");
  }
  return to_base64(sealed);
}

std::string FieldCipher::decrypt(std::string_view sealed, std::string_view context) const {
  std::string raw;
  try {
    raw = from_base64(sealed);
  } catch (const Poco::Exception &) {
    throw std::runtime_error("decryption failed: not valid base64");
  }
  if (raw.size() < kNonceSize + kTagSize) {
    throw std::runtime_error("decryption failed: too short to be a sealed field");
  }
  const std::string_view all(raw);
  const std::string_view nonce = all.substr(0, kNonceSize);
  const std::string_view body = all.substr(kNonceSize, all.size() - kNonceSize - kTagSize);
  std::string tag(all.substr(all.size() - kTagSize));

  const CipherContext ctx = new_context();
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceSize),
                          nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key_.data(), bytes_of(nonce)) != 1) {
    throw std::runtime_error("decryption failed: cannot initialise AES-256-GCM");
  }
  int written = 0;
  if (!context.empty() && EVP_DecryptUpdate(ctx.get(), nullptr, &written, bytes_of(context),
                                            checked_length(context.size())) != 1) {
    throw std::runtime_error("decryption failed: cannot authenticate the context");
  }
  std::string plaintext(body.size(), '\0');
  auto *out = reinterpret_cast<unsigned char *>(plaintext.data());
  int produced = 0;
  if (!body.empty()) {
    if (EVP_DecryptUpdate(ctx.get(), out, &written, bytes_of(body),
                          checked_length(body.size())) != 1) {
      throw std::runtime_error("decryption failed: AES-256-GCM update");
    }
    produced = written;
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize),
                          tag.data()) != 1) {
    throw std::runtime_error("decryption failed: cannot set the GCM tag");
  }
  // The tag check happens here: a changed byte, another context or another key all fail.
  if (EVP_DecryptFinal_ex(ctx.get(), out + produced, &written) != 1) {
    wipe(plaintext);
    throw std::runtime_error(
        "decryption failed: authentication failed (wrong key, wrong context or altered text)");
  }
  produced += written;
  plaintext.resize(static_cast<std::size_t>(produced));
  return plaintext;
}

std::string FieldCipher::blind_index(std::string_view value) const {
  const std::string_view field_key(reinterpret_cast<const char *>(key_.data()), key_.size());
  std::string index_key = hmac_sha256(field_key, kBlindIndexLabel);
  const std::string mac = hmac_sha256(index_key, value);
  wipe(index_key);
  return Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(mac.begin(), mac.end()));
}

} // namespace hearth::privacy
