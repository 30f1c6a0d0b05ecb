// OpenSSL's low-level MD5, SHA1 and SHA256 functions are deprecated since 3.0
// in favour of EVP. They are used here on purpose: a user's hashes are three
// one-block digests, where EVP's per-digest cost (initialising through the
// provider, allocating and freeing its context) was larger than the hashing
// itself. The low-level contexts live on the stack and allocate nothing.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "datagen/login_hashes.h"

#include <openssl/md5.h>
#include <openssl/sha.h>

#include <array>
#include <cstring>

namespace runnel::datagen {
namespace {

// Two lower-case hex digits for every byte value, in byte order.
constexpr auto kHexPairs = [] {
  constexpr char kHex[] = "0123456789abcdef";
  std::array<char, 512> pairs{};
  for (int byte = 0; byte < 256; ++byte) {
    pairs[2 * byte] = kHex[byte >> 4];
    pairs[2 * byte + 1] = kHex[byte & 0xf];
  }
  return pairs;
}();

template <std::size_t N>
void to_hex(const unsigned char (&bytes)[N], std::string& hex) {
  hex.resize(2 * N);
  char* to = hex.data();
  for (std::size_t i = 0; i < N; ++i) std::memcpy(to + 2 * i, &kHexPairs[2 * bytes[i]], 2);
}

}  // namespace

void LoginHasher::hash(std::string_view password, std::string_view salt, std::string& md5,
                       std::string& sha1, std::string& sha256) const {
  // The low-level functions cannot fail for in-memory input, so their
  // return values carry nothing to check.
  unsigned char md5_bytes[MD5_DIGEST_LENGTH];
  MD5_CTX md5_context;
  MD5_Init(&md5_context);
  MD5_Update(&md5_context, password.data(), password.size());
  MD5_Update(&md5_context, salt.data(), salt.size());
  MD5_Final(md5_bytes, &md5_context);
  to_hex(md5_bytes, md5);

  unsigned char sha1_bytes[SHA_DIGEST_LENGTH];
  SHA_CTX sha1_context;
  SHA1_Init(&sha1_context);
  SHA1_Update(&sha1_context, password.data(), password.size());
  SHA1_Update(&sha1_context, salt.data(), salt.size());
  SHA1_Final(sha1_bytes, &sha1_context);
  to_hex(sha1_bytes, sha1);

  unsigned char sha256_bytes[SHA256_DIGEST_LENGTH];
  SHA256_CTX sha256_context;
  SHA256_Init(&sha256_context);
  SHA256_Update(&sha256_context, password.data(), password.size());
  SHA256_Update(&sha256_context, salt.data(), salt.size());
  SHA256_Final(sha256_bytes, &sha256_context);
  to_hex(sha256_bytes, sha256);
}

}  // namespace runnel::datagen
