#include "datagen/login_hashes.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace runnel::datagen {

// Fetched and bound to a context once per algorithm: fetching is costly, and
// re-initialising a context with its own digest (type nullptr) is not.
struct LoginHasher::Digests {
  struct Algorithm {
    explicit Algorithm(const char* name)
        : type(EVP_MD_fetch(nullptr, name, nullptr)), context(EVP_MD_CTX_new()) {
      if (type && context) bound = EVP_DigestInit_ex2(context, type, nullptr) == 1;
    }
    ~Algorithm() {
      EVP_MD_free(type);
      EVP_MD_CTX_free(context);
    }
    EVP_MD* type;
    EVP_MD_CTX* context;
    bool bound = false;
  };
  Algorithm md5{"MD5"}, sha1{"SHA1"}, sha256{"SHA256"};

  void digest(Algorithm& algorithm, std::string_view password, std::string_view salt,
              std::string& hex) {
    unsigned char bytes[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_MD_CTX* context = algorithm.context;
    if (EVP_DigestInit_ex2(context, nullptr, nullptr) != 1 ||
        EVP_DigestUpdate(context, password.data(), password.size()) != 1 ||
        EVP_DigestUpdate(context, salt.data(), salt.size()) != 1 ||
        EVP_DigestFinal_ex(context, bytes, &length) != 1) {
      throw std::runtime_error("OpenSSL digest failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    hex.resize(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
      hex[2 * i] = kHex[bytes[i] >> 4];
      hex[2 * i + 1] = kHex[bytes[i] & 0xf];
    }
  }
};

LoginHasher::LoginHasher() : digests_(std::make_unique<Digests>()) {
  if (!digests_->md5.bound || !digests_->sha1.bound || !digests_->sha256.bound) {
    throw std::runtime_error("OpenSSL digests MD5, SHA1 or SHA256 unavailable");
  }
}

LoginHasher::~LoginHasher() = default;

void LoginHasher::hash(std::string_view password, std::string_view salt, std::string& md5,
                       std::string& sha1, std::string& sha256) {
  digests_->digest(digests_->md5, password, salt, md5);
  digests_->digest(digests_->sha1, password, salt, sha1);
  digests_->digest(digests_->sha256, password, salt, sha256);
}

}  // namespace runnel::datagen
