#pragma once

#include <cstdint>
#include <string>

#include "domain/TimeZone.h"

namespace okarchive {

/// Parses a time given on the command line: `YYYY-MM-DD` (midnight in `zone`), an ISO 8601 date-time with an
/// offset or Z (`2024-03-01T10:00:00+03:00`, fractions allowed), or epoch milliseconds. Returns epoch ms.
/// Throws UsageError naming `option` and the text.
std::int64_t parseTimeArgument(const std::string& text, const TimeZone& zone, const std::string& option);

}  // namespace okarchive
