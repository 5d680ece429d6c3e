#include "zgw_token.hpp"

#include <stdexcept>

#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Timestamp.h>

namespace hearth::adapters::zgw {

std::string make_zgw_token(const ZgwCredentials &credentials, std::int64_t now_ms) {
  if (credentials.client_id.empty()) {
    throw std::invalid_argument("client_id: is missing");
  }
  if (credentials.secret.empty()) {
    throw std::invalid_argument("secret: is missing");
  }
  Poco::JWT::Token token;
  token.setType("JWT");
  token.setIssuer(credentials.client_id);
  token.setIssuedAt(Poco::Timestamp((now_ms / 1000) * Poco::Timestamp::resolution()));
  token.payload().set("client_id", credentials.client_id);
  token.payload().set("user_id", credentials.user_id);
  token.payload().set("user_representation", credentials.user_representation);
  Poco::JWT::Signer signer(credentials.secret);
  return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

} // namespace hearth::adapters::zgw
