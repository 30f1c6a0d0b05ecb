// Latin-ASCII spellings of names for e-mail addresses and initials, by ICU's
// "Any-Latin; Latin-ASCII" transliterator ("Gonçalves" -> "Goncalves",
// "محمد" -> "mhmd"). ICU is slow per call, so spellings of list words are
// cached by address: each compiled-in word is transliterated once.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace runnel::datagen {

class AsciiSpelling {
 public:
  AsciiSpelling();
  ~AsciiSpelling();
  AsciiSpelling(const AsciiSpelling&) = delete;
  AsciiSpelling& operator=(const AsciiSpelling&) = delete;

  // The ASCII spelling of `text`.
  std::string of(std::string_view text);

  // The same for a word of a compiled-in word list, cached by its address.
  // REQUIRES: `word` views static storage. The returned view stays valid for
  // the lifetime of this object. Not thread-safe: one instance per thread.
  std::string_view of_word(std::string_view word);

 private:
  struct Cache;
  std::unique_ptr<Cache> cache_;
};

}  // namespace runnel::datagen
