// Latin-ASCII spellings of names for e-mail addresses and initials, by ICU's
// "Any-Latin; Latin-ASCII" transliterator ("Gonçalves" -> "Goncalves",
// "محمد" -> "mhmd"). ICU is slow per call; callers cache what they reuse.
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

  // The ASCII spelling of `text`. Not thread-safe: one instance per thread.
  std::string of(std::string_view text);

 private:
  struct Icu;
  std::unique_ptr<Icu> icu_;
};

}  // namespace runnel::datagen
