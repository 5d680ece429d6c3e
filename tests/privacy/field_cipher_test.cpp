// AES-256-GCM field encryption and the blind index (plugin-api/src/privacy/field_cipher.hpp).
#include "privacy/field_cipher.hpp"

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace {

using hearth::privacy::FieldCipher;

// A fixed, test-only key: 32 bytes 0x00..0x1f in base64.
const std::string kKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

// The message of the std::invalid_argument that from_base64_key throws for `key`, or a
// failure when it does not throw.
std::string key_error(const std::string &key) {
  try {
    (void)FieldCipher::from_base64_key(key);
  } catch (const std::invalid_argument &error) {
    return error.what();
  }
  ADD_FAILURE() << "from_base64_key accepted a bad key";
  return {};
}

// `sealed` with its base64 character at `index` swapped between 'A' and 'B', which flips
// one bit of one decoded byte.
std::string flip_byte(const std::string &sealed, std::size_t index) {
  std::string changed = sealed;
  changed[index] = changed[index] == 'A' ? 'B' : 'A';
  return changed;
}

TEST(FieldCipher, RoundTripsAsciiText) {
  const auto cipher = FieldCipher::from_base64_key(kKey);
  const std::string sealed = cipher.encrypt("111222333", "person:P-17:bsn");
  EXPECT_EQ(sealed.find("111222333"), std::string::npos);
  EXPECT_EQ(cipher.decrypt(sealed, "person:P-17:bsn"), "111222333");
}

TEST(FieldCipher, RoundTripsUtf8Text) {
  const auto cipher = FieldCipher::from_base64_key(kKey);
  const std::string text = "Cliënt wil klein­schalig wonen – ‘tijd om te landen’ 🏠";
  EXPECT_EQ(cipher.decrypt(cipher.encrypt(text, "person:P-17:wishes"), "person:P-17:wishes"),
            text);
}

TEST(FieldCipher, RoundTripsEmptyTextAndEmptyContext) {
  const auto cipher = FieldCipher::from_base64_key(kKey);
  EXPECT_EQ(cipher.decrypt(cipher.encrypt("", "person:P-17:note"), "person:P-17:note"), "");
  EXPECT_EQ(cipher.decrypt(cipher.encrypt("note", ""), ""), "note");
}

TEST(FieldCipher, RoundTripsLongText) {
  const auto cipher = FieldCipher::from_base64_key(kKey);
  const std::string text(10000, 'x');
  const std::string sealed = cipher.encrypt(text, "c");
  EXPECT_EQ(sealed.find('\n'), std::string::npos) << "sealed text must be one line";
  EXPECT_EQ(cipher.decrypt(sealed, "c"), text);
}

TEST(FieldCipher, UsesAFreshNonceForEveryEncryption) {
  const auto cipher = FieldCipher::from_base64_key(kKey);
  const std::string first = cipher.encrypt("111222333", "person:P-17:bsn");
  const std::string second = cipher.encrypt("111222333", "person:P-17:bsn");
  EXPECT_NE(first, second);
  // The first 16 base64 characters are the 12-byte nonce.
  EXPECT_NE(first.substr(0, 16), second.substr(0, 16));
}

TEST(FieldCipher, RejectsTextWithOneChangedByte) {
  const auto cipher = FieldCipher::from_base64_key(kKey);
  const std::string sealed = cipher.encrypt("111222333", "person:P-17:bsn");
  // In the nonce, the ciphertext and the tag.
  for (const std::size_t index : {std::size_t{2}, std::size_t{18}, sealed.size() - 6}) {
    EXPECT_THROW((void)cipher.decrypt(flip_byte(sealed, index), "person:P-17:bsn"),
                 std::runtime_error)
        << "changed base64 character " << index;
  }
}

TEST(FieldCipher, ReportsAFailedDecryptionAsSuch) {
  const auto cipher = FieldCipher::from_base64_key(kKey);
  const std::string sealed = cipher.encrypt("111222333", "person:P-17:bsn");
  try {
    (void)cipher.decrypt(sealed, "person:P-18:bsn");
    FAIL() << "decrypted under another context";
  } catch (const std::runtime_error &error) {
    EXPECT_EQ(std::string(error.what()).rfind("decryption failed: ", 0), 0u) << error.what();
  }
}

TEST(FieldCipher, RejectsAnotherContext) {
  const auto cipher = FieldCipher::from_base64_key(kKey);
  const std::string sealed = cipher.encrypt("111222333", "person:P-17:bsn");
  EXPECT_THROW((void)cipher.decrypt(sealed, "person:P-18:bsn"), std::runtime_error);
  EXPECT_THROW((void)cipher.decrypt(sealed, ""), std::runtime_error);
}

TEST(FieldCipher, RejectsAnotherKey) {
  const auto cipher = FieldCipher::from_base64_key(kKey);
  const auto other = FieldCipher::from_base64_key(FieldCipher::generate_key_base64());
  const std::string sealed = cipher.encrypt("111222333", "person:P-17:bsn");
  EXPECT_THROW((void)other.decrypt(sealed, "person:P-17:bsn"), std::runtime_error);
}

TEST(FieldCipher, RejectsTruncatedAndMalformedText) {
  const auto cipher = FieldCipher::from_base64_key(kKey);
  const std::string sealed = cipher.encrypt("111222333", "c");
  EXPECT_THROW((void)cipher.decrypt("", "c"), std::runtime_error);
  EXPECT_THROW((void)cipher.decrypt(sealed.substr(0, 36), "c"), std::runtime_error);
  EXPECT_THROW((void)cipher.decrypt("not base64!", "c"), std::runtime_error);
}

TEST(FieldCipher, GeneratesDistinct32ByteKeys) {
  const std::string first = FieldCipher::generate_key_base64();
  const std::string second = FieldCipher::generate_key_base64();
  EXPECT_EQ(first.size(), 44u);
  EXPECT_NE(first, second);
  EXPECT_NO_THROW((void)FieldCipher::from_base64_key(first));
}

TEST(FieldCipher, RefusesAKeyOfTheWrongLengthWithoutEchoingIt) {
  const std::string short_key = "c2hvcnQtYnV0LXNlY3JldC1rZXk="; // 22 bytes
  const std::string message = key_error(short_key);
  EXPECT_NE(message.find("privacy.field_key"), std::string::npos) << message;
  EXPECT_NE(message.find("32 bytes"), std::string::npos) << message;
  EXPECT_EQ(message.find(short_key), std::string::npos) << message;
  EXPECT_EQ(message.find("short-but-secret-key"), std::string::npos) << message;
}

TEST(FieldCipher, RefusesAKeyThatIsNotBase64WithoutEchoingIt) {
  const std::string bad_key = "this-is-not-base64!!secret";
  const std::string message = key_error(bad_key);
  EXPECT_NE(message.find("privacy.field_key"), std::string::npos) << message;
  EXPECT_NE(message.find("base64"), std::string::npos) << message;
  EXPECT_EQ(message.find(bad_key), std::string::npos) << message;
  EXPECT_EQ(message.find("secret"), std::string::npos) << message;
}

TEST(FieldCipher, RefusesAnEmptyKey) {
  EXPECT_NE(key_error("").find("privacy.field_key"), std::string::npos);
}

TEST(FieldCipher, RefusesAKeyOneByteTooLong) {
  // 33 bytes.
  const std::string message = key_error("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g");
  EXPECT_NE(message.find("privacy.field_key"), std::string::npos) << message;
}

TEST(FieldCipher, BlindIndexIsDeterministicHexSha256) {
  const auto cipher = FieldCipher::from_base64_key(kKey);
  const std::string index = cipher.blind_index("111222333");
  EXPECT_EQ(index, FieldCipher::from_base64_key(kKey).blind_index("111222333"));
  EXPECT_EQ(index.size(), 64u);
  EXPECT_EQ(index.find_first_not_of("0123456789abcdef"), std::string::npos) << index;
  EXPECT_EQ(index.find("111222333"), std::string::npos);
}

TEST(FieldCipher, BlindIndexDiffersPerValueAndPerKey) {
  const auto cipher = FieldCipher::from_base64_key(kKey);
  const auto other = FieldCipher::from_base64_key(FieldCipher::generate_key_base64());
  EXPECT_NE(cipher.blind_index("111222333"), cipher.blind_index("123456782"));
  EXPECT_NE(cipher.blind_index("111222333"), other.blind_index("111222333"));
}

} // namespace
