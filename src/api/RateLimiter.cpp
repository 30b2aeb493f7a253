#include "api/RateLimiter.h"

#include <thread>

namespace okarchive {

RateLimiter::RateLimiter(double requestsPerSecond) {
    if (requestsPerSecond > 0) _interval = std::chrono::nanoseconds(static_cast<long long>(1e9 / requestsPerSecond));
}

void RateLimiter::acquire() {
    if (_interval.count() == 0) return;
    std::chrono::steady_clock::time_point slot;
    {
        std::lock_guard lock(_mutex);
        auto now = std::chrono::steady_clock::now();
        if (_next < now) _next = now;  // idle time does not bank extra requests
        slot = _next;
        _next += _interval;
    }
    std::this_thread::sleep_until(slot);
}

}  // namespace okarchive
