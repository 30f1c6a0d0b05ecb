// `runnel broker` as a child process for the stream tests: a free loopback
// port, a temporary data directory, SIGTERM on destruction. The binary is
// RUNNEL_BINARY from the environment, or the one this build made.
#pragma once

#include <string>

namespace runnel::stream::testing {

class BrokerProcess {
 public:
  // Starts the broker and waits (at most 10 s) until it accepts
  // connections; aborts the test program when it does not.
  BrokerProcess();
  ~BrokerProcess();
  BrokerProcess(const BrokerProcess&) = delete;
  BrokerProcess& operator=(const BrokerProcess&) = delete;

  const std::string& bootstrap() const { return bootstrap_; }

 private:
  int pid_ = -1;
  std::string data_dir_;
  std::string bootstrap_;
};

}  // namespace runnel::stream::testing
