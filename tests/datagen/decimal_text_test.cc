#include "datagen/decimal_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace runnel::datagen {
namespace {

std::string expected(double value) {
  char text[400];
  const auto end = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, 4).ptr;
  return std::string(text, end);
}

std::string written(double value) {
  std::string out = "stale";
  format_four_decimals(value, out);
  return out;
}

TEST(DecimalText, AgreesWithToCharsOnCoordinates) {
  // Drawn as UserGenerator draws coordinates: low + (high - low) * u.
  std::mt19937_64 engine(7);
  for (int i = 0; i < 2'000'000; ++i) {
    const double u = static_cast<double>(engine() >> 11) * 0x1.0p-53;
    const double low = i % 2 ? -180.0 : -90.0, high = -low;
    const double value = low + (high - low) * u;
    ASSERT_EQ(written(value), expected(value)) << value;
  }
}

TEST(DecimalText, RoundsTiesToEvenLikeToChars) {
  // k / 2^n: every tie at the fifth decimal (k / 32 for odd k), and values
  // just beside it.
  for (int n = 0; n <= 24; ++n) {
    for (int k = -6000; k <= 6000; ++k) {
      const double value = std::ldexp(k, -n);
      ASSERT_EQ(written(value), expected(value)) << value;
      ASSERT_EQ(written(std::nextafter(value, 1e9)), expected(std::nextafter(value, 1e9)));
      ASSERT_EQ(written(std::nextafter(value, -1e9)), expected(std::nextafter(value, -1e9)));
    }
  }
  EXPECT_EQ(written(0.03125), "0.0312");
  EXPECT_EQ(written(0.09375), "0.0938");
}

TEST(DecimalText, SignsZerosAndExtremesLikeToChars) {
  for (double value :
       {0.0, -0.0, 0.00004, -0.00004, -0.00005, 0.00005, 1e-15, -1e-15, 1e-300, -5e-324, 0x1.0p40,
        -0x1.0p40, 0x1.fffffffffffffp39, 1e300, std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_EQ(written(value), expected(value)) << value;
  }
  EXPECT_EQ(written(-0.00001), "-0.0000");
}

}  // namespace
}  // namespace runnel::datagen
