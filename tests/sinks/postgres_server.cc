#include "postgres_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "sinks/pg_connection.h"

namespace runnel::sinks::testing {
namespace {

constexpr char kBinaries[] = "/usr/lib/postgresql/15/bin/";

Result<int> free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return unavailable("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  if (port == 0) return unavailable("no free port");
  return port;
}

std::unique_ptr<PostgresServer>& instance() {
  static std::unique_ptr<PostgresServer> server;
  return server;
}

// Stops the shared cluster when the test binary ends.
class PostgresEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    if (instance()) instance()->destroy();
  }
};

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

}  // namespace

Result<PostgresServer*> PostgresServer::shared() {
  std::unique_ptr<PostgresServer>& server = instance();
  if (!server) {
    server.reset(new PostgresServer());
    if (Status status = server->init(); !status.is_ok()) {
      server->destroy();
      server.reset();
      return status;
    }
  }
  return server.get();
}

Status PostgresServer::init() {
  auto port = free_port();
  if (!port) return port.status();
  port_ = *port;
  std::string pattern = (std::filesystem::temp_directory_path() / "runnel-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return internal_error("mkdtemp failed");
  directory_ = pattern;
  if (::geteuid() == 0) {
    const passwd* user = ::getpwnam("postgres");
    if (user == nullptr) return internal_error("running as root but there is no postgres user");
    if (::chown(directory_.c_str(), user->pw_uid, user->pw_gid) != 0) {
      return internal_error("cannot chown " + directory_ + " to postgres");
    }
  }
  if (Status status =
          run("initdb", "-D " + directory_ + "/data -U postgres -A trust -E UTF8 --locale=C -N");
      !status.is_ok()) {
    return status;
  }
  return start();
}

std::string PostgresServer::url(const std::string& database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

Status PostgresServer::create_database(const std::string& database) {
  auto connection = PgConnection::connect(url());
  if (!connection) return connection.status();
  std::string quoted = "\"" + database + "\"";
  if (Status status = connection->execute("DROP DATABASE IF EXISTS " + quoted + " WITH (FORCE)");
      !status.is_ok()) {
    return status;
  }
  return connection->execute("CREATE DATABASE " + quoted);
}

Status PostgresServer::start() {
  Status status = run("pg_ctl", "start -w -t 60 -D " + directory_ + "/data -l " + directory_ +
                                    "/server.log -o '-p " + std::to_string(port_) + " -k " +
                                    directory_ + " -h 127.0.0.1 -c fsync=on'");
  running_ = status.is_ok();
  return status;
}

Status PostgresServer::stop() {
  running_ = false;
  return run("pg_ctl", "stop -w -t 60 -m fast -D " + directory_ + "/data");
}

Status PostgresServer::restart() {
  return run("pg_ctl", "restart -w -t 60 -m fast -D " + directory_ + "/data -l " + directory_ +
                           "/server.log");
}

void PostgresServer::destroy() {
  if (directory_.empty()) return;
  if (running_) {
    running_ = false;
    (void)run("pg_ctl", "stop -w -t 60 -m immediate -D " + directory_ + "/data");
  }
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
  directory_.clear();
}

std::string PostgresServer::log() const {
  std::ifstream in(directory_ + "/server.log");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Status PostgresServer::run(const std::string& binary, const std::string& arguments) {
  std::string command = kBinaries + binary + " " + arguments;
  if (::geteuid() == 0) command = "runuser -u postgres -- " + command;
  std::string log_path = directory_ + "/commands.log";
  int code = std::system((command + " >>" + log_path + " 2>&1 </dev/null").c_str());
  if (code != 0) {
    std::ifstream in(log_path);
    std::ostringstream output;
    output << in.rdbuf();
    return internal_error(command + " failed (" + std::to_string(code) + "):\n" + output.str() +
                          "\nserver log:\n" + log());
  }
  return Status::ok();
}

}  // namespace runnel::sinks::testing
