// Cassandra's PasswordAuthenticator, for one user given on the command line:
// the client answers AUTHENTICATE with a SASL PLAIN token,
// "[authzid] \0 user \0 password".
#pragma once

#include <string>
#include <string_view>

namespace runnel::store::server {

inline constexpr std::string_view kPasswordAuthenticator =
    "org.apache.cassandra.auth.PasswordAuthenticator";

struct Credentials {
  std::string user;
  std::string password;
};

// Whether `token` is a PLAIN token carrying exactly these credentials. The
// password is compared in time independent of where it differs.
bool accepts_plain_token(const Credentials& credentials, std::string_view token);

}  // namespace runnel::store::server
