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

// The digest of password+salt in hex, by one of the low-level hash
// functions (their Init/Update/Final cannot fail for in-memory input, so
// their return values carry nothing to check).
template <typename Context, std::size_t kLength>
void hex_digest(int (*init)(Context*), int (*update)(Context*, const void*, std::size_t),
                int (*final)(unsigned char*, Context*), std::string_view password,
                std::string_view salt, std::string& hex) {
  unsigned char bytes[kLength];
  Context context;
  init(&context);
  update(&context, password.data(), password.size());
  update(&context, salt.data(), salt.size());
  final(bytes, &context);
  to_hex(bytes, hex);
}

}  // namespace

void LoginHasher::hash(std::string_view password, std::string_view salt, std::string& md5,
                       std::string& sha1, std::string& sha256) const {
  hex_digest<MD5_CTX, MD5_DIGEST_LENGTH>(MD5_Init, MD5_Update, MD5_Final, password, salt, md5);
  hex_digest<SHA_CTX, SHA_DIGEST_LENGTH>(SHA1_Init, SHA1_Update, SHA1_Final, password, salt, sha1);
  hex_digest<SHA256_CTX, SHA256_DIGEST_LENGTH>(SHA256_Init, SHA256_Update, SHA256_Final, password,
                                               salt, sha256);
}

}  // namespace runnel::datagen
