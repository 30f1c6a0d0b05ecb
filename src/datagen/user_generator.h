// Makes randomuser-compatible users. Every draw comes from one RandomSource
// seeded by (seed, page), so the same options give the same users, byte for
// byte, on every run and platform; only ages move, with `today`.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "datagen/login_hashes.h"
#include "datagen/nationality.h"
#include "datagen/random_source.h"
#include "datagen/random_user.h"
#include "datagen/transliteration.h"

namespace runnel::datagen {

// The API's `password` parameter: characters from `alphabet`, a length drawn
// from [min_length, max_length].
struct PasswordPolicy {
  std::string alphabet;
  int min_length = 8;
  int max_length = 64;
};

struct GeneratorOptions {
  std::string seed;  // empty: a fresh random seed of 16 hex digits
  std::int64_t page = 1;
  std::optional<Gender> gender;                   // empty: either
  std::vector<const Nationality*> nationalities;  // empty: all 21
  std::optional<PasswordPolicy> password;         // empty: a common password
  // false: login.md5, sha1 and sha256 are left empty, for consumers that do
  // not use them (ingestion's created users); every other field is the same.
  bool login_hashes = true;
  std::chrono::sys_days today = std::chrono::floor<std::chrono::days>(
      std::chrono::system_clock::now());  // ages are counted to this day
};

// A fresh seed as randomuser makes one: 16 lower-case hex digits.
std::string random_seed();

class UserGenerator {
 public:
  explicit UserGenerator(GeneratorOptions options);

  // Starts over with new options, keeping the caches that make generation
  // fast (a server reuses one generator per thread across requests).
  void restart(GeneratorOptions options);

  // The seed in use (the one given, or the one drawn).
  const std::string& seed() const { return options_.seed; }
  const GeneratorOptions& options() const { return options_; }

  // Overwrites every field of `user` with the next user. Reusing one
  // RandomUser keeps its strings' capacity, so steady-state generation does
  // not allocate.
  void next(RandomUser& user);

 private:
  void fill_location(const Nationality& nationality, RandomUser& user);
  void fill_login(RandomUser& user);
  void fill_dates(RandomUser& user, CivilDate& birth);
  void fill_picture(RandomUser& user);

  // A name drawn from one of a nationality's name lists, with its ASCII
  // spelling, which is transliterated once and then kept.
  enum NameList { kMaleFirst, kFemaleFirst, kLast, kNameLists };
  struct Name {
    std::string_view text;
    std::string_view ascii;
  };
  Name pick_name(const Nationality& nationality, NameList which);

  GeneratorOptions options_;
  RandomSource random_;
  LoginHasher hasher_;
  AsciiSpelling ascii_;
  // ASCII spellings by nationality and list (male, female, last), indexed
  // like the list; an empty optional is not yet transliterated.
  std::vector<std::optional<std::string>> spellings_[21][kNameLists];
};

}  // namespace runnel::datagen
