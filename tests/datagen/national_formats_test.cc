// Each nationality's users, checked against the country's real formats: the
// patterns of postcodes, phones and cells, and national ids that pass their
// country's check-digit rules. The validators here are written independently
// of the generator's code.
#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "datagen/nationality.h"
#include "datagen/user_generator.h"

namespace runnel::datagen {
namespace {

std::vector<int> digits_of(std::string_view text) {
  std::vector<int> digits;
  for (char c : text) {
    if (c >= '0' && c <= '9') digits.push_back(c - '0');
  }
  return digits;
}

bool luhn_valid(const std::vector<int>& digits) {
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    int d = digits[digits.size() - 1 - i];
    if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 == 0;
}

// "1992-03-08T..." -> "080392"
std::string ddmmyy(const RandomUser& user) {
  const auto& date = user.dob.date;
  return date.substr(8, 2) + date.substr(5, 2) + date.substr(2, 2);
}

struct Expectation {
  std::string code;
  std::string phone, cell;  // regular expressions
  std::function<bool(const Postcode&)> postcode;
  std::string id_name;  // "" for a null id
  std::function<bool(const RandomUser&, const std::string&)> id;
};

void PrintTo(const Expectation& expectation, std::ostream* out) { *out << expectation.code; }

std::function<bool(const Postcode&)> number_between(std::int64_t low, std::int64_t high) {
  return [=](const Postcode& p) { return p.number && *p.number >= low && *p.number <= high; };
}
std::function<bool(const Postcode&)> text_matching(const std::string& pattern) {
  return [re = std::regex(pattern)](const Postcode& p) {
    return !p.number && std::regex_match(p.text, re);
  };
}

std::vector<Expectation> expectations() {
  using U = const RandomUser&;
  using S = const std::string&;
  return {
      {"AU", R"(0[2378]-\d{4}-\d{4})", R"(04\d{2}-\d{3}-\d{3})", number_between(200, 9999), "TFN",
       [](U, S id) {
         static const int w[] = {1, 4, 3, 7, 5, 8, 6, 9, 10};
         auto d = digits_of(id);
         int sum = 0;
         for (int i = 0; i < 9; ++i) sum += d[i] * w[i];
         return id.size() == 9 && sum % 11 == 0;
       }},
      {"BR", R"(\(\d{2}\) [2-5]\d{3}-\d{4})", R"(\(\d{2}\) 9\d{4}-\d{4})",
       number_between(10000, 99999), "CPF",
       [](U, S id) {
         if (!std::regex_match(id, std::regex(R"(\d{3}\.\d{3}\.\d{3}-\d{2})"))) return false;
         auto d = digits_of(id);
         for (int n = 9; n <= 10; ++n) {
           int sum = 0;
           for (int i = 0; i < n; ++i) sum += d[i] * (n + 1 - i);
           int check = (sum * 10) % 11 % 10;
           if (check != d[n]) return false;
         }
         return true;
       }},
      {"CA", R"(\([2-9]\d{2}\) [2-9]\d{2}-\d{4})", R"(\([2-9]\d{2}\) [2-9]\d{2}-\d{4})",
       text_matching(R"([ABCEGHJ-NPRSTVXY]\d[A-Z] \d[A-Z]\d)"), "SIN",
       [](U, S id) {
         return std::regex_match(id, std::regex(R"([1-7]\d{8})")) && luhn_valid(digits_of(id));
       }},
      {"CH", R"(07[5-9] \d{3} \d{2} \d{2})", R"(07[5-9] \d{3} \d{2} \d{2})",
       number_between(1000, 9999), "AVS",
       [](U, S id) {
         if (!std::regex_match(id, std::regex(R"(756\.\d{4}\.\d{4}\.\d{2})"))) return false;
         auto d = digits_of(id);
         int sum = 0;
         for (int i = 0; i < 12; ++i) sum += d[i] * (i % 2 ? 3 : 1);
         return (sum + d[12]) % 10 == 0;
       }},
      {"DE", R"(0[2-9]\d{2}-\d{7})", R"(017\d-\d{7})", number_between(10000, 99999), "SVNR",
       [](U user, S id) {
         if (!std::regex_match(id, std::regex(R"(\d{2} \d{6} [A-Z] \d{3})"))) return false;
         if (id.substr(3, 6) != ddmmyy(user)) return false;
         const int serial = std::stoi(id.substr(12, 2));
         if ((serial < 50) != (user.gender == Gender::kMale)) return false;
         // Letter as its two-digit alphabet position, weights 2121212..., cross sums.
         std::vector<int> d = digits_of(id.substr(0, 9));
         const int letter = id[10] - 'A' + 1;
         d.push_back(letter / 10);
         d.push_back(letter % 10);
         d.push_back(serial / 10);
         d.push_back(serial % 10);
         static const int w[] = {2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1};
         int sum = 0;
         for (int i = 0; i < 12; ++i) sum += d[i] * w[i] / 10 + d[i] * w[i] % 10;
         return sum % 10 == id[14] - '0';
       }},
      {"DK", R"([2-9]\d{7})", R"([2-9]\d{7})", number_between(1000, 9999), "CPR",
       [](U user, S id) {
         return std::regex_match(id, std::regex(R"(\d{6}-\d{4})")) &&
                id.substr(0, 6) == ddmmyy(user) &&
                ((id.back() - '0') % 2 == 1) == (user.gender == Gender::kMale);
       }},
      {"ES", R"(9\d{2}-\d{3}-\d{3})", R"(6\d{2}-\d{3}-\d{3})", number_between(1000, 52999), "DNI",
       [](U, S id) {
         return std::regex_match(id, std::regex(R"(\d{8}-[A-Z])")) &&
                "TRWAGMYFPDXBNJZSQVHLCKE"[std::stol(id.substr(0, 8)) % 23] == id.back();
       }},
      {"FI", R"(0\d-\d{3}-\d{3})", R"(04\d-\d{3}-\d{2}-\d{2})", number_between(10000, 99999),
       "HETU",
       [](U user, S id) {
         if (!std::regex_match(id, std::regex(R"(\d{6}[-+A]\d{3}[0-9A-Y])"))) return false;
         if (id.substr(0, 6) != ddmmyy(user)) return false;
         const int year = std::stoi(user.dob.date.substr(0, 4));
         if (id[6] != (year >= 2000 ? 'A' : '-')) return false;
         const int individual = std::stoi(id.substr(7, 3));
         if ((individual % 2 == 1) != (user.gender == Gender::kMale)) return false;
         const long number = std::stol(id.substr(0, 6) + id.substr(7, 3));
         return "0123456789ABCDEFHJKLMNPRSTUVWXY"[number % 31] == id[10];
       }},
      {"FR", R"(0[1-5](-\d{2}){4})", R"(0[67](-\d{2}){4})", number_between(1000, 99999), "INSEE",
       [](U user, S id) {
         if (!std::regex_match(id, std::regex(R"([12]\d{12} \d{2})"))) return false;
         if ((id[0] == '1') != (user.gender == Gender::kMale)) return false;
         if (id.substr(1, 2) != user.dob.date.substr(2, 2) ||
             id.substr(3, 2) != user.dob.date.substr(5, 2))
           return false;
         return 97 - std::stoll(id.substr(0, 13)) % 97 == std::stoll(id.substr(14));
       }},
      {"GB", R"(0(2\d \d{4} \d{4}|1\d{3} \d{6}|11\d \d{3} \d{4}))", R"(07\d{3} \d{6})",
       text_matching(R"([A-Z]{1,2}\d{1,2} \d[ABD-HJLNP-UW-Z]{2})"), "NINO",
       [](U, S id) {
         if (!std::regex_match(
                 id, std::regex(R"([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] \d{2} \d{2} \d{2} [A-D])")))
           return false;
         for (const char* bad : {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}) {
           if (id.compare(0, 2, bad) == 0) return false;
         }
         return true;
       }},
      {"IE", R"(0[1-7]1-\d{3}-\d{4})", R"(08[35679]-\d{3}-\d{4})",
       text_matching(R"(([ACDEFHKNPRTVWXY]\d{2}|D6W) [ACDEFHKNPRTVWXY][ACDEFHKNPRTVWXY0-9]{3})"),
       "PPS",
       [](U, S id) {
         if (!std::regex_match(id, std::regex(R"(\d{7}[A-W])"))) return false;
         auto d = digits_of(id);
         int sum = 0;
         for (int i = 0; i < 7; ++i) sum += d[i] * (8 - i);
         return "WABCDEFGHIJKLMNOPQRSTUV"[sum % 23] == id[7];
       }},
      {"IN", R"([6-9]\d{9})", R"([6-9]\d{9})", number_between(110001, 855126), "UIDAI",
       [](U, S id) {
         static const int d[10][10] = {
             {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
             {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
             {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
             {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
             {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
         static const int p[8][10] = {
             {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
             {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
             {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
             {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
         if (!std::regex_match(id, std::regex(R"([2-9]\d{11})"))) return false;
         int c = 0;
         auto digits = digits_of(id);
         for (std::size_t i = 0; i < digits.size(); ++i)
           c = d[c][p[i % 8][digits[digits.size() - 1 - i]]];
         return c == 0;
       }},
      {"IR", R"(0\d{2}-\d{8})", R"(09\d{2}-\d{3}-\d{4})", text_matching(R"(\d{5}-\d{5})"), "",
       nullptr},
      {"MX", R"(\([3-9]\d{2}\) \d{3} \d{4})", R"(\([3-9]\d{2}\) \d{3} \d{4})",
       number_between(10000, 99999), "NSS",
       [](U, S id) {
         return std::regex_match(id, std::regex(R"(\d{2} \d{2} \d{2} \d{4} \d)")) &&
                luhn_valid(digits_of(id));
       }},
      {"NL", R"(\(0\d{2}\) \d{7})", R"(\(06\) \d{8})", text_matching(R"([1-9]\d{3} [A-Z]{2})"),
       "BSN",
       [](U, S id) {
         if (!std::regex_match(id, std::regex(R"(\d{9})"))) return false;
         auto d = digits_of(id);
         int sum = -d[8];
         for (int i = 0; i < 8; ++i) sum += d[i] * (9 - i);
         return sum % 11 == 0;
       }},
      {"NO", R"([235678]\d{7})", R"([49]\d{7})", text_matching(R"(\d{4})"), "FN",
       [](U user, S id) {
         if (!std::regex_match(id, std::regex(R"(\d{11})")) || id.substr(0, 6) != ddmmyy(user))
           return false;
         auto d = digits_of(id);
         if ((d[8] % 2 == 1) != (user.gender == Gender::kMale)) return false;
         static const int w1[] = {3, 7, 6, 1, 8, 9, 4, 5, 2, 1};
         static const int w2[] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1};
         int s1 = 0, s2 = 0;
         for (int i = 0; i < 10; ++i) s1 += d[i] * w1[i];
         for (int i = 0; i < 11; ++i) s2 += d[i] * w2[i];
         return s1 % 11 == 0 && s2 % 11 == 0;
       }},
      {"NZ", R"(\(0[34679]\)-\d{3}-\d{4})", R"(\(02[0127]\)-\d{3}-\d{4})",
       number_between(1010, 9893), "", nullptr},
      {"RS", R"(0[123]\d-\d{4}-\d{3})", R"(06\d-\d{4}-\d{3})", number_between(11000, 37999), "SID",
       [](U, S id) { return std::regex_match(id, std::regex(R"(\d{9})")); }},
      {"TR", R"(\(2[1-4]\d\)-\d{3}-\d{4})", R"(\(5[0345]\d\)-\d{3}-\d{4})",
       number_between(10000, 81999), "", nullptr},
      {"UA", R"(\(0\d{2}\) \d{3}-\d{2}-\d{2})", R"(\(0\d{2}\) \d{3}-\d{2}-\d{2})",
       number_between(10000, 99999), "", nullptr},
      {"US", R"(\([2-9]\d{2}\) [2-9]\d{2}-\d{4})", R"(\([2-9]\d{2}\) [2-9]\d{2}-\d{4})",
       number_between(10000, 99999), "SSN",
       [](U, S id) {
         return std::regex_match(id, std::regex(R"((?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)\d{4})"));
       }},
  };
}

class NationalFormats : public ::testing::TestWithParam<Expectation> {};

TEST_P(NationalFormats, UsersFollowTheCountrysFormats) {
  const auto& expect = GetParam();
  const Nationality* nationality = find_nationality(expect.code);
  ASSERT_NE(nationality, nullptr);
  GeneratorOptions options;
  options.seed = "formats-" + expect.code;
  options.nationalities = {nationality};
  UserGenerator generator(options);
  const std::regex phone(expect.phone), cell(expect.cell);
  const std::regex email(R"([a-z0-9.'_-]+@example\.com)");
  RandomUser user;
  for (int i = 0; i < 400; ++i) {
    generator.next(user);
    SCOPED_TRACE(expect.code + " user " + std::to_string(i));
    EXPECT_EQ(user.nat, expect.code);
    EXPECT_EQ(user.location.country, nationality->country);
    EXPECT_TRUE(std::regex_match(user.phone, phone)) << user.phone;
    EXPECT_TRUE(std::regex_match(user.cell, cell)) << user.cell;
    EXPECT_TRUE(expect.postcode(user.location.postcode)) << user.location.postcode.to_string();
    EXPECT_TRUE(std::regex_match(user.email, email)) << user.email;
    EXPECT_EQ(user.id.name, expect.id_name);
    if (expect.id) {
      ASSERT_TRUE(user.id.value.has_value());
      EXPECT_TRUE(expect.id(user, *user.id.value)) << *user.id.value << " born " << user.dob.date;
    } else {
      EXPECT_FALSE(user.id.value.has_value());
    }
    const double latitude = std::stod(user.location.latitude);
    const double longitude = std::stod(user.location.longitude);
    EXPECT_GE(latitude, nationality->area.latitude_min);
    EXPECT_LE(latitude, nationality->area.latitude_max);
    EXPECT_GE(longitude, nationality->area.longitude_min);
    EXPECT_LE(longitude, nationality->area.longitude_max);
    EXPECT_TRUE(
        std::regex_match(user.location.timezone_offset, std::regex(R"([+-]?\d{1,2}:\d{2})")));
  }
}

INSTANTIATE_TEST_SUITE_P(AllNationalities, NationalFormats, ::testing::ValuesIn(expectations()),
                         [](const auto& info) { return info.param.code; });

TEST(NationalFormats, CoversAllTwentyOneNationalities) {
  EXPECT_EQ(expectations().size(), all_nationalities().size());
}

}  // namespace
}  // namespace runnel::datagen
