#include "store/server/password_authenticator.h"

#include <openssl/crypto.h>

namespace runnel::store::server {

bool accepts_plain_token(const Credentials& credentials, std::string_view token) {
  std::size_t first = token.find('\0');
  if (first == std::string_view::npos) return false;
  std::size_t second = token.find('\0', first + 1);
  if (second == std::string_view::npos) return false;
  std::string_view user = token.substr(first + 1, second - first - 1);
  std::string_view password = token.substr(second + 1);
  bool user_matches = user == credentials.user;
  bool password_matches =
      password.size() == credentials.password.size() &&
      CRYPTO_memcmp(password.data(), credentials.password.data(), password.size()) == 0;
  return user_matches && password_matches;
}

}  // namespace runnel::store::server
