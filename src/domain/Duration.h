#pragma once

#include <chrono>
#include <string>

namespace okarchive {

/// Parses a duration: a whole number with a unit, ms, s, m, h or d ("30s", "15m", "1h"); several may be combined
/// ("1h30m"). Throws UsageError naming the setting `key`.
std::chrono::milliseconds parseDuration(const std::string& text, const std::string& key);

}  // namespace okarchive
