#include "datagen/transliteration.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace runnel::datagen {

struct AsciiSpelling::Cache {
  std::unique_ptr<icu::Transliterator> transliterator;
  std::unordered_map<const char*, std::string> words;  // by the word's address
};

AsciiSpelling::AsciiSpelling() : cache_(std::make_unique<Cache>()) {
  UErrorCode error = U_ZERO_ERROR;
  cache_->transliterator.reset(icu::Transliterator::createInstance(
      "Any-Latin; Latin-ASCII; [^\\u0020-\\u007e] Remove", UTRANS_FORWARD, error));
  if (U_FAILURE(error) || !cache_->transliterator) {
    throw std::runtime_error(std::string("ICU transliterator unavailable: ") +
                             u_errorName(error));
  }
}

AsciiSpelling::~AsciiSpelling() = default;

std::string AsciiSpelling::of(std::string_view text) {
  bool ascii = true;
  for (char c : text) ascii &= static_cast<unsigned char>(c) < 0x80;
  if (ascii) return std::string(text);
  auto unicode = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), text.size()));
  cache_->transliterator->transliterate(unicode);
  std::string spelling;
  unicode.toUTF8String(spelling);
  return spelling;
}

std::string_view AsciiSpelling::of_word(std::string_view word) {
  auto found = cache_->words.find(word.data());
  if (found == cache_->words.end()) found = cache_->words.emplace(word.data(), of(word)).first;
  return found->second;
}

}  // namespace runnel::datagen
