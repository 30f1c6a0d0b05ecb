// CRC-32C (Castagnoli), the checksum of Kafka's magic-v2 record batches.
#pragma once

#include <cstdint>
#include <string_view>

namespace runnel::broker {

// Uses the SSE4.2 crc32 instruction when the CPU has it, else a table.
uint32_t crc32c(std::string_view bytes);

// The two implementations, exposed so tests can compare them.
// REQUIRES for crc32c_sse42: crc32c_sse42_available().
bool crc32c_sse42_available();
uint32_t crc32c_sse42(std::string_view bytes);
uint32_t crc32c_portable(std::string_view bytes);

}  // namespace runnel::broker
