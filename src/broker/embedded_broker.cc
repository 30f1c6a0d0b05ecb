#include "broker/embedded_broker.h"

#include <malloc.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <csignal>
#include <optional>
#include <thread>

#include "broker/broker.h"
#include "broker/server/kafka_server.h"

namespace runnel::broker {

struct EmbeddedBroker::State {
  // Declared so that the server and broker go before the io_context they use.
  boost::asio::io_context io{1};
  KafkaServer server{io};
  std::optional<Broker> broker;
  Endpoint endpoint;
  std::thread thread;
  bool stopped = false;
};

EmbeddedBroker::EmbeddedBroker(std::unique_ptr<State> state) : state_(std::move(state)) {}

Result<std::unique_ptr<EmbeddedBroker>> EmbeddedBroker::start(BrokerConfig config) {
  // Process-wide settings the broker relies on. A write past the file-size
  // limit fails with EFBIG, like a full disk with ENOSPC, instead of killing
  // the process: produce then gets an error.
  std::signal(SIGXFSZ, SIG_IGN);
  // Fetch responses are large, short-lived buffers. Kept on the heap and
  // reused rather than mapped and unmapped each time, they cost no page
  // faults and no zeroing by the kernel (measured: a third of the broker's
  // time when consuming from the page cache).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);

  auto state = std::make_unique<State>();
  auto bound = state->server.bind(config.listen);
  if (!bound.is_ok()) return bound.status();
  config.listen = *bound;
  state->endpoint = *bound;
  state->broker.emplace(state->io.get_executor(), std::move(config));
  if (Status opened = state->broker->open(); !opened.is_ok()) return opened;
  state->server.serve(*state->broker);
  State* raw = state.get();
  state->thread = std::thread([raw] { raw->io.run(); });
  return std::unique_ptr<EmbeddedBroker>(new EmbeddedBroker(std::move(state)));
}

EmbeddedBroker::~EmbeddedBroker() { (void)stop(); }

const Endpoint& EmbeddedBroker::endpoint() const { return state_->endpoint; }

Status EmbeddedBroker::stop() {
  State& state = *state_;
  if (state.stopped) return Status::ok();
  state.stopped = true;
  boost::asio::post(state.io, [&state] {
    state.server.stop();
    state.io.stop();
  });
  state.thread.join();
  return state.broker->close();
}

}  // namespace runnel::broker
