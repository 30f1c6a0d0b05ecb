#include "broker/log/crc32c.h"

#include <boost/crc.hpp>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace runnel::broker {

uint32_t crc32c_portable(std::string_view bytes) {
  boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

#if defined(__x86_64__)

bool crc32c_sse42_available() {
  static const bool available = __builtin_cpu_supports("sse4.2");
  return available;
}

__attribute__((target("sse4.2"))) uint32_t crc32c_sse42(std::string_view bytes) {
  const char* p = bytes.data();
  size_t n = bytes.size();
  uint64_t crc = 0xFFFFFFFFu;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, sizeof word);
    crc = _mm_crc32_u64(crc, word);
  }
  auto crc32 = static_cast<uint32_t>(crc);
  for (; n > 0; ++p, --n) crc32 = _mm_crc32_u8(crc32, static_cast<uint8_t>(*p));
  return crc32 ^ 0xFFFFFFFFu;
}

#else

bool crc32c_sse42_available() { return false; }
uint32_t crc32c_sse42(std::string_view bytes) { return crc32c_portable(bytes); }

#endif

uint32_t crc32c(std::string_view bytes) {
  return crc32c_sse42_available() ? crc32c_sse42(bytes) : crc32c_portable(bytes);
}

}  // namespace runnel::broker
