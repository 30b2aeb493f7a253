#pragma once

#include <cstdint>
#include <string>

namespace okarchive {

/// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the range of four-digit years.
inline constexpr std::int64_t kEarliestFormattableMs = -62'167'219'200'000;
inline constexpr std::int64_t kLatestFormattableMs = 253'402'300'799'999;

/// Formats ms since epoch as ISO 8601 UTC with milliseconds: 2017-06-27T16:34:52.941Z. Any int64 is safe: times
/// outside years 0000..9999 are clamped to the nearest end of that range.
std::string formatIsoUtc(std::int64_t epochMs);

}  // namespace okarchive
