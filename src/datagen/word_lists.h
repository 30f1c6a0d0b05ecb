// The word lists the generator draws from, compiled into the binary from the
// text files in data/ (one entry per line). word_lists.cc is generated at
// configure time by embed_word_lists.cmake; edit the text files, not it.
#pragma once

#include <span>
#include <string_view>

namespace runnel::datagen {

using WordList = std::span<const std::string_view>;

struct NationalityWordLists {
  WordList male_first;
  WordList female_first;
  WordList last;
  WordList streets;
  WordList cities;
  WordList states;
};

struct CommonWordLists {
  WordList username_adjectives;
  WordList username_animals;
  WordList passwords;
};

// The lists of one nationality by its upper-case code ("DE"), or nullptr.
const NationalityWordLists* nationality_word_lists(std::string_view code);
const CommonWordLists& common_word_lists();

}  // namespace runnel::datagen
