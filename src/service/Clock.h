#pragma once

#include <chrono>
#include <cstdint>

namespace okarchive {

/// Where the service reads the time: the system, or a hand-driven clock in tests (no sleeping tests).
class Clock {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;        ///< monotonic, for scheduling
    virtual std::int64_t wallMs() const = 0;  ///< ms since the epoch, for reports and summary periods
};

/// The real clocks.
class SystemClock : public Clock {
public:
    TimePoint now() const override { return std::chrono::steady_clock::now(); }
    std::int64_t wallMs() const override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

}  // namespace okarchive
