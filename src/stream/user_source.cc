#include "stream/user_source.h"

#include <algorithm>

#include "datagen/api_request.h"
#include "datagen/randomuser_client.h"
#include "datagen/user_generator.h"

namespace runnel::stream {
namespace {

// Small enough that a stop or a deadline is seen within a fraction of a
// millisecond, large enough to amortise the loop around it.
constexpr std::int64_t kGeneratedBatch = 256;

class GeneratedUsers final : public UserSource {
 public:
  explicit GeneratedUsers(datagen::GeneratorOptions options) : generator_(std::move(options)) {}

  Status next_batch(std::int64_t count, std::vector<datagen::RandomUser>& batch) override {
    batch.resize(static_cast<std::size_t>(std::clamp<std::int64_t>(count, 1, kGeneratedBatch)));
    for (auto& user : batch) generator_.next(user);
    return Status::ok();
  }

  std::int64_t max_batch() const override { return kGeneratedBatch; }

  std::string description() const override {
    return "the embedded generator (seed " + generator_.seed() + ")";
  }

 private:
  datagen::UserGenerator generator_;
};

// Pages 1, 2, ... of `url`; with a seed the same pages give the same users,
// as long as every full page asks for the same number of results.
class FetchedUsers final : public UserSource {
 public:
  explicit FetchedUsers(datagen::RandomUserClientOptions options)
      : url_(options.url), client_(std::move(options)) {}

  Status next_batch(std::int64_t count, std::vector<datagen::RandomUser>& batch) override {
    auto users = client_.fetch_page(std::clamp<std::int64_t>(count, 1, datagen::kMaxResults), page_);
    if (!users) return users.status();
    if (users->empty()) return data_loss(url_ + " answered no users");
    if (static_cast<std::int64_t>(users->size()) > count) {
      users->resize(static_cast<std::size_t>(count));
    }
    // randomuser serves pages 1 to 10000; a longer run starts over.
    page_ = page_ % datagen::kMaxPage + 1;
    batch = std::move(*users);
    return Status::ok();
  }

  std::int64_t max_batch() const override { return datagen::kMaxResults; }

  std::string description() const override { return url_; }

 private:
  std::string url_;
  datagen::RandomUserClient client_;
  std::int64_t page_ = 1;
};

}  // namespace

Result<std::unique_ptr<UserSource>> make_user_source(const UserSourceOptions& options) {
  datagen::QueryParameters parameters;
  if (!options.seed.empty()) parameters.emplace_back("seed", options.seed);
  if (!options.nationalities.empty()) parameters.emplace_back("nat", options.nationalities);
  auto request = datagen::parse_api_request(parameters, datagen::Leniency::kStrict);
  if (!request) return request.status();

  if (options.url.empty()) {
    // A created user has no password hashes; the generator skips them.
    request->generator.login_hashes = false;
    return std::unique_ptr<UserSource>(std::make_unique<GeneratedUsers>(request->generator));
  }
  datagen::RandomUserClientOptions client;
  client.url = options.url;
  client.parameters = std::move(parameters);
  return std::unique_ptr<UserSource>(std::make_unique<FetchedUsers>(std::move(client)));
}

}  // namespace runnel::stream
