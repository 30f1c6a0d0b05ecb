#include "datagen/random_user.h"

namespace runnel::datagen {

std::string_view gender_name(Gender gender) { return gender == Gender::kMale ? "male" : "female"; }

std::optional<Field> field_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
    if (kFieldNames[i] == name) return static_cast<Field>(i);
  }
  return std::nullopt;
}

}  // namespace runnel::datagen
