#include "datagen/login_hashes.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace runnel::datagen {

// Fetched once: EVP_MD_fetch is costly, a digest with a reused context is not.
struct LoginHasher::Digests {
  EVP_MD* md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  EVP_MD* sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MD_CTX* context = EVP_MD_CTX_new();

  ~Digests() {
    EVP_MD_free(md5);
    EVP_MD_free(sha1);
    EVP_MD_free(sha256);
    EVP_MD_CTX_free(context);
  }

  void digest(const EVP_MD* type, std::string_view password, std::string_view salt,
              std::string& hex) {
    unsigned char bytes[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestInit_ex2(context, type, nullptr) != 1 ||
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
  if (!digests_->md5 || !digests_->sha1 || !digests_->sha256 || !digests_->context) {
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
