#include "test_broker.h"

#include <stdlib.h>

#include <cstdio>
#include <filesystem>

namespace runnel::stream::testing {

TestBroker::TestBroker() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "runnel-stream-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::fprintf(stderr, "test broker: no temporary directory\n");
    std::abort();
  }
  data_dir_ = pattern;
  broker::BrokerConfig config;
  config.listen = Endpoint{"127.0.0.1", 0};
  config.data_dir = data_dir_;
  auto started = broker::EmbeddedBroker::start(config);
  if (!started.is_ok()) {
    std::fprintf(stderr, "test broker: %s\n", started.status().to_string().c_str());
    std::abort();
  }
  broker_ = std::move(started).value();
  bootstrap_ = broker_->bootstrap_servers();
}

TestBroker::~TestBroker() {
  (void)broker_->stop();
  broker_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(data_dir_, ignored);
}

}  // namespace runnel::stream::testing
