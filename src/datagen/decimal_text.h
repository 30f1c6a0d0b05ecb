// A double as decimal text with four digits after the point, the form of
// randomuser's coordinates ("-33.8688"), written with exact integer
// arithmetic: std::to_chars with a precision costs about five times as much.
#pragma once

#include <bit>
#include <charconv>
#include <cstdint>
#include <string>

namespace runnel::datagen {

// Overwrites `out` with what std::to_chars(fixed, 4) and printf("%.4f")
// write: the exact binary value rounded to nearest, ties to even, and a '-'
// for every negative value (-0.0 and those that round to zero included).
inline void format_four_decimals(double value, std::string& out) {
  const auto bits = std::bit_cast<std::uint64_t>(value);
  const int biased_exponent = static_cast<int>(bits >> 52 & 0x7ff);
  const std::uint64_t significand =
      (bits & ((std::uint64_t{1} << 52) - 1)) | (biased_exponent ? std::uint64_t{1} << 52 : 0);
  // |value| = significand / 2^shift. From 13 to 100: below 2^40 and not
  // below 2^-48; the rest (zeros, subnormals, huge values, infinities, NaN)
  // is rare enough for std::to_chars.
  const int shift = biased_exponent ? 1075 - biased_exponent : 1074;
  if (shift < 13 || shift > 100) {
    char digits[320];  // DBL_MAX has 309 digits before the point
    out.assign(
        digits,
        std::to_chars(digits, digits + sizeof digits, value, std::chars_format::fixed, 4).ptr);
    return;
  }
  // value * 10^4, exactly: below 2^67, and the quotient below 2^54.
  const auto scaled = static_cast<unsigned __int128>(significand) * 10'000;
  auto units = static_cast<std::uint64_t>(scaled >> shift);
  const auto one = static_cast<unsigned __int128>(1);
  const auto remainder = scaled & ((one << shift) - 1);
  const auto half = one << (shift - 1);
  if (remainder > half || (remainder == half && (units & 1))) ++units;

  char text[32];
  char* to = text;
  if (bits >> 63) *to++ = '-';
  to = std::to_chars(to, text + sizeof text, units / 10'000).ptr;
  *to++ = '.';
  auto fraction = units % 10'000;
  for (int i = 3; i >= 0; --i, fraction /= 10) to[i] = static_cast<char>('0' + fraction % 10);
  out.assign(text, to + 4);
}

}  // namespace runnel::datagen
