#include "domain/RateLimiter.h"

#include "domain/Errors.h"

namespace okarchive {

RateLimiter::RateLimiter(double requestsPerSecond) {
    if (requestsPerSecond > 0) _interval = std::chrono::nanoseconds(static_cast<long long>(1e9 / requestsPerSecond));
}

void RateLimiter::acquire(Env& env, const Cancellation& cancel) {
    if (cancel.cancelled()) throw Cancelled("stopped before the next request");
    if (_interval.count() == 0) return;
    Env::TimePoint slot;
    {
        std::lock_guard lock(_mutex);
        const auto now = env.now();
        if (_next < now) _next = now;  // idle time does not bank extra requests
        slot = _next;
        _next += _interval;
    }
    if (!env.sleepUntil(slot, cancel)) throw Cancelled("stopped while waiting for the rate limit");
}

}  // namespace okarchive
