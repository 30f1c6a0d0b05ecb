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

// ---- Postcodes: numbers in a range where randomuser sends numbers, text
// from a pattern (RandomSource::append_pattern) where the format has letters
// or leading zeros.
template <std::int64_t kLow, std::int64_t kHigh>
void numeric_postcode(RandomSource& random, Postcode& postcode) {
  postcode.number = random.between(kLow, kHigh);
  postcode.text.clear();
}

template <const char* kPattern>
void text_postcode(RandomSource& random, Postcode& postcode) {
  postcode.number.reset();
  postcode.text.clear();
  random.append_pattern(postcode.text, kPattern);
}

constexpr char kCanadaPostcode[] =
    "{ABCEGHJKLMNPRSTVXY}#{ABCEGHJKLMNPRSTVWXYZ} #{ABCEGHJKLMNPRSTVWXYZ}#";
// Eircode: routing key and unique identifier.
constexpr char kIrelandPostcode[] =
    "{ACDEFHKNPRTVWXY}## {ACDEFHKNPRTVWXY}{ACDEFHKNPRTVWXY0123456789}"
    "{ACDEFHKNPRTVWXY0123456789}{ACDEFHKNPRTVWXY0123456789}";
constexpr char kIranPostcode[] = "{13456789}####-#####";
// F, I, O, Q, U and Y are never used, nor SA, SD and SS.
constexpr char kNetherlandsPostcode[] = "{123456789}### {ABCEGHJKLMNPRTVWXZ}{ABCEGHJKLMNPRTVWXZ}";
constexpr char kNorwayPostcode[] = "####";

// British postcodes: a real postcode area, district, sector and unit.
void gb_postcode(RandomSource& random, Postcode& postcode) {
  static constexpr std::string_view kAreas[] = {
      "AB", "B",  "BA", "BD", "BH", "BL", "BN", "BR", "BS", "CA", "CB", "CF", "CH", "CM",
      "CO", "CR", "CT", "CV", "CW", "DA", "DD", "DE", "DH", "DL", "DN", "DT", "DY", "E",
      "EC", "EH", "EN", "EX", "FK", "FY", "G",  "GL", "GU", "HA", "HD", "HG", "HP", "HR",
      "HU", "HX", "IG", "IP", "KT", "KY", "L",  "LA", "LE", "LN", "LS", "LU", "M",  "ME",
      "MK", "N",  "NE", "NG", "NN", "NP", "NR", "NW", "OL", "OX", "PE", "PH", "PL", "PO",
      "PR", "RG", "RH", "RM", "S",  "SA", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP",
      "SR", "SS", "ST", "SW", "SY", "TA", "TF", "TN", "TQ", "TR", "TS", "TW", "UB", "W",
      "WA", "WC", "WD", "WF", "WN", "WR", "WS", "WV", "YO"};
  postcode.number.reset();
  postcode.text = random.pick(std::span<const std::string_view>(kAreas));
  random.append_pattern(postcode.text,
                        "{123456789} #{ABDEFGHJLNPQRSTUWXYZ}{ABDEFGHJLNPQRSTUWXYZ}|"
                        "{123456789}# #{ABDEFGHJLNPQRSTUWXYZ}{ABDEFGHJLNPQRSTUWXYZ}");
}

constexpr std::string_view kNorthAmericanNumber = "({23456789}##) {23456789}##-####";

// ---- The table, ordered by code. Phone and cell formats follow randomuser
// where it is plausible and the country's numbering plan where it is not.
constexpr std::array<Nationality, 21> kNationalities = {{
    {"AU",
     "Australia",
     "Mr",
     kEnglishFemale,
     {-43.6, -10.7, 113.3, 153.6},
     kAustralia,
     numeric_postcode<200, 9999>,
     "0{2378}-####-####",
     "04##-###-###",
     "TFN",
     append_au_tfn,
     nullptr},
    {"BR",
     "Brazil",
     "Mr",
     kEnglishFemale,
     {-33.7, 5.2, -73.9, -34.8},
     kBrazil,
     numeric_postcode<10000, 99999>,
     "({123456789}#) {2345}###-####",
     "({123456789}#) 9####-####",
     "CPF",
     append_br_cpf,
     nullptr},
    {"CA",
     "Canada",
     "Mr",
     kEnglishFemale,
     {42.0, 69.6, -141.0, -52.7},
     kCanada,
     text_postcode<kCanadaPostcode>,
     kNorthAmericanNumber,
     kNorthAmericanNumber,
     "SIN",
     append_ca_sin,
     nullptr},
    {"CH",
     "Switzerland",
     "Monsieur",
     kFrenchFemale,
     {45.8, 47.8, 5.96, 10.49},
     kCentralEurope,
     numeric_postcode<1000, 9658>,
     "07{56789} ### ## ##",
     "07{56789} ### ## ##",
     "AVS",
     append_ch_avs,
     nullptr},
    {"DE",
     "Germany",
     "Mr",
     kEnglishFemale,
     {47.3, 55.0, 5.9, 15.0},
     kCentralEurope,
     numeric_postcode<10115, 99998>,
     "0{23456789}##-#######",
     "017#-#######",
     "SVNR",
     append_de_svnr,
     nullptr},
    {"DK",
     "Denmark",
     "Mr",
     kEnglishFemale,
     {54.6, 57.7, 8.1, 12.6},
     kCentralEurope,
     numeric_postcode<1050, 9990>,
     "{23456789}#######",
     "{23456789}#######",
     "CPR",
     append_dk_cpr,
     nullptr},
    {"ES",
     "Spain",
     "Mr",
     kEnglishFemale,
     {36.0, 43.7, -9.3, 3.3},
     kCentralEurope,
     numeric_postcode<10001, 52080>,
     "9##-###-###",
     "6##-###-###",
     "DNI",
     append_es_dni,
     nullptr},
    {"FI",
     "Finland",
     "Mr",
     kEnglishFemale,
     {59.8, 70.0, 20.6, 31.5},
     kEasternEurope,
     numeric_postcode<10100, 99999>,
     "0{235689}-###-###",
     "04#-###-##-##",
     "HETU",
     append_fi_hetu,
     nullptr},
    {"FR",
     "France",
     "M",
     kFranceFemale,
     {42.4, 51.0, -4.7, 8.2},
     kCentralEurope,
     numeric_postcode<10000, 95999>,
     "0{12345}-##-##-##-##",
     "0{67}-##-##-##-##",
     "INSEE",
     append_fr_insee,
     nullptr},
    {"GB",
     "United Kingdom",
     "Mr",
     kEnglishFemale,
     {50.0, 58.6, -7.5, 1.7},
     kWesternEurope,
     gb_postcode,
     "02# #### ####|01### ######|011# ### ####",
     "07### ######",
     "NINO",
     append_gb_nino,
     nullptr},
    {"IE",
     "Ireland",
     "Mr",
     kEnglishFemale,
     {51.5, 55.3, -10.4, -6.0},
     kWesternEurope,
     text_postcode<kIrelandPostcode>,
     "0{1234567}1-###-####",
     "08{35679}-###-####",
     "PPS",
     append_ie_pps,
     nullptr},
    {"IN",
     "India",
     "Mr",
     kEnglishFemale,
     {8.1, 35.5, 68.2, 97.4},
     kIndia,
     numeric_postcode<110001, 855126>,
     "{6789}#########",
     "{6789}#########",
     "UIDAI",
     append_in_uidai,
     nullptr},
    {"IR",
     "Iran",
     "Mr",
     kEnglishFemale,
     {25.1, 39.7, 44.1, 63.3},
     kIran,
     text_postcode<kIranPostcode>,
     "0{12345678}#-########",
     "09{0123}#-###-####",
     "",
     nullptr,
     nullptr},
    {"MX",
     "Mexico",
     "Mr",
     kEnglishFemale,
     {14.6, 32.7, -117.1, -86.8},
     kMexico,
     numeric_postcode<10000, 99999>,
     "({3456789}##) ### ####",
     "({3456789}##) ### ####",
     "NSS",
     append_mx_nss,
     nullptr},
    {"NL",
     "Netherlands",
     "Mr",
     kEnglishFemale,
     {50.8, 53.5, 3.4, 7.2},
     kCentralEurope,
     text_postcode<kNetherlandsPostcode>,
     "(0{1234578}#) #######",
     "(06) ########",
     "BSN",
     append_nl_bsn,
     nullptr},
    {"NO",
     "Norway",
     "Mr",
     kEnglishFemale,
     {58.0, 71.1, 4.7, 31.0},
     kCentralEurope,
     text_postcode<kNorwayPostcode>,
     "{235678}#######",
     "{49}#######",
     "FN",
     append_no_fn,
     nullptr},
    {"NZ",
     "New Zealand",
     "Mr",
     kEnglishFemale,
     {-46.6, -34.4, 166.5, 178.5},
     kNewZealand,
     numeric_postcode<1010, 9893>,
     "(0{34679})-###-####",
     "(02{0127})-###-####",
     "",
     nullptr,
     nullptr},
    {"RS",
     "Serbia",
     "Mr",
     kEnglishFemale,
     {42.3, 46.1, 18.9, 23.0},
     kCentralEurope,
     numeric_postcode<11000, 37999>,
     "0{123}#-####-###",
     "06#-####-###",
     "SID",
     append_rs_sid,
     nullptr},
    {"TR",
     "Turkey",
     "Mr",
     kEnglishFemale,
     {35.9, 42.1, 25.7, 44.8},
     kTurkey,
     numeric_postcode<10000, 81999>,
     "(2{1234}#)-###-####",
     "(5{0345}#)-###-####",
     "",
     nullptr,
     nullptr},
    {"UA",
     "Ukraine",
     "Mr",
     kEnglishFemale,
     {44.4, 52.3, 22.2, 40.2},
     kEasternEurope,
     numeric_postcode<10001, 99999>,
     "(0{3456}#) ###-##-##",
     "(0{69}{3678}) ###-##-##",
     "",
     nullptr,
     nullptr},
    {"US",
     "United States",
     "Mr",
     kEnglishFemale,
     {25.0, 49.0, -124.7, -67.0},
     kUnitedStates,
     numeric_postcode<10001, 99950>,
     kNorthAmericanNumber,
     kNorthAmericanNumber,
     "SSN",
     append_us_ssn,
     nullptr},
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
