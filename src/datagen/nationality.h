// The 21 nationalities of randomuser.me API 1.4 and what makes each its own:
// titles, word lists, postcode, phone and cell formats, national id, the
// country's coordinates and time zones.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "datagen/national_ids.h"
#include "datagen/random_source.h"
#include "datagen/random_user.h"
#include "datagen/word_lists.h"

namespace runnel::datagen {

struct Timezone {
  std::string_view offset;       // "+5:30", "0:00"
  std::string_view description;  // "Bombay, Calcutta, Madras, New Delhi"
};

struct Nationality {
  std::string_view code;     // "GB"
  std::string_view country;  // "United Kingdom"
  std::string_view male_title;
  std::span<const std::string_view> female_titles;
  struct Area {
    double latitude_min, latitude_max, longitude_min, longitude_max;
  } area;
  std::span<const Timezone> timezones;
  void (*postcode)(RandomSource&, Postcode&);
  std::string_view phone;  // RandomSource::append_pattern patterns
  std::string_view cell;
  std::string_view id_name;  // empty with id_value null, as randomuser gives IR, NZ, TR, UA
  void (*id_value)(RandomSource&, const IdSubject&, std::string&);  // nullptr: JSON null
  const NationalityWordLists* words;
};

// All nationalities, ordered by code.
std::span<const Nationality> all_nationalities();

// By code, case-insensitive ("fr" or "FR"); nullptr when unknown.
const Nationality* find_nationality(std::string_view code);

}  // namespace runnel::datagen
