// Lower-case hex digests of a password and its salt, as randomuser gives them:
// md5, sha1 and sha256 of (password + salt). OpenSSL does the hashing.
#pragma once

#include <string>
#include <string_view>

namespace runnel::datagen {

// Holds no state: each hash() keeps its digest contexts on its own stack, so
// one hasher may be shared by any number of threads.
class LoginHasher {
 public:
  // Overwrites md5, sha1 and sha256 with the digests of password + salt.
  void hash(std::string_view password, std::string_view salt, std::string& md5, std::string& sha1,
            std::string& sha256) const;
};

}  // namespace runnel::datagen
