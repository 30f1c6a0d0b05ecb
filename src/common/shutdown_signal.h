// Orderly shutdown on SIGINT and SIGTERM. Call block_shutdown_signals() in
// main() before any thread starts, so that every thread inherits the mask and
// only the waiting thread sees the signal; then run the callback from an
// ordinary thread, where it may lock, log and join.
#pragma once

#include <functional>
#include <thread>

namespace runnel {

void block_shutdown_signals();

// Starts a thread that waits for SIGINT or SIGTERM and then calls
// `on_signal` once. The returned thread must be joined or detached; call
// raise_shutdown() to wake it when the program ends for another reason.
std::thread wait_for_shutdown_signal(std::function<void()> on_signal);

// Sends SIGTERM to this process, waking the waiting thread.
void raise_shutdown();

}  // namespace runnel
