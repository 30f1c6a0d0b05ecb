#include "common/shutdown_signal.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

namespace runnel {
namespace {

sigset_t shutdown_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void block_shutdown_signals() {
  const sigset_t set = shutdown_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::thread wait_for_shutdown_signal(std::function<void()> on_signal) {
  return std::thread([on_signal = std::move(on_signal)] {
    const sigset_t set = shutdown_signals();
    int signal_number = 0;
    sigwait(&set, &signal_number);
    on_signal();
  });
}

void raise_shutdown() { kill(getpid(), SIGTERM); }

}  // namespace runnel
