#pragma once

#include <chrono>
#include <mutex>

#include "domain/Env.h"

namespace okarchive {

/// A requests-per-second limit shared by everything that calls one service (the API, the media hosts; thread-safe). 0
/// or less = unlimited.
class RateLimiter {
public:
    explicit RateLimiter(double requestsPerSecond);
    /// Waits (on `env`) until the next request may start; throws Cancelled when `cancel` ends the wait first.
    void acquire(Env& env, const Cancellation& cancel);

private:
    std::mutex _mutex;
    std::chrono::nanoseconds _interval{0};
    Env::TimePoint _next{};
};

}  // namespace okarchive
