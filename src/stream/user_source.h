// Where ingested users come from: the embedded generator (fast, the same
// users for the same seed) or any randomuser-compatible API, fetched in
// batches of up to 5000. Both answer batches of RandomUser, so the producer
// loop does not know which it reads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "datagen/random_user.h"

namespace runnel::stream {

struct UserSourceOptions {
  std::string url;            // empty: the embedded generator
  std::string seed;           // empty: a fresh seed (generator) or none sent (URL)
  std::string nationalities;  // comma-separated codes, e.g. "GB,FR"; empty: all
};

class UserSource {
 public:
  virtual ~UserSource() = default;

  // Replaces `batch` with the next users: at least one, at most `count`
  // (which must be positive and at most max_batch()). Reusing one vector
  // keeps the generator's strings' capacity.
  virtual Status next_batch(std::int64_t count, std::vector<datagen::RandomUser>& batch) = 0;

  // The largest batch next_batch() answers at once.
  virtual std::int64_t max_batch() const = 0;

  // For messages: "the embedded generator (seed 3f2a...)" or the URL.
  virtual std::string description() const = 0;
};

// Checks the seed and nationalities as `runnel datagen` does (an unknown
// nationality is an invalid argument) and makes the source. Nothing is
// fetched yet.
Result<std::unique_ptr<UserSource>> make_user_source(const UserSourceOptions& options);

}  // namespace runnel::stream
