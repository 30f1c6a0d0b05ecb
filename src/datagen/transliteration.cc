#include "datagen/transliteration.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <stdexcept>

namespace runnel::datagen {

struct AsciiSpelling::Icu {
  std::unique_ptr<icu::Transliterator> transliterator;
};

AsciiSpelling::AsciiSpelling() : icu_(std::make_unique<Icu>()) {}

AsciiSpelling::~AsciiSpelling() = default;

std::string AsciiSpelling::of(std::string_view text) {
  bool ascii = true;
  for (char c : text) ascii &= static_cast<unsigned char>(c) < 0x80;
  if (ascii) return std::string(text);
  // Built on first need: creating it costs tens of milliseconds.
  if (!icu_->transliterator) {
    UErrorCode error = U_ZERO_ERROR;
    icu_->transliterator.reset(icu::Transliterator::createInstance(
        "Any-Latin; Latin-ASCII; [^\\u0020-\\u007e] Remove", UTRANS_FORWARD, error));
    if (U_FAILURE(error) || !icu_->transliterator) {
      throw std::runtime_error(std::string("ICU transliterator unavailable: ") +
                               u_errorName(error));
    }
  }
  auto unicode = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), text.size()));
  icu_->transliterator->transliterate(unicode);
  std::string spelling;
  unicode.toUTF8String(spelling);
  return spelling;
}

}  // namespace runnel::datagen
