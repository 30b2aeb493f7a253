#pragma once

#include <chrono>
#include <mutex>

namespace okarchive {

/// A requests-per-second limit shared by everything that calls the API (thread-safe). 0 or less = unlimited.
class RateLimiter {
public:
    explicit RateLimiter(double requestsPerSecond);
    void acquire();  ///< blocks until the next request may start

private:
    std::mutex _mutex;
    std::chrono::nanoseconds _interval{0};
    std::chrono::steady_clock::time_point _next{};
};

}  // namespace okarchive
