// National identity numbers, one function per scheme, each appending a value
// that is valid in its country's format, check digits included. The field
// names (SSN, TFN, ...) are randomuser's; the nationality table pairs them.
#pragma once

#include <string>
#include <string_view>

#include "datagen/random_source.h"
#include "datagen/random_user.h"

namespace runnel::datagen {

struct CivilDate {
  int year = 1970, month = 1, day = 1;
};

// What some schemes encode: sex, birth date, family name.
struct IdSubject {
  Gender gender = Gender::kMale;
  CivilDate birth;
  std::string_view last_name_initial;  // one upper-case ASCII letter, "M"
};

void append_au_tfn(RandomSource& random, const IdSubject& subject, std::string& out);
void append_br_cpf(RandomSource& random, const IdSubject& subject, std::string& out);
void append_ca_sin(RandomSource& random, const IdSubject& subject, std::string& out);
void append_ch_avs(RandomSource& random, const IdSubject& subject, std::string& out);
void append_de_svnr(RandomSource& random, const IdSubject& subject, std::string& out);
void append_dk_cpr(RandomSource& random, const IdSubject& subject, std::string& out);
void append_es_dni(RandomSource& random, const IdSubject& subject, std::string& out);
void append_fi_hetu(RandomSource& random, const IdSubject& subject, std::string& out);
void append_fr_insee(RandomSource& random, const IdSubject& subject, std::string& out);
void append_gb_nino(RandomSource& random, const IdSubject& subject, std::string& out);
void append_ie_pps(RandomSource& random, const IdSubject& subject, std::string& out);
void append_in_uidai(RandomSource& random, const IdSubject& subject, std::string& out);
void append_mx_nss(RandomSource& random, const IdSubject& subject, std::string& out);
void append_nl_bsn(RandomSource& random, const IdSubject& subject, std::string& out);
void append_no_fn(RandomSource& random, const IdSubject& subject, std::string& out);
void append_rs_sid(RandomSource& random, const IdSubject& subject, std::string& out);
void append_us_ssn(RandomSource& random, const IdSubject& subject, std::string& out);

}  // namespace runnel::datagen
