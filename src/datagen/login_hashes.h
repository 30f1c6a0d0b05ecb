// Lower-case hex digests of a password and its salt, as randomuser gives them:
// md5, sha1 and sha256 of (password + salt). OpenSSL does the hashing.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace runnel::datagen {

class LoginHasher {
 public:
  LoginHasher();
  ~LoginHasher();
  LoginHasher(const LoginHasher&) = delete;
  LoginHasher& operator=(const LoginHasher&) = delete;

  // Overwrites md5, sha1 and sha256 with the digests of password + salt.
  void hash(std::string_view password, std::string_view salt, std::string& md5, std::string& sha1,
            std::string& sha256);

 private:
  struct Digests;
  std::unique_ptr<Digests> digests_;
};

}  // namespace runnel::datagen
