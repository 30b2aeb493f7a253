#pragma once

#include <cstdint>
#include <string>

namespace okarchive {

/// 12345 -> "12 345" (thousands grouped by a no-break space U+00A0, which HTML and SVG render as a space).
std::string groupedNumber(std::int64_t value);

/// Short numbers for axes and bars: 950, 1.2k, 12k, 3.4M, 2B.
std::string compactNumber(double value);

/// A duration in seconds for people: 45 s, 3.5 min, 2.1 h, 4.2 days.
std::string humanDuration(double seconds);

/// A decimal with at most one fraction digit, no trailing ".0": 2, 2.5.
std::string shortDecimal(double value);

}  // namespace okarchive
