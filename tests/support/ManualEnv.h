#pragma once

#include <mutex>
#include <vector>

#include "domain/Env.h"

namespace okarchive::test {

/// An Env the test drives by hand: time moves only by advance() or by a sleep, which returns at once having moved
/// the clock to its deadline (so code that waits runs instantly and the test can read what it waited for).
class ManualEnv : public Env {
public:
    TimePoint now() const override {
        std::lock_guard lock(_mutex);
        return _now;
    }
    std::int64_t wallMs() const override {
        std::lock_guard lock(_mutex);
        return _wallBaseMs + std::chrono::duration_cast<std::chrono::milliseconds>(_now - TimePoint{}).count();
    }
    bool sleepUntil(TimePoint deadline, const Cancellation& cancel) override {
        if (cancel.cancelled()) return false;
        std::lock_guard lock(_mutex);
        _sleeps.push_back(deadline - _now);
        if (deadline > _now) _now = deadline;
        return true;
    }

    void advance(std::chrono::nanoseconds d) {
        std::lock_guard lock(_mutex);
        _now += d;
    }
    void setWallBase(std::int64_t ms) {
        std::lock_guard lock(_mutex);
        _wallBaseMs = ms;
    }
    /// Every sleep asked for, in order (deadline minus the time it was asked at).
    std::vector<TimePoint::duration> sleeps() const {
        std::lock_guard lock(_mutex);
        return _sleeps;
    }

private:
    mutable std::mutex _mutex;
    TimePoint _now{};
    std::int64_t _wallBaseMs = 1'700'000'000'000;
    std::vector<TimePoint::duration> _sleeps;
};

}  // namespace okarchive::test
