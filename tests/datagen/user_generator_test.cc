#include "datagen/user_generator.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <chrono>
#include <regex>
#include <set>

#include "datagen/api_request.h"
#include "datagen/user_writer.h"

namespace runnel::datagen {
namespace {

using namespace std::chrono_literals;

std::string render(GeneratorOptions options, int count) {
  UserGenerator generator(std::move(options));
  auto writer = make_user_writer(OutputFormat::kJsonLines, FieldSet::all());
  RandomUser user;
  for (int i = 0; i < count; ++i) {
    generator.next(user);
    writer->write(user);
  }
  return writer->output();
}

GeneratorOptions seeded(std::string seed, std::int64_t page = 1) {
  GeneratorOptions options;
  options.seed = std::move(seed);
  options.page = page;
  options.today = std::chrono::sys_days(2026y / 11 / 27);
  return options;
}

TEST(UserGenerator, SameSeedAndPageGiveIdenticalUsers) {
  EXPECT_EQ(render(seeded("abc"), 200), render(seeded("abc"), 200));
  EXPECT_EQ(render(seeded("abc", 7), 50), render(seeded("abc", 7), 50));
}

TEST(UserGenerator, OtherSeedOrPageGiveOtherUsers) {
  EXPECT_NE(render(seeded("abc"), 5), render(seeded("abd"), 5));
  EXPECT_NE(render(seeded("abc", 1), 5), render(seeded("abc", 2), 5));
}

TEST(UserGenerator, WithoutSeedDrawsAFreshHexSeed) {
  UserGenerator first({}), second({});
  EXPECT_TRUE(std::regex_match(first.seed(), std::regex("[0-9a-f]{16}")));
  EXPECT_NE(first.seed(), second.seed());
}

TEST(UserGenerator, RestartIsTheSameAsANewGenerator) {
  UserGenerator generator(seeded("one"));
  RandomUser user;
  generator.next(user);
  generator.restart(seeded("two"));
  std::string restarted;
  auto writer = make_user_writer(OutputFormat::kJsonLines, FieldSet::all());
  for (int i = 0; i < 3; ++i) {
    generator.next(user);
    writer->write(user);
  }
  EXPECT_EQ(writer->output(), render(seeded("two"), 3));
}

std::string hex(const unsigned char* bytes, std::size_t length) {
  std::string out;
  char pair[3];
  for (std::size_t i = 0; i < length; ++i) {
    std::snprintf(pair, sizeof pair, "%02x", bytes[i]);
    out += pair;
  }
  return out;
}

// Recomputed with OpenSSL's one-call EVP_Q_digest, not the generator's path.
std::string digest_hex(const char* algorithm, const std::string& input) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  EXPECT_EQ(EVP_Q_digest(nullptr, algorithm, nullptr, input.data(), input.size(), digest, &length),
            1);
  return hex(digest, length);
}

TEST(UserGenerator, LoginHashesArePasswordPlusSalt) {
  UserGenerator generator(seeded("hashes"));
  RandomUser user;
  for (int i = 0; i < 100; ++i) {
    generator.next(user);
    const std::string input = user.login.password + user.login.salt;
    EXPECT_EQ(user.login.md5, digest_hex("MD5", input));
    EXPECT_EQ(user.login.sha1, digest_hex("SHA1", input));
    EXPECT_EQ(user.login.sha256, digest_hex("SHA256", input));
    EXPECT_TRUE(std::regex_match(user.login.salt, std::regex("[A-Za-z0-9]{8}")));
  }
}

TEST(UserGenerator, WithoutLoginHashesOnlyTheHashesAreMissing) {
  GeneratorOptions without = seeded("hashless");
  without.login_hashes = false;
  UserGenerator hashed(seeded("hashless")), hashless(std::move(without));
  auto json = [](const RandomUser& user) {
    auto writer = make_user_writer(OutputFormat::kJsonLines, FieldSet::all());
    writer->write(user);
    return writer->output();
  };
  RandomUser full, lean;
  for (int i = 0; i < 50; ++i) {
    hashed.next(full);
    hashless.next(lean);
    EXPECT_TRUE(lean.login.md5.empty() && lean.login.sha1.empty() && lean.login.sha256.empty());
    ASSERT_EQ(full.login.sha256.size(), 64u);
    lean.login.md5 = full.login.md5;
    lean.login.sha1 = full.login.sha1;
    lean.login.sha256 = full.login.sha256;
    EXPECT_EQ(json(lean), json(full));
  }
}

TEST(UserGenerator, HashesMatchKnownVectors) {
  // Reference digests of "abc" (RFC 1321, FIPS 180): the hasher must agree.
  LoginHasher hasher;
  std::string md5, sha1, sha256;
  hasher.hash("a", "bc", md5, sha1, sha256);
  EXPECT_EQ(md5, "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int years_between(const std::string& iso, std::chrono::sys_days today) {
  const int y = std::stoi(iso.substr(0, 4)), m = std::stoi(iso.substr(5, 2)),
            d = std::stoi(iso.substr(8, 2));
  const std::chrono::year_month_day now(today);
  int years = static_cast<int>(now.year()) - y;
  if (static_cast<int>(static_cast<unsigned>(now.month())) * 100 +
          static_cast<int>(static_cast<unsigned>(now.day())) <
      m * 100 + d) {
    --years;
  }
  return years;
}

TEST(UserGenerator, DatesAreIsoWithMillisecondsAndAgesAgree) {
  const std::regex iso(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  for (auto today :
       {std::chrono::sys_days(2026y / 11 / 27), std::chrono::sys_days(2030y / 2 / 28)}) {
    GeneratorOptions options = seeded("dates");
    options.today = today;
    UserGenerator generator(options);
    RandomUser user;
    for (int i = 0; i < 500; ++i) {
      generator.next(user);
      ASSERT_TRUE(std::regex_match(user.dob.date, iso)) << user.dob.date;
      ASSERT_TRUE(std::regex_match(user.registered.date, iso)) << user.registered.date;
      EXPECT_EQ(user.dob.age, years_between(user.dob.date, today)) << user.dob.date;
      EXPECT_EQ(user.registered.age, years_between(user.registered.date, today));
      EXPECT_GE(user.dob.age, 18);
      EXPECT_LT(user.dob.date, user.registered.date) << "registered before birth";
    }
  }
}

TEST(UserGenerator, UuidsAreVersion4AndDistinct) {
  UserGenerator generator(seeded("uuids"));
  RandomUser user;
  std::set<std::string> seen;
  const std::regex v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 2000; ++i) {
    generator.next(user);
    EXPECT_TRUE(std::regex_match(user.login.uuid, v4)) << user.login.uuid;
    EXPECT_TRUE(seen.insert(user.login.uuid).second);
  }
}

TEST(UserGenerator, GenderAndNationalityFilters) {
  GeneratorOptions options = seeded("filters");
  options.gender = Gender::kFemale;
  options.nationalities = {find_nationality("fr"), find_nationality("GB")};
  UserGenerator generator(options);
  RandomUser user;
  std::set<std::string> nats;
  for (int i = 0; i < 300; ++i) {
    generator.next(user);
    EXPECT_EQ(user.gender, Gender::kFemale);
    EXPECT_NE(user.name.title, "Mr");
    EXPECT_TRUE(user.picture.large.find("/women/") != std::string::npos);
    nats.insert(user.nat);
  }
  EXPECT_EQ(nats, (std::set<std::string>{"FR", "GB"}));
}

TEST(UserGenerator, AllNationalitiesAppearWithoutAFilter) {
  UserGenerator generator(seeded("all"));
  RandomUser user;
  std::set<std::string> nats;
  for (int i = 0; i < 2000; ++i) {
    generator.next(user);
    nats.insert(user.nat);
  }
  EXPECT_EQ(nats.size(), 21u);
}

TEST(UserGenerator, PasswordPolicyControlsCharactersAndLength) {
  GeneratorOptions options = seeded("passwords");
  options.password = PasswordPolicy{"ABC123", 5, 9};
  UserGenerator generator(options);
  RandomUser user;
  std::set<std::size_t> lengths;
  for (int i = 0; i < 300; ++i) {
    generator.next(user);
    EXPECT_TRUE(std::regex_match(user.login.password, std::regex("[ABC123]{5,9}")))
        << user.login.password;
    lengths.insert(user.login.password.size());
  }
  EXPECT_EQ(lengths.size(), 5u);  // every length from 5 to 9 occurs
}

TEST(UserGenerator, EmailIsTheAsciiNameAtExampleCom) {
  GeneratorOptions options = seeded("email");
  options.nationalities = {find_nationality("IR"), find_nationality("TR"), find_nationality("DE")};
  UserGenerator generator(options);
  RandomUser user;
  for (int i = 0; i < 300; ++i) {
    generator.next(user);
    EXPECT_TRUE(
        std::regex_match(user.email, std::regex(R"([a-z0-9'._-]+\.[a-z0-9'._-]+@example\.com)")))
        << user.name.first << " " << user.name.last << " -> " << user.email;
  }
}

}  // namespace
}  // namespace runnel::datagen
