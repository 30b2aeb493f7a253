#pragma once

#include "service/Clock.h"

namespace okarchive::test {

/// A clock the test moves by hand.
class ManualClock : public Clock {
public:
    TimePoint now() const override { return _now; }
    std::int64_t wallMs() const override {
        return _wallMs + std::chrono::duration_cast<std::chrono::milliseconds>(_now - TimePoint{}).count();
    }
    void advance(std::chrono::milliseconds d) { _now += d; }
    void setWallBase(std::int64_t ms) { _wallMs = ms; }

private:
    TimePoint _now{};
    std::int64_t _wallMs = 1'700'000'000'000;
};

}  // namespace okarchive::test
