#pragma once

#include <cstdint>
#include <string>

namespace okarchive {

/// Formats ms since epoch as ISO 8601 UTC with milliseconds: 2017-06-27T16:34:52.941Z.
std::string formatIsoUtc(std::int64_t epochMs);

}  // namespace okarchive
