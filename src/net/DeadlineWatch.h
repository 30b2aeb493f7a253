#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "domain/Env.h"

namespace okarchive {

/// Runs `expire` once `budget` has passed on the system clock, unless stop() (or the destructor) comes first: the
/// total deadline of one request, which no dribbling server can stretch (each byte would reset a read timeout).
/// The callback runs on the watch's own thread; after stop() returns it has either run or never will.
class DeadlineWatch {
public:
    DeadlineWatch(std::chrono::milliseconds budget, std::function<void()> expire);
    ~DeadlineWatch() { stop(); }
    DeadlineWatch(const DeadlineWatch&) = delete;
    DeadlineWatch& operator=(const DeadlineWatch&) = delete;

    void stop();                                      ///< ends the watch (idempotent; joins its thread)
    bool expired() const { return _expired.load(); }  ///< the budget ran out and `expire` was called

private:
    Cancellation _stop;
    std::atomic<bool> _expired{false};
    std::thread _thread;
};

}  // namespace okarchive
