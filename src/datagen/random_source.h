// The generator's only source of randomness: a 64-bit Mersenne Twister, whose
// output the C++ standard fixes bit for bit, with our own reductions to
// ranges (the standard distributions are not portable). The same seed gives
// the same draws on every platform, which is what makes seeded output
// byte-identical.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>

namespace runnel::datagen {

class RandomSource {
 public:
  explicit RandomSource(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t next() { return engine_(); }

  // Uniform in [0, n). REQUIRES: n > 0. Multiply-shift reduction; its bias is
  // below n / 2^64, far under anything observable for our small n.
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(engine_()) * n) >> 64);
  }

  // Uniform in [low, high]. REQUIRES: low <= high.
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low) + 1));
  }

  // Uniform in [low, high).
  double uniform(double low, double high) {
    return low + (high - low) * static_cast<double>(engine_() >> 11) * 0x1.0p-53;
  }

  // Uniform in [0, n) for small n, several per engine output: each call
  // multiplies the unused fraction of a 64-bit draw by n and takes the
  // integer part, spending at most 8 of its bits. REQUIRES: 0 < n <= 256.
  std::uint64_t small_below(std::uint64_t n) {
    if (pool_bits_ < 8) {
      pool_ = engine_();
      pool_bits_ = 64;
    }
    const auto product = static_cast<unsigned __int128>(pool_) * n;
    pool_ = static_cast<std::uint64_t>(product);
    pool_bits_ -= 8;
    return static_cast<std::uint64_t>(product >> 64);
  }

  bool coin() { return small_below(2) != 0; }

  template <typename T>
  const T& pick(std::span<const T> items) {
    return items[below(items.size())];
  }

  // Appends `count` characters drawn uniformly from `alphabet`.
  // REQUIRES: alphabet.size() <= 256.
  void append_from(std::string& out, std::string_view alphabet, int count) {
    char* to = extend(out, static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) to[i] = alphabet[small_below(alphabet.size())];
  }

  // Appends a random string shaped by `pattern`: '#' is a decimal digit,
  // "{abc}" one character of a, b or c, anything else itself; '|' separates
  // alternatives, of which one is chosen uniformly. "0{2378}-####-####"
  // gives "02-9555-1234". REQUIRES: braces are balanced.
  void append_pattern(std::string& out, std::string_view pattern) {
    if (pattern.find('|') != std::string_view::npos) {
      std::size_t alternatives = 1;
      for (char c : pattern) alternatives += c == '|';
      for (auto chosen = small_below(alternatives); chosen > 0; --chosen) {
        pattern.remove_prefix(pattern.find('|') + 1);
      }
      pattern = pattern.substr(0, pattern.find('|'));
    }
    // Every '#', "{...}" or other character gives one character, so the
    // result is at most as long as the pattern.
    char* const start = extend(out, pattern.size());
    char* to = start;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] == '#') {
        *to++ = static_cast<char>('0' + small_below(10));
      } else if (pattern[i] == '{') {
        const auto close = pattern.find('}', i);
        const auto choices = pattern.substr(i + 1, close - i - 1);
        *to++ = choices[small_below(choices.size())];
        i = close;
      } else {
        *to++ = pattern[i];
      }
    }
    out.resize(out.size() - pattern.size() + static_cast<std::size_t>(to - start));
  }

  // Appends `count` uniform decimal digits.
  void append_digits(std::string& out, int count) {
    char* to = extend(out, static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) to[i] = static_cast<char>('0' + small_below(10));
  }

 private:
  // Grows `out` by `count` characters and returns where they start; one
  // resize instead of an append per character.
  static char* extend(std::string& out, std::size_t count) {
    const std::size_t size = out.size();
    out.resize(size + count);
    return out.data() + size;
  }

  std::mt19937_64 engine_;
  std::uint64_t pool_ = 0;  // what is left of the last draw for small_below
  int pool_bits_ = 0;
};

}  // namespace runnel::datagen
