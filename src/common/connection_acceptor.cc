#include "common/connection_acceptor.h"

namespace runnel {

Result<Endpoint> listen_on(boost::asio::ip::tcp::acceptor& acceptor, const Endpoint& listen) {
  namespace asio = boost::asio;
  boost::system::error_code error;
  auto address = asio::ip::make_address(listen.host, error);
  if (error)
    return invalid_argument("cannot listen on " + listen.to_string() + ": " + error.message());
  asio::ip::tcp::endpoint endpoint(address, listen.port);
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) return unavailable("cannot listen on " + listen.to_string() + ": " + error.message());
  auto bound = acceptor.local_endpoint(error);
  return Endpoint{bound.address().to_string(), bound.port()};
}

}  // namespace runnel
