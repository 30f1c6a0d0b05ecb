#include "datagen/national_ids.h"

#include <array>
#include <cstdint>

namespace runnel::datagen {
namespace {

using Digits = std::array<int, 16>;

void draw_digits(RandomSource& random, Digits& digits, int from, int to) {
  for (int i = from; i < to; ++i) digits[i] = static_cast<int>(random.below(10));
}

// Writes the digits in `shape`: each '#' takes the next digit, anything else
// is itself ("###.###.###-##").
void append_shaped(std::string& out, const Digits& digits, std::string_view shape) {
  int next = 0;
  for (char c : shape) out += c == '#' ? static_cast<char>('0' + digits[next++]) : c;
}

void append_two(std::string& out, int value) {
  out += static_cast<char>('0' + value / 10 % 10);
  out += static_cast<char>('0' + value % 10);
}

void append_birth_ddmmyy(std::string& out, const CivilDate& birth) {
  append_two(out, birth.day);
  append_two(out, birth.month);
  append_two(out, birth.year % 100);
}

// Luhn check digit for digits[0..count).
int luhn_check_digit(const Digits& digits, int count) {
  int sum = 0;
  for (int i = count - 1, doubled = 1; i >= 0; --i, doubled ^= 1) {
    int d = digits[i] * (doubled ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return (10 - sum % 10) % 10;
}

}  // namespace

// Australian Tax File Number: nine digits, weighted sum divisible by 11.
void append_au_tfn(RandomSource& random, const IdSubject&, std::string& out) {
  static constexpr int kWeights[] = {1, 4, 3, 7, 5, 8, 6, 9, 10};
  Digits d{};
  for (;;) {
    draw_digits(random, d, 0, 8);
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += d[i] * kWeights[i];
    // 10 == -1 (mod 11), so the last digit must equal sum mod 11.
    d[8] = sum % 11;
    if (d[8] < 10 && d[0] != 0) break;
  }
  append_shaped(out, d, "#########");
}

// Brazilian CPF: nine digits and two mod-11 check digits, "123.456.789-09".
void append_br_cpf(RandomSource& random, const IdSubject&, std::string& out) {
  Digits d{};
  draw_digits(random, d, 0, 9);
  for (int check = 9; check <= 10; ++check) {
    int sum = 0;
    for (int i = 0; i < check; ++i) sum += d[i] * (check + 1 - i);
    const int remainder = sum % 11;
    d[check] = remainder < 2 ? 0 : 11 - remainder;
  }
  append_shaped(out, d, "###.###.###-##");
}

// Canadian Social Insurance Number: nine digits, Luhn-valid, first digit 1-7.
void append_ca_sin(RandomSource& random, const IdSubject&, std::string& out) {
  Digits d{};
  d[0] = static_cast<int>(random.between(1, 7));
  draw_digits(random, d, 1, 8);
  d[8] = luhn_check_digit(d, 8);
  append_shaped(out, d, "#########");
}

// Swiss AHV/AVS number: 756, nine digits and an EAN-13 check digit,
// "756.1234.5678.97".
void append_ch_avs(RandomSource& random, const IdSubject&, std::string& out) {
  Digits d{7, 5, 6};
  draw_digits(random, d, 3, 12);
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += d[i] * (i % 2 == 0 ? 1 : 3);
  d[12] = (10 - sum % 10) % 10;
  append_shaped(out, d, "###.####.####.##");
}

// German pension insurance number (Sozialversicherungsnummer):
// area, DDMMYY, initial of the birth name, serial (00-49 male, 50-99 female),
// check digit; written "12 150389 M 503".
void append_de_svnr(RandomSource& random, const IdSubject& subject, std::string& out) {
  static constexpr int kAreas[] = {
      2,  3,  4,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 28, 29,
      38, 39, 40, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61,
      62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 89};
  const int area = kAreas[random.below(std::size(kAreas))];
  const int serial = static_cast<int>(subject.gender == Gender::kMale ? random.between(0, 49)
                                                                      : random.between(50, 99));
  const char initial = subject.last_name_initial.empty() ? 'A' : subject.last_name_initial[0];
  const int letter = initial - 'A' + 1;
  const int b = subject.birth.day, m = subject.birth.month, y = subject.birth.year % 100;
  const int digits[12] = {area / 10, area % 10, b / 10,      b % 10,      m / 10,      m % 10,
                          y / 10,    y % 10,    letter / 10, letter % 10, serial / 10, serial % 10};
  static constexpr int kWeights[12] = {2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1};
  int sum = 0;
  for (int i = 0; i < 12; ++i) {
    const int product = digits[i] * kWeights[i];
    sum += product / 10 + product % 10;
  }
  append_two(out, area);
  out += ' ';
  append_birth_ddmmyy(out, subject.birth);
  out += ' ';
  out += initial;
  out += ' ';
  append_two(out, serial);
  out += static_cast<char>('0' + sum % 10);
}

// Danish CPR number: DDMMYY-SSSS, the last digit odd for men, even for women.
void append_dk_cpr(RandomSource& random, const IdSubject& subject, std::string& out) {
  append_birth_ddmmyy(out, subject.birth);
  out += '-';
  random.append_digits(out, 3);
  const int last = static_cast<int>(random.below(5)) * 2 + (subject.gender == Gender::kMale);
  out += static_cast<char>('0' + last);
}

// Spanish DNI: eight digits and the mod-23 control letter, "12345678-Z".
void append_es_dni(RandomSource& random, const IdSubject&, std::string& out) {
  static constexpr std::string_view kLetters = "TRWAGMYFPDXBNJZSQVHLCKE";
  const auto number = random.between(0, 99'999'999);
  const auto start = out.size();
  out += std::to_string(number);
  out.insert(start, 8 - (out.size() - start), '0');
  out += '-';
  out += kLetters[number % 23];
}

// Finnish personal identity code (HETU): DDMMYY, century sign, individual
// number (odd for men), mod-31 check character, "150389-123X".
void append_fi_hetu(RandomSource& random, const IdSubject& subject, std::string& out) {
  static constexpr std::string_view kCheck = "0123456789ABCDEFHJKLMNPRSTUVWXY";
  int individual = static_cast<int>(random.between(2, 899));
  if ((individual % 2 == 1) != (subject.gender == Gender::kMale)) {
    individual += individual == 899 ? -1 : 1;
  }
  const auto& b = subject.birth;
  const std::int64_t number = ((b.day * 100 + b.month) * 100 + b.year % 100) * 1000LL + individual;
  append_birth_ddmmyy(out, b);
  out += b.year < 1900 ? '+' : b.year < 2000 ? '-' : 'A';
  out += static_cast<char>('0' + individual / 100);
  append_two(out, individual % 100);
  out += kCheck[number % 31];
}

// French INSEE (NIR): sex, YY, MM, department, commune, order, then the key
// 97 - (number mod 97), written "1920375115123 45".
void append_fr_insee(RandomSource& random, const IdSubject& subject, std::string& out) {
  const int sex = subject.gender == Gender::kMale ? 1 : 2;
  int department = static_cast<int>(random.between(1, 95));
  if (department == 20) department = 21;  // Corsica's 2A/2B are not numeric
  const int commune = static_cast<int>(random.between(1, 990));
  const int order = static_cast<int>(random.between(1, 999));
  const std::int64_t number =
      ((((sex * 100LL + subject.birth.year % 100) * 100 + subject.birth.month) * 100 + department) *
           1000 +
       commune) *
          1000 +
      order;
  out += std::to_string(number);
  out += ' ';
  append_two(out, static_cast<int>(97 - number % 97));
}

// British National Insurance number: two prefix letters from the allowed
// sets, six digits, suffix A-D, "AB 12 34 56 C".
void append_gb_nino(RandomSource& random, const IdSubject&, std::string& out) {
  static constexpr std::string_view kFirst = "ABCEGHJKLMNOPRSTWXYZ";
  static constexpr std::string_view kSecond = "ABCEGHJKLMNPRSTWXYZ";
  static constexpr std::string_view kForbidden[] = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"};
  char prefix[2];
  for (bool allowed = false; !allowed;) {
    prefix[0] = kFirst[random.below(kFirst.size())];
    prefix[1] = kSecond[random.below(kSecond.size())];
    allowed = true;
    for (auto forbidden : kForbidden) {
      if (std::string_view(prefix, 2) == forbidden) allowed = false;
    }
  }
  out.append(prefix, 2);
  for (int pair = 0; pair < 3; ++pair) {
    out += ' ';
    random.append_digits(out, 2);
  }
  out += ' ';
  out += static_cast<char>('A' + random.below(4));
}

// Irish Personal Public Service number: seven digits and the mod-23 check
// letter, "1234567T".
void append_ie_pps(RandomSource& random, const IdSubject&, std::string& out) {
  static constexpr std::string_view kCheck = "WABCDEFGHIJKLMNOPQRSTUV";
  Digits d{};
  draw_digits(random, d, 0, 7);
  int sum = 0;
  for (int i = 0; i < 7; ++i) sum += d[i] * (8 - i);
  append_shaped(out, d, "#######");
  out += kCheck[sum % 23];
}

// Indian Aadhaar (UIDAI) number: twelve digits, not starting with 0 or 1,
// the last a Verhoeff check digit.
void append_in_uidai(RandomSource& random, const IdSubject&, std::string& out) {
  static constexpr int kMultiply[10][10] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
      {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
      {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
      {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
      {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
  static constexpr int kPermute[8][10] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
      {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
      {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
      {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
  static constexpr int kInverse[10] = {0, 4, 3, 2, 1, 5, 6, 7, 8, 9};
  Digits d{};
  d[0] = static_cast<int>(random.between(2, 9));
  draw_digits(random, d, 1, 11);
  int c = 0;
  for (int i = 10, position = 1; i >= 0; --i, ++position) {
    c = kMultiply[c][kPermute[position % 8][d[i]]];
  }
  d[11] = kInverse[c];
  append_shaped(out, d, "############");
}

// Mexican social security number (NSS): subdelegation, registration year,
// birth year, serial, Luhn check digit, "12 03 89 1234 5".
void append_mx_nss(RandomSource& random, const IdSubject& subject, std::string& out) {
  Digits d{};
  draw_digits(random, d, 0, 2);
  const int registered = (subject.birth.year + static_cast<int>(random.between(16, 25))) % 100;
  d[2] = registered / 10;
  d[3] = registered % 10;
  d[4] = subject.birth.year % 100 / 10;
  d[5] = subject.birth.year % 10;
  draw_digits(random, d, 6, 10);
  d[10] = luhn_check_digit(d, 10);
  append_shaped(out, d, "## ## ## #### #");
}

// Dutch citizen service number (BSN): nine digits passing the eleven test
// (9*d1 + 8*d2 + ... + 2*d8 - d9 divisible by 11).
void append_nl_bsn(RandomSource& random, const IdSubject&, std::string& out) {
  Digits d{};
  for (;;) {
    d[0] = static_cast<int>(random.between(1, 9));
    draw_digits(random, d, 1, 8);
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += d[i] * (9 - i);
    d[8] = sum % 11;
    if (d[8] < 10) break;
  }
  append_shaped(out, d, "#########");
}

// Norwegian national identity number (fødselsnummer): DDMMYY, individual
// number by century (odd third digit for men), two mod-11 check digits.
void append_no_fn(RandomSource& random, const IdSubject& subject, std::string& out) {
  static constexpr int kFirstWeights[9] = {3, 7, 6, 1, 8, 9, 4, 5, 2};
  static constexpr int kSecondWeights[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
  const auto& b = subject.birth;
  const int low = b.year >= 2000 ? 500 : 0;
  const int high = b.year >= 2000 ? 999 : 499;
  for (;;) {
    int individual = static_cast<int>(random.between(low, high));
    if ((individual % 2 == 1) != (subject.gender == Gender::kMale)) {
      individual += individual == high ? -1 : 1;
    }
    const int digits[9] = {b.day / 10,       b.day % 10,           b.month / 10,
                           b.month % 10,     b.year % 100 / 10,    b.year % 10,
                           individual / 100, individual / 10 % 10, individual % 10};
    int sum = 0;
    for (int i = 0; i < 9; ++i) sum += digits[i] * kFirstWeights[i];
    const int k1 = (11 - sum % 11) % 11;
    if (k1 == 10) continue;
    sum = 0;
    for (int i = 0; i < 9; ++i) sum += digits[i] * kSecondWeights[i];
    sum += k1 * kSecondWeights[9];
    const int k2 = (11 - sum % 11) % 11;
    if (k2 == 10) continue;
    for (int digit : digits) out += static_cast<char>('0' + digit);
    out += static_cast<char>('0' + k1);
    out += static_cast<char>('0' + k2);
    return;
  }
}

// Serbian id as randomuser gives it ("SID"): nine digits.
void append_rs_sid(RandomSource& random, const IdSubject&, std::string& out) {
  random.append_digits(out, 9);
}

// US Social Security number: area 001-899 except 666, group 01-99, serial
// 0001-9999, "123-45-6789".
void append_us_ssn(RandomSource& random, const IdSubject&, std::string& out) {
  int area = static_cast<int>(random.between(1, 898));
  if (area >= 666) ++area;
  const int group = static_cast<int>(random.between(1, 99));
  const int serial = static_cast<int>(random.between(1, 9999));
  out += static_cast<char>('0' + area / 100);
  append_two(out, area % 100);
  out += '-';
  append_two(out, group);
  out += '-';
  append_two(out, serial / 100);
  append_two(out, serial % 100);
}

}  // namespace runnel::datagen
