#include "datagen/word_lists.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "datagen/nationality.h"

namespace runnel::datagen {
namespace {

// Valid UTF-8, no control characters, no characters that would need quoting
// in CSV, no surrounding spaces.
bool is_clean_entry(std::string_view entry) {
  if (entry.empty() || entry.front() == ' ' || entry.back() == ' ') return false;
  for (std::size_t i = 0; i < entry.size();) {
    const auto c = static_cast<unsigned char>(entry[i]);
    int length = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xe  ? 3
                 : (c >> 3) == 0x1e ? 4
                                    : 0;
    if (length == 0 || i + length > entry.size()) return false;
    for (int k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(entry[i + k]) & 0xc0) != 0x80) return false;
    }
    if (length == 1 && (c < 0x20 || c == ',' || c == '"' || c == '\\')) return false;
    i += length;
  }
  return true;
}

void expect_list(WordList list, std::size_t minimum, const std::string& what) {
  EXPECT_GE(list.size(), minimum) << what;
  std::set<std::string_view> seen;
  for (auto entry : list) {
    EXPECT_TRUE(is_clean_entry(entry)) << what << ": '" << entry << "'";
    EXPECT_TRUE(seen.insert(entry).second) << what << ": duplicate '" << entry << "'";
  }
}

TEST(WordLists, EveryNationalityHasLargeCleanLists) {
  ASSERT_EQ(all_nationalities().size(), 21u);
  for (const auto& nationality : all_nationalities()) {
    const std::string code(nationality.code);
    ASSERT_NE(nationality.words, nullptr) << code;
    const auto& words = *nationality.words;
    expect_list(words.male_first, 120, code + " male_first");
    expect_list(words.female_first, 120, code + " female_first");
    expect_list(words.last, 120, code + " last");
    expect_list(words.streets, 120, code + " streets");
    expect_list(words.cities, 120, code + " cities");
    expect_list(words.states, 5, code + " states");
  }
}

TEST(WordLists, StateCountsMatchTheCountries) {
  const std::pair<const char*, std::size_t> expected[] = {
      {"AU", 8},  {"BR", 27}, {"CA", 13}, {"CH", 26}, {"DE", 16}, {"MX", 32}, {"NL", 12},
      {"NZ", 16}, {"TR", 81}, {"US", 50}, {"IE", 26}, {"IN", 36}, {"IR", 31}};
  for (const auto& [code, count] : expected) {
    EXPECT_EQ(find_nationality(code)->words->states.size(), count) << code;
  }
}

TEST(WordLists, CommonListsForUsernamesAndPasswords) {
  const auto& common = common_word_lists();
  expect_list(common.username_adjectives, 100, "adjectives");
  expect_list(common.username_animals, 100, "animals");
  expect_list(common.passwords, 300, "passwords");
}

}  // namespace
}  // namespace runnel::datagen
