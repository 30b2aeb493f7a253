#pragma once

#include <cstdint>
#include <limits>

namespace okarchive {

/// A closed range of message timestamps [lo, hi] in ms. Empty when lo > hi.
struct TimeRange {
    std::int64_t lo = 0;
    std::int64_t hi = -1;

    bool empty() const { return lo > hi; }
    bool contains(std::int64_t t) const { return lo <= t && t <= hi; }
    bool operator==(const TimeRange&) const = default;

    static constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
};

}  // namespace okarchive
