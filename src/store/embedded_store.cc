#include "store/embedded_store.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <optional>
#include <thread>

#include "store/session.h"

namespace runnel::store {

struct EmbeddedStore::State {
  // Declared first so that it goes last: the server's connections hold
  // sessions of it.
  std::unique_ptr<Store> store;
  std::optional<boost::asio::io_context> io;
  std::optional<server::CqlServer> server;
  Endpoint endpoint;
  std::thread thread;
  bool stopped = false;
};

EmbeddedStore::EmbeddedStore(std::unique_ptr<State> state) : state_(std::move(state)) {}

Result<std::unique_ptr<EmbeddedStore>> EmbeddedStore::start(EmbeddedStoreConfig config) {
  auto state = std::make_unique<State>();
  state->io.emplace(1);
  state->server.emplace(*state->io, config.server);
  auto bound = state->server->bind();
  if (!bound.is_ok()) return bound.status();
  state->endpoint = *bound;
  StoreOptions options;
  options.data_dir = config.data_dir;
  options.cache_bytes = config.cache_bytes;
  options.listen_address = bound->host;
  options.listen_port = bound->port;
  auto store = Store::open(options);
  if (!store.is_ok()) return store.status();
  state->store = std::move(*store);
  state->server->serve(*state->store);
  State* raw = state.get();
  state->thread = std::thread([raw] { raw->io->run(); });
  return std::unique_ptr<EmbeddedStore>(new EmbeddedStore(std::move(state)));
}

EmbeddedStore::~EmbeddedStore() { (void)stop(); }

const Endpoint& EmbeddedStore::endpoint() const { return state_->endpoint; }

Status EmbeddedStore::stop() {
  State& state = *state_;
  if (state.stopped) return Status::ok();
  state.stopped = true;
  std::promise<void> stopped_serving;
  boost::asio::post(*state.io, [&state, &stopped_serving] {
    state.server->stop();
    stopped_serving.set_value();
  });
  stopped_serving.get_future().wait();
  // Statements already running finish (their answers go nowhere: the
  // connections are closed) before the store closes under them.
  state.server->drain();
  state.io->stop();
  state.thread.join();
  // Connections, and the sessions they hold, go with the io_context.
  state.server.reset();
  state.io.reset();
  return state.store->close();
}

}  // namespace runnel::store
