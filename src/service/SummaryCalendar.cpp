#include "service/SummaryCalendar.h"

#include <cstdio>

#include <fmt/format.h>

#include "domain/Errors.h"

namespace okarchive {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

std::int64_t floorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::int64_t daysFromCivil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t z, int& year, unsigned& month, unsigned& day) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = static_cast<int>(yoe + era * 400 + (month <= 2));
}

SummaryCalendar::SummaryCalendar(const SummaryConfig& config) : _zone(TimeZone::utc()) {
    const auto& p = config.period;
    if (p == "day")
        _kind = Kind::Day;
    else if (p == "week")
        _kind = Kind::Week;
    else if (p == "month")
        _kind = Kind::Month;
    else {
        _kind = Kind::Duration;
        try {
            _durationMs = parseDuration(p, "summary.period").count();
        } catch (const UsageError&) {
            throw UsageError(
                fmt::format("setting summary.period = '{}' must be day, week, month or a duration such "
                            "as 6h",
                            p));
        }
    }
    try {
        _zone = TimeZone::load(config.timezone.empty() ? "UTC" : config.timezone);
    } catch (const UsageError& e) {
        throw UsageError(fmt::format("setting summary.timezone: {}", e.what()));
    }
    unsigned h = 0, m = 0;
    char colon = 0;
    int consumed = 0;
    if (std::sscanf(config.at.c_str(), "%2u%c%2u%n", &h, &colon, &m, &consumed) != 3 || colon != ':' || h > 23 ||
        m > 59 || consumed != static_cast<int>(config.at.size()))
        throw UsageError(fmt::format("setting summary.at = '{}' must be a local time HH:MM, e.g. 09:00", config.at));
    _atSeconds = h * 3600 + m * 60;
    if (config.language != "en" && config.language != "ru")
        throw UsageError(fmt::format("setting summary.language = '{}' must be en or ru", config.language));
}

std::int64_t SummaryCalendar::localToUtc(std::int64_t dayNumber, std::int64_t secondsOfDay) const {
    const std::int64_t local = dayNumber * kDayMs + secondsOfDay * 1000;
    const std::int64_t guess = local - _zone.offsetSecondsAt(local) * 1000LL;
    return local - _zone.offsetSecondsAt(guess) * 1000LL;
}

SummaryPeriod SummaryCalendar::containing(std::int64_t ms) const {
    SummaryPeriod p;
    if (_kind == Kind::Duration) {
        p.start = floorDiv(ms, _durationMs) * _durationMs;
        p.end = p.start + _durationMs;
        p.label = _zone.localIso(p.start) + " – " + _zone.localIso(p.end);
        return p;
    }
    const auto day = _zone.localDayNumber(ms);
    std::int64_t first = day, next = day + 1;
    if (_kind == Kind::Week) {
        first = day - (_zone.localWeekday(ms) + 6) % 7;
        next = first + 7;
    } else if (_kind == Kind::Month) {
        int y;
        unsigned m, d;
        civilFromDays(day, y, m, d);
        first = daysFromCivil(y, m, 1);
        next = m == 12 ? daysFromCivil(y + 1, 1, 1) : daysFromCivil(y, m + 1, 1);
    }
    p.start = localToUtc(first, 0);
    p.end = localToUtc(next, 0);
    int y;
    unsigned m, d;
    civilFromDays(first, y, m, d);
    if (_kind == Kind::Day)
        p.label = fmt::format("{:04}-{:02}-{:02}", y, m, d);
    else if (_kind == Kind::Month)
        p.label = fmt::format("{:04}-{:02}", y, m);
    else {
        int y2;
        unsigned m2, d2;
        civilFromDays(next - 1, y2, m2, d2);
        p.label = fmt::format("{:04}-{:02}-{:02} – {:04}-{:02}-{:02}", y, m, d, y2, m2, d2);
    }
    return p;
}

SummaryPeriod SummaryCalendar::previous(const SummaryPeriod& period) const { return containing(period.start - 1); }

std::int64_t SummaryCalendar::dueAt(const SummaryPeriod& period) const {
    if (_kind == Kind::Duration) return period.end;
    return localToUtc(_zone.localDayNumber(period.end), _atSeconds);
}

SummaryPeriod SummaryCalendar::latestDue(std::int64_t nowMs) const {
    auto p = previous(containing(nowMs));
    while (dueAt(p) > nowMs) p = previous(p);
    return p;
}

SummaryPeriod SummaryCalendar::custom(std::int64_t since, std::int64_t until) const {
    return {since, until, _zone.localIso(since) + " – " + _zone.localIso(until)};
}

void validateSummaryConfig(const SummaryConfig& config) { SummaryCalendar{config}; }

}  // namespace okarchive
