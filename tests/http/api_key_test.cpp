// API keys (src/auth/authenticator.hpp): a thread recognises the key it presented last
// without hashing it again, and that memory never lets through what the authenticator
// asked would refuse — another key, a key of another authenticator, a key no longer
// configured.
#include <array>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "auth/authenticator.hpp"

namespace {

using hearth::auth::ApiKey;
using hearth::auth::Authentication;
using hearth::auth::Authenticator;

std::array<unsigned char, 32> sha256(const std::string &text) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}

ApiKey key_for(const std::string &name, const std::string &key, const std::string &user) {
  ApiKey api_key;
  api_key.name = name;
  api_key.sha256 = sha256(key);
  api_key.actor.user = user;
  api_key.actor.role = "system";
  api_key.actor.organisation = "corp:woonstad";
  api_key.actor.access_point = "api";
  return api_key;
}

Authenticator with_keys(std::vector<ApiKey> keys) {
  return Authenticator(std::move(keys), {}, "", [] { return std::int64_t{0}; });
}

Authentication presenting(const Authenticator &authenticator, const std::string &key) {
  return authenticator.authenticate({{"x-api-key", key}});
}

const std::string crm_key = "0123456789abcdef0123456789abcdef0123456789abcdef";
const std::string vera_key = "fedcba9876543210fedcba9876543210fedcba9876543210"; // same length

TEST(ApiKey, TheSameKeyAgainIsTheSameActor) {
  const Authenticator authenticator = with_keys({key_for("crm", crm_key, "system:crm")});
  for (int i = 0; i < 3; ++i) {
    const Authentication who = presenting(authenticator, crm_key);
    ASSERT_EQ(who.kind, Authentication::Kind::actor);
    EXPECT_EQ(who.actor.user, "system:crm");
    EXPECT_TRUE(who.by_api_key);
  }
  EXPECT_EQ(presenting(authenticator, "  " + crm_key + "\t").actor.user, "system:crm") << "spaces around the key";
}

TEST(ApiKey, AnotherKeyOfTheSameLengthAfterAKnownOneIsCheckedOnItsOwn) {
  const Authenticator authenticator =
      with_keys({key_for("crm", crm_key, "system:crm"), key_for("vera", vera_key, "system:vera")});
  EXPECT_EQ(presenting(authenticator, crm_key).actor.user, "system:crm");
  EXPECT_EQ(presenting(authenticator, vera_key).actor.user, "system:vera");
  EXPECT_EQ(presenting(authenticator, crm_key).actor.user, "system:crm");
  std::string forged = crm_key;
  forged.back() = 'e';
  const Authentication refused = presenting(authenticator, forged);
  EXPECT_EQ(refused.kind, Authentication::Kind::refused);
  EXPECT_EQ(refused.reason, "api key: not known");
  EXPECT_EQ(presenting(authenticator, crm_key.substr(0, 47)).kind, Authentication::Kind::refused);
}

TEST(ApiKey, AKeyKnownToOneAuthenticatorIsNotTakenByAnother) {
  const Authenticator before_reload = with_keys({key_for("crm", crm_key, "system:crm")});
  const Authenticator after_reload = with_keys({key_for("vera", vera_key, "system:vera")});
  EXPECT_EQ(presenting(before_reload, crm_key).kind, Authentication::Kind::actor);
  EXPECT_EQ(presenting(after_reload, crm_key).kind, Authentication::Kind::refused)
      << "a key dropped from the configuration still let in";
  EXPECT_EQ(presenting(before_reload, crm_key).kind, Authentication::Kind::actor);
}

TEST(ApiKey, AMovedAuthenticatorStillChecksItsKeys) {
  Authenticator first = with_keys({key_for("crm", crm_key, "system:crm")});
  EXPECT_EQ(presenting(first, crm_key).actor.user, "system:crm");
  Authenticator moved = std::move(first);
  EXPECT_EQ(presenting(moved, crm_key).actor.user, "system:crm");
  moved = with_keys({key_for("vera", vera_key, "system:vera")});
  EXPECT_EQ(presenting(moved, crm_key).kind, Authentication::Kind::refused);
  EXPECT_EQ(presenting(moved, vera_key).actor.user, "system:vera");
}

TEST(ApiKey, EachThreadRecognisesOnlyWhatItChecked) {
  const Authenticator authenticator =
      with_keys({key_for("crm", crm_key, "system:crm"), key_for("vera", vera_key, "system:vera")});
  std::vector<std::thread> threads;
  std::vector<std::string> users(8);
  for (std::size_t i = 0; i < users.size(); ++i) {
    threads.emplace_back([&, i] {
      const std::string &key = i % 2 == 0 ? crm_key : vera_key;
      for (int round = 0; round < 200; ++round) {
        const Authentication who = presenting(authenticator, key);
        if (who.kind != Authentication::Kind::actor) {
          users[i] = "refused";
          return;
        }
        users[i] = who.actor.user;
      }
    });
  }
  for (auto &thread : threads) {
    thread.join();
  }
  for (std::size_t i = 0; i < users.size(); ++i) {
    EXPECT_EQ(users[i], i % 2 == 0 ? "system:crm" : "system:vera");
  }
}

TEST(ApiKey, AnEmptyKeyIsRefusedNamingWhy) {
  const Authenticator authenticator = with_keys({key_for("crm", crm_key, "system:crm")});
  const Authentication refused = presenting(authenticator, "   ");
  EXPECT_EQ(refused.kind, Authentication::Kind::refused);
  EXPECT_EQ(refused.reason, "api key: empty");
}

} // namespace
