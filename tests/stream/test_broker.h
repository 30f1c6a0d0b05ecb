// A runnel broker for the stream tests: the same broker `runnel broker`
// runs, in this process on a free loopback port, with a temporary data
// directory removed afterwards.
#pragma once

#include <memory>
#include <string>

#include "broker/embedded_broker.h"

namespace runnel::stream::testing {

class TestBroker {
 public:
  // Aborts the test program when the broker cannot start.
  TestBroker();
  ~TestBroker();
  TestBroker(const TestBroker&) = delete;
  TestBroker& operator=(const TestBroker&) = delete;

  const std::string& bootstrap() const { return bootstrap_; }

 private:
  std::string data_dir_;
  std::unique_ptr<broker::EmbeddedBroker> broker_;
  std::string bootstrap_;
};

}  // namespace runnel::stream::testing
