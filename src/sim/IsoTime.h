#pragma once

#include <cstdint>
#include <string>

namespace okarchive::sim {

/// Epoch milliseconds as ISO 8601 UTC with exactly three millisecond digits, e.g. 2017-06-27T16:34:52.941Z.
std::string isoTimeUtc(std::int64_t epochMs);

/// Milliseconds since the epoch, now.
std::int64_t nowMs();

}  // namespace okarchive::sim
