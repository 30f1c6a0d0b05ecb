#include "datagen/nationality.h"

#include <array>
#include <cctype>

namespace runnel::datagen {
namespace {

// ---- Time zones: the classic list of UTC offsets with their usual cities.
constexpr Timezone kUtcMinus10{"-10:00", "Hawaii"};
constexpr Timezone kUtcMinus9{"-9:00", "Alaska"};
constexpr Timezone kUtcMinus8{"-8:00", "Pacific Time (US & Canada)"};
constexpr Timezone kUtcMinus7{"-7:00", "Mountain Time (US & Canada)"};
constexpr Timezone kUtcMinus6{"-6:00", "Central Time (US & Canada), Mexico City"};
constexpr Timezone kUtcMinus5{"-5:00", "Eastern Time (US & Canada), Bogota, Lima"};
constexpr Timezone kUtcMinus4{"-4:00", "Atlantic Time (Canada), Caracas, La Paz"};
constexpr Timezone kUtcMinus330{"-3:30", "Newfoundland"};
constexpr Timezone kUtcMinus3{"-3:00", "Brazil, Buenos Aires, Georgetown"};
constexpr Timezone kUtc{"0:00", "Western Europe Time, London, Lisbon, Casablanca"};
constexpr Timezone kUtcPlus1{"+1:00", "Brussels, Copenhagen, Madrid, Paris"};
constexpr Timezone kUtcPlus2{"+2:00", "Kaliningrad, South Africa"};
constexpr Timezone kUtcPlus3{"+3:00", "Baghdad, Riyadh, Moscow, St. Petersburg"};
constexpr Timezone kUtcPlus330{"+3:30", "Tehran"};
constexpr Timezone kUtcPlus530{"+5:30", "Bombay, Calcutta, Madras, New Delhi"};
constexpr Timezone kUtcPlus8{"+8:00", "Beijing, Perth, Singapore, Hong Kong"};
constexpr Timezone kUtcPlus930{"+9:30", "Adelaide, Darwin"};
constexpr Timezone kUtcPlus10{"+10:00", "Eastern Australia, Guam, Vladivostok"};
constexpr Timezone kUtcPlus12{"+12:00", "Auckland, Wellington, Fiji, Kamchatka"};

constexpr Timezone kAustralia[] = {kUtcPlus8, kUtcPlus930, kUtcPlus10};
constexpr Timezone kBrazil[] = {kUtcMinus5, kUtcMinus4, kUtcMinus3};
constexpr Timezone kCanada[] = {kUtcMinus8, kUtcMinus7, kUtcMinus6,
                                kUtcMinus5, kUtcMinus4, kUtcMinus330};
constexpr Timezone kCentralEurope[] = {kUtcPlus1};
constexpr Timezone kEasternEurope[] = {kUtcPlus2};
constexpr Timezone kWesternEurope[] = {kUtc};
constexpr Timezone kIndia[] = {kUtcPlus530};
constexpr Timezone kIran[] = {kUtcPlus330};
constexpr Timezone kMexico[] = {kUtcMinus8, kUtcMinus7, kUtcMinus6, kUtcMinus5};
constexpr Timezone kNewZealand[] = {kUtcPlus12};
constexpr Timezone kTurkey[] = {kUtcPlus3};
constexpr Timezone kUnitedStates[] = {kUtcMinus10, kUtcMinus9, kUtcMinus8,
                                      kUtcMinus7,  kUtcMinus6, kUtcMinus5};

// ---- Titles.
constexpr std::string_view kEnglishFemale[] = {"Miss", "Mrs", "Ms"};
constexpr std::string_view kFrenchFemale[] = {"Mademoiselle", "Madame"};
constexpr std::string_view kFranceFemale[] = {"Mlle", "Mme"};

// ---- Format helpers.
void number_postcode(Postcode& postcode, std::int64_t value) {
  postcode.number = value;
  postcode.text.clear();
}

void text_postcode(Postcode& postcode) {
  postcode.number.reset();
  postcode.text.clear();
}

template <std::int64_t kLow, std::int64_t kHigh>
void numeric_postcode(RandomSource& random, Postcode& postcode) {
  number_postcode(postcode, random.between(kLow, kHigh));
}

void append_pick(RandomSource& random, std::string& out, std::span<const std::string_view> items) {
  out += random.pick(items);
}

constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

// ---- Per-country formats, following randomuser where it is plausible and
// the country's real numbering plan where randomuser's is not.

void au_phone(RandomSource& r, std::string& out) {
  static constexpr std::string_view kAreas[] = {"02", "03", "07", "08"};
  append_pick(r, out, kAreas);
  out += '-';
  r.append_digits(out, 4);
  out += '-';
  r.append_digits(out, 4);
}
void au_cell(RandomSource& r, std::string& out) {
  out += "04";
  r.append_digits(out, 2);
  out += '-';
  r.append_digits(out, 3);
  out += '-';
  r.append_digits(out, 3);
}

void br_phone(RandomSource& r, std::string& out) {
  out += '(';
  r.append_from(out, "123456789", 1);
  r.append_digits(out, 1);
  out += ") ";
  r.append_from(out, "2345", 1);
  r.append_digits(out, 3);
  out += '-';
  r.append_digits(out, 4);
}
void br_cell(RandomSource& r, std::string& out) {
  out += '(';
  r.append_from(out, "123456789", 1);
  r.append_digits(out, 1);
  out += ") 9";
  r.append_digits(out, 4);
  out += '-';
  r.append_digits(out, 4);
}

void north_american_number(RandomSource& r, std::string& out) {
  out += '(';
  r.append_from(out, "23456789", 1);
  r.append_digits(out, 2);
  out += ") ";
  r.append_from(out, "23456789", 1);
  r.append_digits(out, 2);
  out += '-';
  r.append_digits(out, 4);
}
void ca_postcode(RandomSource& r, Postcode& postcode) {
  static constexpr std::string_view kFirst = "ABCEGHJKLMNPRSTVXY";
  static constexpr std::string_view kOther = "ABCEGHJKLMNPRSTVWXYZ";
  text_postcode(postcode);
  auto& out = postcode.text;
  r.append_from(out, kFirst, 1);
  r.append_digits(out, 1);
  r.append_from(out, kOther, 1);
  out += ' ';
  r.append_digits(out, 1);
  r.append_from(out, kOther, 1);
  r.append_digits(out, 1);
}

void ch_number(RandomSource& r, std::string& out) {
  static constexpr std::string_view kPrefixes[] = {"075", "076", "077", "078", "079"};
  append_pick(r, out, kPrefixes);
  out += ' ';
  r.append_digits(out, 3);
  out += ' ';
  r.append_digits(out, 2);
  out += ' ';
  r.append_digits(out, 2);
}

void de_phone(RandomSource& r, std::string& out) {
  out += '0';
  r.append_from(out, "23456789", 1);
  r.append_digits(out, 2);
  out += '-';
  r.append_digits(out, 7);
}
void de_cell(RandomSource& r, std::string& out) {
  out += "017";
  r.append_digits(out, 1);
  out += '-';
  r.append_digits(out, 7);
}

void dk_number(RandomSource& r, std::string& out) {
  r.append_from(out, "23456789", 1);
  r.append_digits(out, 7);
}

void es_phone(RandomSource& r, std::string& out) {
  out += '9';
  r.append_digits(out, 2);
  out += '-';
  r.append_digits(out, 3);
  out += '-';
  r.append_digits(out, 3);
}
void es_cell(RandomSource& r, std::string& out) {
  out += '6';
  r.append_digits(out, 2);
  out += '-';
  r.append_digits(out, 3);
  out += '-';
  r.append_digits(out, 3);
}

void fi_phone(RandomSource& r, std::string& out) {
  out += '0';
  r.append_from(out, "235689", 1);
  out += '-';
  r.append_digits(out, 3);
  out += '-';
  r.append_digits(out, 3);
}
void fi_cell(RandomSource& r, std::string& out) {
  out += "04";
  r.append_digits(out, 1);
  out += '-';
  r.append_digits(out, 3);
  out += '-';
  r.append_digits(out, 2);
  out += '-';
  r.append_digits(out, 2);
}

void fr_number(std::string& out, RandomSource& r, std::string_view prefix) {
  out += prefix;
  for (int pair = 0; pair < 4; ++pair) {
    out += '-';
    r.append_digits(out, 2);
  }
}
void fr_phone(RandomSource& r, std::string& out) {
  static constexpr std::string_view kPrefixes[] = {"01", "02", "03", "04", "05"};
  fr_number(out, r, r.pick(std::span<const std::string_view>(kPrefixes)));
}
void fr_cell(RandomSource& r, std::string& out) {
  static constexpr std::string_view kPrefixes[] = {"06", "07"};
  fr_number(out, r, r.pick(std::span<const std::string_view>(kPrefixes)));
}

void gb_phone(RandomSource& r, std::string& out) {
  switch (r.below(3)) {
    case 0:  // London and other 02 numbers: 02X XXXX XXXX
      out += "02";
      r.append_digits(out, 1);
      out += ' ';
      r.append_digits(out, 4);
      out += ' ';
      r.append_digits(out, 4);
      break;
    case 1:  // four-digit area codes: 01XXX XXXXXX
      out += "01";
      r.append_digits(out, 3);
      out += ' ';
      r.append_digits(out, 6);
      break;
    default:  // large cities: 011X XXX XXXX
      out += "011";
      r.append_digits(out, 1);
      out += ' ';
      r.append_digits(out, 3);
      out += ' ';
      r.append_digits(out, 4);
  }
}
void gb_cell(RandomSource& r, std::string& out) {
  out += "07";
  r.append_digits(out, 3);
  out += ' ';
  r.append_digits(out, 6);
}
void gb_postcode(RandomSource& r, Postcode& postcode) {
  static constexpr std::string_view kAreas[] = {
      "AB", "B",  "BA", "BD", "BH", "BL", "BN", "BR", "BS", "CA", "CB", "CF", "CH", "CM", "CO",
      "CR", "CT", "CV", "CW", "DA", "DD", "DE", "DH", "DL", "DN", "DT", "DY", "E",  "EC", "EH",
      "EN", "EX", "FK", "FY", "G",  "GL", "GU", "HA", "HD", "HG", "HP", "HR", "HU", "HX", "IG",
      "IP", "KT", "KY", "L",  "LA", "LE", "LN", "LS", "LU", "M",  "ME", "MK", "N",  "NE", "NG",
      "NN", "NP", "NR", "NW", "OL", "OX", "PE", "PH", "PL", "PO", "PR", "RG", "RH", "RM", "S",
      "SA", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP", "SR", "SS", "ST", "SW", "SY", "TA",
      "TF", "TN", "TQ", "TR", "TS", "TW", "UB", "W",  "WA", "WC", "WD", "WF", "WN", "WR", "WS",
      "WV", "YO"};
  static constexpr std::string_view kInward = "ABDEFGHJLNPQRSTUWXYZ";
  text_postcode(postcode);
  auto& out = postcode.text;
  append_pick(r, out, kAreas);
  r.append_from(out, "123456789", 1);
  if (r.coin()) r.append_digits(out, 1);
  out += ' ';
  r.append_digits(out, 1);
  r.append_from(out, kInward, 2);
}

void ie_phone(RandomSource& r, std::string& out) {
  out += '0';
  r.append_from(out, "1234567", 1);
  out += "1-";
  r.append_digits(out, 3);
  out += '-';
  r.append_digits(out, 4);
}
void ie_cell(RandomSource& r, std::string& out) {
  out += "08";
  r.append_from(out, "35679", 1);
  out += '-';
  r.append_digits(out, 3);
  out += '-';
  r.append_digits(out, 4);
}
// Eircode: a routing key (letter, two digits; or D6W) and a four-character
// unique identifier.
void ie_postcode(RandomSource& r, Postcode& postcode) {
  static constexpr std::string_view kRoutingLetters = "ACDEFHKNPRTVWXY";
  static constexpr std::string_view kIdentifier = "ACDEFHKNPRTVWXY0123456789";
  text_postcode(postcode);
  auto& out = postcode.text;
  if (r.below(50) == 0) {
    out += "D6W";
  } else {
    r.append_from(out, kRoutingLetters, 1);
    r.append_digits(out, 2);
  }
  out += ' ';
  r.append_from(out, kRoutingLetters, 1);
  r.append_from(out, kIdentifier, 3);
}

void in_number(RandomSource& r, std::string& out) {
  r.append_from(out, "6789", 1);
  r.append_digits(out, 9);
}

void ir_phone(RandomSource& r, std::string& out) {
  out += '0';
  r.append_from(out, "12345678", 1);
  r.append_digits(out, 1);
  out += '-';
  r.append_digits(out, 8);
}
void ir_cell(RandomSource& r, std::string& out) {
  out += "09";
  r.append_from(out, "0123", 1);
  r.append_digits(out, 1);
  out += '-';
  r.append_digits(out, 3);
  out += '-';
  r.append_digits(out, 4);
}
void ir_postcode(RandomSource& r, Postcode& postcode) {
  text_postcode(postcode);
  r.append_from(postcode.text, "13456789", 1);
  r.append_digits(postcode.text, 4);
  postcode.text += '-';
  r.append_digits(postcode.text, 5);
}

void mx_number(RandomSource& r, std::string& out) {
  out += '(';
  r.append_from(out, "3456789", 1);
  r.append_digits(out, 2);
  out += ") ";
  r.append_digits(out, 3);
  out += ' ';
  r.append_digits(out, 4);
}

void nl_phone(RandomSource& r, std::string& out) {
  out += "(0";
  r.append_from(out, "1234578", 1);
  r.append_digits(out, 1);
  out += ") ";
  r.append_digits(out, 7);
}
void nl_cell(RandomSource& r, std::string& out) {
  out += "(06) ";
  r.append_digits(out, 8);
}
void nl_postcode(RandomSource& r, Postcode& postcode) {
  text_postcode(postcode);
  auto& out = postcode.text;
  out += std::to_string(r.between(1000, 9999));
  out += ' ';
  // SA, SD and SS are not used in Dutch postcodes; F, I, O, Q, U, Y never are.
  static constexpr std::string_view kLetters = "ABCEGHJKLMNPRTVWXZ";
  r.append_from(out, kLetters, 2);
}

void no_phone(RandomSource& r, std::string& out) {
  r.append_from(out, "235678", 1);
  r.append_digits(out, 7);
}
void no_cell(RandomSource& r, std::string& out) {
  r.append_from(out, "49", 1);
  r.append_digits(out, 7);
}
void no_postcode(RandomSource& r, Postcode& postcode) {
  text_postcode(postcode);
  const auto code = r.between(1, 9991);
  const auto text = std::to_string(code);
  postcode.text.assign(4 - text.size(), '0');
  postcode.text += text;
}

void nz_phone(RandomSource& r, std::string& out) {
  out += "(0";
  r.append_from(out, "34679", 1);
  out += ")-";
  r.append_digits(out, 3);
  out += '-';
  r.append_digits(out, 4);
}
void nz_cell(RandomSource& r, std::string& out) {
  out += "(02";
  r.append_from(out, "0127", 1);
  out += ")-";
  r.append_digits(out, 3);
  out += '-';
  r.append_digits(out, 4);
}

void rs_phone(RandomSource& r, std::string& out) {
  out += '0';
  r.append_from(out, "123", 1);
  r.append_digits(out, 1);
  out += '-';
  r.append_digits(out, 4);
  out += '-';
  r.append_digits(out, 3);
}
void rs_cell(RandomSource& r, std::string& out) {
  out += "06";
  r.append_digits(out, 1);
  out += '-';
  r.append_digits(out, 4);
  out += '-';
  r.append_digits(out, 3);
}

void tr_phone(RandomSource& r, std::string& out) {
  out += "(2";
  r.append_from(out, "1234", 1);
  r.append_digits(out, 1);
  out += ")-";
  r.append_digits(out, 3);
  out += '-';
  r.append_digits(out, 4);
}
void tr_cell(RandomSource& r, std::string& out) {
  out += "(5";
  r.append_from(out, "0345", 1);
  r.append_digits(out, 1);
  out += ")-";
  r.append_digits(out, 3);
  out += '-';
  r.append_digits(out, 4);
}

void ua_phone(RandomSource& r, std::string& out) {
  static constexpr std::string_view kAreas[] = {"044", "032", "048", "056", "057", "061", "062"};
  out += '(';
  append_pick(r, out, kAreas);
  out += ") ";
  r.append_digits(out, 3);
  out += '-';
  r.append_digits(out, 2);
  out += '-';
  r.append_digits(out, 2);
}
void ua_cell(RandomSource& r, std::string& out) {
  static constexpr std::string_view kOperators[] = {"050", "063", "066", "067", "068",
                                                    "073", "093", "095", "096", "097",
                                                    "098", "099"};
  out += '(';
  append_pick(r, out, kOperators);
  out += ") ";
  r.append_digits(out, 3);
  out += '-';
  r.append_digits(out, 2);
  out += '-';
  r.append_digits(out, 2);
}

// ---- The table, ordered by code.
constexpr std::array<Nationality, 21> kNationalities = {{
    {"AU", "Australia", "Mr", kEnglishFemale, {-43.6, -10.7, 113.3, 153.6}, kAustralia,
     numeric_postcode<200, 9999>, au_phone, au_cell, "TFN", append_au_tfn, nullptr},
    {"BR", "Brazil", "Mr", kEnglishFemale, {-33.7, 5.2, -73.9, -34.8}, kBrazil,
     numeric_postcode<10000, 99999>, br_phone, br_cell, "CPF", append_br_cpf, nullptr},
    {"CA", "Canada", "Mr", kEnglishFemale, {42.0, 69.6, -141.0, -52.7}, kCanada, ca_postcode,
     north_american_number, north_american_number, "SIN", append_ca_sin, nullptr},
    {"CH", "Switzerland", "Monsieur", kFrenchFemale, {45.8, 47.8, 5.96, 10.49}, kCentralEurope,
     numeric_postcode<1000, 9658>, ch_number, ch_number, "AVS", append_ch_avs, nullptr},
    {"DE", "Germany", "Mr", kEnglishFemale, {47.3, 55.0, 5.9, 15.0}, kCentralEurope,
     numeric_postcode<10115, 99998>, de_phone, de_cell, "SVNR", append_de_svnr, nullptr},
    {"DK", "Denmark", "Mr", kEnglishFemale, {54.6, 57.7, 8.1, 12.6}, kCentralEurope,
     numeric_postcode<1050, 9990>, dk_number, dk_number, "CPR", append_dk_cpr, nullptr},
    {"ES", "Spain", "Mr", kEnglishFemale, {36.0, 43.7, -9.3, 3.3}, kCentralEurope,
     numeric_postcode<10001, 52080>, es_phone, es_cell, "DNI", append_es_dni, nullptr},
    {"FI", "Finland", "Mr", kEnglishFemale, {59.8, 70.0, 20.6, 31.5}, kEasternEurope,
     numeric_postcode<10100, 99999>, fi_phone, fi_cell, "HETU", append_fi_hetu, nullptr},
    {"FR", "France", "M", kFranceFemale, {42.4, 51.0, -4.7, 8.2}, kCentralEurope,
     numeric_postcode<10000, 95999>, fr_phone, fr_cell, "INSEE", append_fr_insee, nullptr},
    {"GB", "United Kingdom", "Mr", kEnglishFemale, {50.0, 58.6, -7.5, 1.7}, kWesternEurope,
     gb_postcode, gb_phone, gb_cell, "NINO", append_gb_nino, nullptr},
    {"IE", "Ireland", "Mr", kEnglishFemale, {51.5, 55.3, -10.4, -6.0}, kWesternEurope,
     ie_postcode, ie_phone, ie_cell, "PPS", append_ie_pps, nullptr},
    {"IN", "India", "Mr", kEnglishFemale, {8.1, 35.5, 68.2, 97.4}, kIndia,
     numeric_postcode<110001, 855126>, in_number, in_number, "UIDAI", append_in_uidai, nullptr},
    {"IR", "Iran", "Mr", kEnglishFemale, {25.1, 39.7, 44.1, 63.3}, kIran, ir_postcode, ir_phone,
     ir_cell, "", nullptr, nullptr},
    {"MX", "Mexico", "Mr", kEnglishFemale, {14.6, 32.7, -117.1, -86.8}, kMexico,
     numeric_postcode<10000, 99999>, mx_number, mx_number, "NSS", append_mx_nss, nullptr},
    {"NL", "Netherlands", "Mr", kEnglishFemale, {50.8, 53.5, 3.4, 7.2}, kCentralEurope,
     nl_postcode, nl_phone, nl_cell, "BSN", append_nl_bsn, nullptr},
    {"NO", "Norway", "Mr", kEnglishFemale, {58.0, 71.1, 4.7, 31.0}, kCentralEurope, no_postcode,
     no_phone, no_cell, "FN", append_no_fn, nullptr},
    {"NZ", "New Zealand", "Mr", kEnglishFemale, {-46.6, -34.4, 166.5, 178.5}, kNewZealand,
     numeric_postcode<1010, 9893>, nz_phone, nz_cell, "", nullptr, nullptr},
    {"RS", "Serbia", "Mr", kEnglishFemale, {42.3, 46.1, 18.9, 23.0}, kCentralEurope,
     numeric_postcode<11000, 37999>, rs_phone, rs_cell, "SID", append_rs_sid, nullptr},
    {"TR", "Turkey", "Mr", kEnglishFemale, {35.9, 42.1, 25.7, 44.8}, kTurkey,
     numeric_postcode<10000, 81999>, tr_phone, tr_cell, "", nullptr, nullptr},
    {"UA", "Ukraine", "Mr", kEnglishFemale, {44.4, 52.3, 22.2, 40.2}, kEasternEurope,
     numeric_postcode<10001, 99999>, ua_phone, ua_cell, "", nullptr, nullptr},
    {"US", "United States", "Mr", kEnglishFemale, {25.0, 49.0, -124.7, -67.0}, kUnitedStates,
     numeric_postcode<10001, 99950>, north_american_number, north_american_number, "SSN",
     append_us_ssn, nullptr},
}};

// The table with each nationality's word lists attached; built once.
const std::array<Nationality, 21>& nationalities_with_words() {
  static const std::array<Nationality, 21> table = [] {
    auto copy = kNationalities;
    for (auto& nationality : copy) nationality.words = nationality_word_lists(nationality.code);
    return copy;
  }();
  return table;
}

}  // namespace

std::span<const Nationality> all_nationalities() { return nationalities_with_words(); }

const Nationality* find_nationality(std::string_view code) {
  if (code.size() != 2) return nullptr;
  const char upper[2] = {static_cast<char>(std::toupper(static_cast<unsigned char>(code[0]))),
                         static_cast<char>(std::toupper(static_cast<unsigned char>(code[1])))};
  for (const auto& nationality : nationalities_with_words()) {
    if (nationality.code == std::string_view(upper, 2)) return &nationality;
  }
  return nullptr;
}

}  // namespace runnel::datagen
