// Writes a response of users in one output format. A writer appends to its
// own buffer, which the caller drains between calls (the HTTP server takes
// the whole response, the command line flushes to a file as it goes).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "datagen/api_request.h"
#include "datagen/random_user.h"

namespace runnel::datagen {

// The `info` object of a response.
struct ResponseInfo {
  std::string seed;
  std::int64_t results = 0;
  std::int64_t page = 1;
};

class UserWriter {
 public:
  virtual ~UserWriter() = default;
  virtual void begin() = 0;
  virtual void write(const RandomUser& user) = 0;
  // `info` is nullptr when the response has none (noinfo, or a format that
  // cannot carry it: jsonl and csv).
  virtual void end(const ResponseInfo* info) = 0;

  // Output written so far and not yet taken; the caller may clear it.
  std::string& output() { return output_; }

 protected:
  std::string output_;
};

std::unique_ptr<UserWriter> make_user_writer(OutputFormat format, FieldSet fields);

// The Content-Type randomuser sends for a format.
std::string_view content_type(OutputFormat format);

}  // namespace runnel::datagen
