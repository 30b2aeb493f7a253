#pragma once

#include <string>

#include "domain/Locale.h"

namespace okarchive {

// Grouped counts and decimals come from domain/Locale.h (groupedCount, localDecimal); these are the report's own.

/// Short numbers for axes and bars: 950, 1.2k, 12k, 3.4M, 2B; in Russian 1,2 тыс., 12 тыс., 3,4 млн, 2 млрд.
std::string compactNumber(double value, Locale locale = Locale::English);

/// A duration in seconds for people: 45 s, 3.5 min, 2.1 h, 4.2 days; in Russian 45 с, 3,5 мин, 2,1 ч, 4,2 дн.
std::string humanDuration(double seconds, Locale locale = Locale::English);

}  // namespace okarchive
