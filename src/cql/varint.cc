#include "cql/varint.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace runnel::cql {
namespace {

// A sign and a magnitude in base 2^32 limbs, least significant first,
// without leading zero limbs (zero has no limbs and is never negative).
struct BigInteger {
  bool negative = false;
  std::vector<std::uint32_t> limbs;

  bool is_zero() const { return limbs.empty(); }

  void trim() {
    while (!limbs.empty() && limbs.back() == 0) limbs.pop_back();
    if (limbs.empty()) negative = false;
  }

  void multiply_add(std::uint32_t factor, std::uint32_t addend) {
    std::uint64_t carry = addend;
    for (auto& limb : limbs) {
      std::uint64_t product = static_cast<std::uint64_t>(limb) * factor + carry;
      limb = static_cast<std::uint32_t>(product);
      carry = product >> 32;
    }
    if (carry != 0) limbs.push_back(static_cast<std::uint32_t>(carry));
  }

  // Divides the magnitude by `divisor` and returns the remainder.
  std::uint32_t divide(std::uint32_t divisor) {
    std::uint64_t remainder = 0;
    for (auto it = limbs.rbegin(); it != limbs.rend(); ++it) {
      std::uint64_t current = (remainder << 32) | *it;
      *it = static_cast<std::uint32_t>(current / divisor);
      remainder = current % divisor;
    }
    trim();
    return static_cast<std::uint32_t>(remainder);
  }
};

int compare_magnitude(const BigInteger& a, const BigInteger& b) {
  if (a.limbs.size() != b.limbs.size()) return a.limbs.size() < b.limbs.size() ? -1 : 1;
  for (std::size_t i = a.limbs.size(); i-- > 0;) {
    if (a.limbs[i] != b.limbs[i]) return a.limbs[i] < b.limbs[i] ? -1 : 1;
  }
  return 0;
}

int compare_big(const BigInteger& a, const BigInteger& b) {
  if (a.negative != b.negative) return a.negative ? -1 : 1;
  int magnitude = compare_magnitude(a, b);
  return a.negative ? -magnitude : magnitude;
}

// Big-endian bytes of the magnitude, at least one byte.
std::string magnitude_bytes(const BigInteger& value) {
  std::string bytes;
  for (auto limb : value.limbs) {
    for (int shift = 0; shift < 32; shift += 8) bytes.push_back(static_cast<char>(limb >> shift));
  }
  while (bytes.size() > 1 && bytes.back() == 0) bytes.pop_back();
  if (bytes.empty()) bytes.push_back(0);
  std::reverse(bytes.begin(), bytes.end());
  return bytes;
}

BigInteger from_magnitude_bytes(std::string_view bytes) {
  BigInteger value;
  for (unsigned char byte : bytes) value.multiply_add(256, byte);
  value.trim();
  return value;
}

void subtract_one(BigInteger& value) {  // REQUIRES: magnitude > 0
  for (auto& limb : value.limbs) {
    if (limb-- != 0) break;
  }
  bool negative = value.negative;
  value.trim();
  value.negative = negative && !value.is_zero();
}

std::string to_twos_complement(const BigInteger& value) {
  if (!value.negative) {
    std::string bytes = magnitude_bytes(value);
    if (static_cast<unsigned char>(bytes[0]) & 0x80) bytes.insert(bytes.begin(), '\0');
    return bytes;
  }
  BigInteger less = value;
  subtract_one(less);
  std::string bytes = magnitude_bytes(less);
  for (auto& byte : bytes) byte = static_cast<char>(~byte);
  if (!(static_cast<unsigned char>(bytes[0]) & 0x80)) bytes.insert(bytes.begin(), '\xff');
  return bytes;
}

BigInteger from_twos_complement(std::string_view bytes) {
  if (bytes.empty() || !(static_cast<unsigned char>(bytes[0]) & 0x80)) {
    return from_magnitude_bytes(bytes);
  }
  std::string inverted(bytes);
  for (auto& byte : inverted) byte = static_cast<char>(~byte);
  BigInteger value = from_magnitude_bytes(inverted);
  value.multiply_add(1, 1);
  value.negative = true;
  return value;
}

std::string to_decimal_text(BigInteger value) {
  if (value.is_zero()) return "0";
  bool negative = value.negative;
  std::string digits;
  while (!value.is_zero()) {
    std::uint32_t chunk = value.divide(1000000000);
    for (int i = 0; i < 9; ++i) {
      digits.push_back(static_cast<char>('0' + chunk % 10));
      chunk /= 10;
    }
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (negative) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

// Parses [+-]digits; an error for anything else.
Result<BigInteger> parse_integer(std::string_view text) {
  BigInteger value;
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return invalid_argument("not an integer");
  for (char c : text) {
    if (c < '0' || c > '9') return invalid_argument("not an integer");
    value.multiply_add(10, static_cast<std::uint32_t>(c - '0'));
  }
  value.trim();
  value.negative = negative && !value.is_zero();
  return value;
}

std::int32_t read_scale(std::string_view bytes) {
  std::uint32_t scale = 0;
  for (int i = 0; i < 4; ++i) scale = (scale << 8) | static_cast<unsigned char>(bytes[i]);
  return static_cast<std::int32_t>(scale);
}

std::string write_scale(std::int32_t scale) {
  std::string bytes(4, '\0');
  auto value = static_cast<std::uint32_t>(scale);
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(value >> (24 - 8 * i));
  return bytes;
}

}  // namespace

Result<std::string> encode_varint(std::string_view decimal_text) {
  auto value = parse_integer(decimal_text);
  if (!value)
    return invalid_argument("Unable to make a varint from '" + std::string(decimal_text) + "'");
  return to_twos_complement(*value);
}

std::string format_varint(std::string_view bytes) {
  return to_decimal_text(from_twos_complement(bytes));
}

int compare_varint(std::string_view a, std::string_view b) {
  return compare_big(from_twos_complement(a), from_twos_complement(b));
}

Result<std::string> encode_decimal(std::string_view decimal_text) {
  auto error =
      invalid_argument("Unable to make a decimal from '" + std::string(decimal_text) + "'");
  std::string_view mantissa = decimal_text;
  std::int64_t exponent = 0;
  auto e = mantissa.find_first_of("eE");
  if (e != std::string_view::npos) {
    auto parsed = parse_integer(mantissa.substr(e + 1));
    if (!parsed || parsed->limbs.size() > 1) return error;
    exponent = parsed->is_zero() ? 0 : static_cast<std::int64_t>(parsed->limbs[0]);
    if (parsed->negative) exponent = -exponent;
    mantissa = mantissa.substr(0, e);
  }
  std::string digits;
  std::int64_t scale = 0;
  auto dot = mantissa.find('.');
  if (dot != std::string_view::npos) {
    digits = std::string(mantissa.substr(0, dot)) + std::string(mantissa.substr(dot + 1));
    scale = static_cast<std::int64_t>(mantissa.size() - dot - 1);
    if (mantissa.substr(dot + 1).find_first_of("+-") != std::string_view::npos) return error;
  } else {
    digits = std::string(mantissa);
  }
  if (digits == "-" || digits == "+" || digits.empty()) return error;
  auto unscaled = parse_integer(digits);
  if (!unscaled) return error;
  scale -= exponent;
  if (scale > INT32_MAX || scale < INT32_MIN) return error;
  return write_scale(static_cast<std::int32_t>(scale)) + to_twos_complement(*unscaled);
}

std::string format_decimal(std::string_view bytes) {
  std::int32_t scale = read_scale(bytes);
  std::string digits = format_varint(bytes.substr(4));
  bool negative = digits[0] == '-';
  if (negative) digits.erase(0, 1);
  if (scale <= 0) {
    if (digits != "0")
      digits.append(static_cast<std::size_t>(-static_cast<std::int64_t>(scale)), '0');
  } else {
    auto places = static_cast<std::size_t>(scale);
    if (digits.size() <= places) digits.insert(0, places - digits.size() + 1, '0');
    digits.insert(digits.size() - places, ".");
  }
  return negative ? "-" + digits : digits;
}

int compare_decimal(std::string_view a, std::string_view b) {
  std::int64_t scale_a = read_scale(a);
  std::int64_t scale_b = read_scale(b);
  BigInteger value_a = from_twos_complement(a.substr(4));
  BigInteger value_b = from_twos_complement(b.substr(4));
  if (value_a.negative != value_b.negative || value_a.is_zero() || value_b.is_zero()) {
    return compare_big(value_a, value_b);
  }
  // Bring both to the larger scale; beyond 4096 digits the smaller-scale
  // value dominates anyway for any sane input.
  auto widen = [](BigInteger& value, std::int64_t places) {
    for (std::int64_t i = 0; i < std::min<std::int64_t>(places, 4096); ++i)
      value.multiply_add(10, 0);
  };
  if (scale_a < scale_b) widen(value_a, scale_b - scale_a);
  if (scale_b < scale_a) widen(value_b, scale_a - scale_b);
  return compare_big(value_a, value_b);
}

}  // namespace runnel::cql
