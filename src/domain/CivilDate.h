#pragma once

#include <cstdint>
#include <string>

namespace okarchive {

// The one date module: proleptic Gregorian civil dates counted as days since 1970-01-01 (day 0, a Thursday), and
// the one weekday convention, Monday = 0 ... Sunday = 6. Local-to-UTC needs a zone: TimeZone::localToUtc.

constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr std::int64_t kMsPerDay = 86'400'000;

/// a / b rounded toward negative infinity (b > 0 or b < 0; never 0).
constexpr std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}
/// a - floorDiv(a, b) * b: the remainder with the sign of b (floorMod(-1, 7) == 6).
constexpr std::int64_t floorMod(std::int64_t a, std::int64_t b) { return a - floorDiv(a, b) * b; }

/// A date of the proleptic Gregorian calendar; month 1..12, day 1..31.
struct CivilDate {
    std::int64_t year = 1970;
    unsigned month = 1;
    unsigned day = 1;
    bool operator==(const CivilDate&) const = default;
};

bool isLeapYear(std::int64_t year);
unsigned daysInMonth(std::int64_t year, unsigned month);  ///< 28..31; month must be 1..12
bool isValidDate(const CivilDate& date);                  ///< month 1..12 and day within the month

/// Days since 1970-01-01 (H. Hinnant's days_from_civil); exact for every valid date.
std::int64_t daysFromCivil(const CivilDate& date);
inline std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day) {
    return daysFromCivil(CivilDate{year, month, day});
}
/// The date `days` after 1970-01-01 (H. Hinnant's civil_from_days); the inverse of daysFromCivil.
CivilDate civilFromDays(std::int64_t days);
/// The weekday of a day number: Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday, 3).
int weekdayFromDays(std::int64_t days);

/// Appends v % 100 as two digits (months, days, hours, minutes, seconds).
void appendTwoDigits(std::string& out, unsigned v);
/// Appends YYYY-MM-DD (years outside 0..9999 are written in full, e.g. -1-01-01 or 12000-01-01).
void appendIsoDate(std::string& out, const CivilDate& date);
std::string isoDate(const CivilDate& date);  ///< YYYY-MM-DD, as appendIsoDate

}  // namespace okarchive
