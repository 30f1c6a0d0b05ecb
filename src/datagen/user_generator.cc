#include "datagen/user_generator.h"

#include <openssl/evp.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cstring>
#include <random>
#include <stdexcept>

#include "datagen/decimal_text.h"

namespace runnel::datagen {
namespace {

using std::chrono::days;
using std::chrono::milliseconds;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr std::string_view kAlphanumeric =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890";
constexpr std::string_view kPictureBase = "https://randomuser.me/api/portraits/";

constexpr std::int64_t epoch_ms(std::chrono::year_month_day date) {
  return std::chrono::duration_cast<milliseconds>(sys_days(date).time_since_epoch()).count();
}
using namespace std::chrono_literals;
// Birth dates and registrations are drawn from fixed windows, not from the
// current date, so a seed's users stay the same over the years.
constexpr std::int64_t kBornFrom = epoch_ms(1945y / 1 / 1);
constexpr std::int64_t kBornUntil = epoch_ms(2005y / 12 / 31);
constexpr std::int64_t kRegisteredFrom = epoch_ms(2002y / 1 / 1);
constexpr std::int64_t kRegisteredUntil = epoch_ms(2024y / 12 / 31);
constexpr std::int64_t kEighteenYearsMs = 18LL * 36525 * 864'000;  // 18 * 365.25 days

// The engine's seed: the first eight bytes (little-endian) of
// SHA-256("<seed>\n<page>"), the same on every platform.
std::uint64_t seed_state(const std::string& seed, std::int64_t page) {
  const std::string material = seed + "\n" + std::to_string(page);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(material.data(), material.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  std::uint64_t state = 0;
  for (int i = 7; i >= 0; --i) state = state << 8 | digest[i];
  return state;
}

void append_padded(std::string& out, std::int64_t value, int width) {
  char digits[20];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  const auto length = static_cast<int>(end - digits);
  if (length < width) out.append(static_cast<std::size_t>(width - length), '0');
  out.append(digits, end);
}

// "00", "01", ... "99", one pair per number.
constexpr auto kTwoDigits = [] {
  std::array<char, 200> pairs{};
  for (int i = 0; i < 100; ++i) {
    pairs[2 * i] = static_cast<char>('0' + i / 10);
    pairs[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return pairs;
}();

// "1992-03-08T15:13:16.688Z"
CivilDate format_iso_time(std::int64_t ms, std::string& out) {
  const auto time = sys_days() + milliseconds(ms);
  const auto day = std::chrono::floor<days>(time);
  const year_month_day date(day);
  const auto in_day = milliseconds(time - day).count();
  const CivilDate civil{static_cast<int>(date.year()),
                        static_cast<int>(static_cast<unsigned>(date.month())),
                        static_cast<int>(static_cast<unsigned>(date.day()))};
  char text[] = "0000-00-00T00:00:00.000Z";
  auto two_digits = [&text](int at, std::int64_t value) {  // REQUIRES: 0 <= value < 100
    std::memcpy(text + at, &kTwoDigits[2 * value], 2);
  };
  two_digits(0, civil.year / 100);  // the windows' years have four digits
  two_digits(2, civil.year % 100);
  two_digits(5, civil.month);
  two_digits(8, civil.day);
  two_digits(11, in_day / 3'600'000);
  two_digits(14, in_day / 60'000 % 60);
  two_digits(17, in_day / 1000 % 60);
  text[20] = static_cast<char>('0' + in_day % 1000 / 100);
  two_digits(21, in_day % 100);
  out.assign(text, sizeof text - 1);
  return civil;
}

int full_years(const CivilDate& from, sys_days today) {
  const year_month_day now(today);
  const int month = static_cast<int>(static_cast<unsigned>(now.month()));
  const int day = static_cast<int>(static_cast<unsigned>(now.day()));
  int years = static_cast<int>(now.year()) - from.year;
  if (month < from.month || (month == from.month && day < from.day)) --years;
  return years;
}

void format_uuid_v4(RandomSource& random, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  unsigned char bytes[16];
  const std::uint64_t high = random.next(), low = random.next();
  for (int i = 0; i < 8; ++i) {  // little-endian on every platform
    bytes[i] = static_cast<unsigned char>(high >> (8 * i));
    bytes[8 + i] = static_cast<unsigned char>(low >> (8 * i));
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char text[36];
  char* to = text;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *to++ = '-';
    *to++ = kHex[bytes[i] >> 4];
    *to++ = kHex[bytes[i] & 0xf];
  }
  out.assign(text, sizeof text);
}

// first.last@example.com from the names' ASCII spellings, in lower case and
// without spaces.
void format_email(std::string_view first, std::string_view last, std::string& out) {
  static constexpr std::string_view kDomain = "@example.com";
  out.resize(first.size() + 1 + last.size() + kDomain.size());  // the longest it can be
  char* to = out.data();
  auto put_name = [&to](std::string_view ascii) {
    for (char c : ascii) {
      if (c == ' ') continue;
      *to++ = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  };
  put_name(first);
  *to++ = '.';
  put_name(last);
  std::memcpy(to, kDomain.data(), kDomain.size());
  to += kDomain.size();
  out.resize(static_cast<std::size_t>(to - out.data()));
}

}  // namespace

std::string random_seed() {
  static constexpr std::string_view kHexDigits = "abcdef1234567890";
  std::random_device device;
  RandomSource random((static_cast<std::uint64_t>(device()) << 32) | device());
  std::string seed;
  random.append_from(seed, kHexDigits, 16);
  return seed;
}

UserGenerator::UserGenerator(GeneratorOptions options) : random_(0) { restart(std::move(options)); }

void UserGenerator::restart(GeneratorOptions options) {
  options_ = std::move(options);
  if (options_.seed.empty()) options_.seed = random_seed();
  random_ = RandomSource(seed_state(options_.seed, options_.page));
}

void UserGenerator::next(RandomUser& user) {
  const auto nationalities = options_.nationalities.empty()
                                 ? std::span<const Nationality* const>()
                                 : std::span<const Nationality* const>(options_.nationalities);
  const Nationality& nationality =
      nationalities.empty() ? all_nationalities()[random_.below(all_nationalities().size())]
                            : *nationalities[random_.below(nationalities.size())];

  user.gender =
      options_.gender ? *options_.gender : (random_.coin() ? Gender::kMale : Gender::kFemale);
  const bool male = user.gender == Gender::kMale;
  user.name.title = male ? nationality.male_title : random_.pick(nationality.female_titles);
  const Name first = pick_name(nationality, male ? kMaleFirst : kFemaleFirst);
  const Name last = pick_name(nationality, kLast);
  user.name.first = first.text;
  user.name.last = last.text;

  fill_location(nationality, user);

  format_email(first.ascii, last.ascii, user.email);

  fill_login(user);

  CivilDate birth;
  fill_dates(user, birth);

  user.phone.clear();
  random_.append_pattern(user.phone, nationality.phone);
  user.cell.clear();
  random_.append_pattern(user.cell, nationality.cell);

  user.id.name = nationality.id_name;
  if (nationality.id_value) {
    const auto last_ascii = last.ascii;
    const char initial =
        !last_ascii.empty() && std::isalpha(static_cast<unsigned char>(last_ascii[0]))
            ? static_cast<char>(std::toupper(static_cast<unsigned char>(last_ascii[0])))
            : 'A';
    const IdSubject subject{user.gender, birth, std::string_view(&initial, 1)};
    if (!user.id.value) user.id.value.emplace();
    user.id.value->clear();
    nationality.id_value(random_, subject, *user.id.value);
  } else {
    user.id.value.reset();
  }

  fill_picture(user);
  user.nat = nationality.code;
}

UserGenerator::Name UserGenerator::pick_name(const Nationality& nationality, NameList which) {
  const auto& words = *nationality.words;
  const WordList list = which == kMaleFirst     ? words.male_first
                        : which == kFemaleFirst ? words.female_first
                                                : words.last;
  const auto index = random_.below(list.size());
  auto& spellings = spellings_[&nationality - all_nationalities().data()][which];
  if (spellings.empty()) spellings.resize(list.size());
  auto& ascii = spellings[index];
  if (!ascii) ascii = ascii_.of(list[index]);
  return {list[index], *ascii};
}

void UserGenerator::fill_location(const Nationality& nationality, RandomUser& user) {
  const auto& words = *nationality.words;
  auto& location = user.location;
  location.street_number = random_.between(1, 9999);
  location.street_name = random_.pick(words.streets);
  location.city = random_.pick(words.cities);
  location.state = random_.pick(words.states);
  location.country = nationality.country;
  nationality.postcode(random_, location.postcode);
  const auto& area = nationality.area;
  format_four_decimals(random_.uniform(area.latitude_min, area.latitude_max), location.latitude);
  format_four_decimals(random_.uniform(area.longitude_min, area.longitude_max), location.longitude);
  const auto& timezone = random_.pick(nationality.timezones);
  location.timezone_offset = timezone.offset;
  location.timezone_description = timezone.description;
}

void UserGenerator::fill_login(RandomUser& user) {
  auto& login = user.login;
  format_uuid_v4(random_, login.uuid);
  const auto& common = common_word_lists();
  login.username = random_.pick(common.username_adjectives);
  login.username += random_.pick(common.username_animals);
  append_padded(login.username, random_.between(100, 999), 3);

  login.password.clear();
  if (options_.password) {
    const auto& policy = *options_.password;
    const auto length = random_.between(policy.min_length, policy.max_length);
    random_.append_from(login.password, policy.alphabet, static_cast<int>(length));
  } else {
    login.password = random_.pick(common.passwords);
  }
  login.salt.clear();
  random_.append_from(login.salt, kAlphanumeric, 8);
  if (options_.login_hashes) {
    hasher_.hash(login.password, login.salt, login.md5, login.sha1, login.sha256);
  } else {
    login.md5.clear();
    login.sha1.clear();
    login.sha256.clear();
  }
}

void UserGenerator::fill_dates(RandomUser& user, CivilDate& birth) {
  const auto born = random_.between(kBornFrom, kBornUntil);
  birth = format_iso_time(born, user.dob.date);
  user.dob.age = full_years(birth, options_.today);

  // Registered as an adult, within the registration window.
  const auto registered =
      random_.between(std::max(kRegisteredFrom, born + kEighteenYearsMs), kRegisteredUntil);
  user.registered.age =
      full_years(format_iso_time(registered, user.registered.date), options_.today);
}

void UserGenerator::fill_picture(RandomUser& user) {
  const bool male = user.gender == Gender::kMale;
  const auto number = random_.between(0, male ? 99 : 96);
  const std::string_view folder = male ? "men/" : "women/";
  // kPictureBase + size + folder + number + ".jpg", assembled in a buffer.
  auto url = [&](std::string& out, std::string_view size) {
    char text[kPictureBase.size() + 32];
    char* to = text;
    for (std::string_view part : {kPictureBase, size, folder}) {
      std::memcpy(to, part.data(), part.size());
      to += part.size();
    }
    to = std::to_chars(to, to + 2, number).ptr;
    std::memcpy(to, ".jpg", 4);
    out.assign(text, to + 4);
  };
  url(user.picture.large, "");
  url(user.picture.medium, "med/");
  url(user.picture.thumbnail, "thumb/");
}

}  // namespace runnel::datagen
