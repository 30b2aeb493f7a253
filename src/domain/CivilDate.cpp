#include "domain/CivilDate.h"

namespace okarchive {
namespace {

constexpr std::int64_t kDaysPerEra = 146'097;          // 400 Gregorian years
constexpr std::int64_t kEpochFromMarch0000 = 719'468;  // days from 0000-03-01 to 1970-01-01

void appendYear(std::string& out, std::int64_t y) {
    if (y < 0 || y > 9999) {
        out += std::to_string(y);
        return;
    }
    out += static_cast<char>('0' + y / 1000);
    out += static_cast<char>('0' + y / 100 % 10);
    appendTwoDigits(out, static_cast<unsigned>(y % 100));
}

}  // namespace

void appendTwoDigits(std::string& out, unsigned v) {
    out += static_cast<char>('0' + v / 10 % 10);
    out += static_cast<char>('0' + v % 10);
}

bool isLeapYear(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned daysInMonth(std::int64_t year, unsigned month) {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && isLeapYear(year) ? 29 : kDays[month - 1];
}

bool isValidDate(const CivilDate& date) {
    return date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= daysInMonth(date.year, date.month);
}

std::int64_t daysFromCivil(const CivilDate& date) {
    const std::int64_t y = date.year - (date.month <= 2);
    const std::int64_t era = floorDiv(y, 400);
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (date.month > 2 ? date.month - 3 : date.month + 9) + 2) / 5 + date.day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * kDaysPerEra + static_cast<std::int64_t>(doe) - kEpochFromMarch0000;
}

CivilDate civilFromDays(std::int64_t days) {
    const std::int64_t z = days + kEpochFromMarch0000;
    const std::int64_t era = floorDiv(z, kDaysPerEra);
    const auto doe = static_cast<unsigned>(z - era * kDaysPerEra);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

int weekdayFromDays(std::int64_t days) { return static_cast<int>(floorMod(days + 3, 7)); }

void appendIsoDate(std::string& out, const CivilDate& date) {
    appendYear(out, date.year);
    out += '-';
    appendTwoDigits(out, date.month);
    out += '-';
    appendTwoDigits(out, date.day);
}

std::string isoDate(const CivilDate& date) {
    std::string out;
    appendIsoDate(out, date);
    return out;
}

}  // namespace okarchive
