#include "digest/SummaryCalendar.h"

#include <cstdio>

#include <fmt/format.h>

#include "domain/Errors.h"

namespace okarchive {

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
    return _zone.localToUtc(dayNumber * kMsPerDay + secondsOfDay * 1000);
}

SummaryPeriod SummaryCalendar::containing(std::int64_t ms) const {
    if (_kind == Kind::Duration) {
        const std::int64_t start = floorDiv(ms, _durationMs) * _durationMs;
        const std::int64_t end = start + _durationMs;
        return {start, end, _zone.localIso(start) + " – " + _zone.localIso(end)};
    }
    const auto day = _zone.localDayNumber(ms);
    std::int64_t first = day, next = day + 1;
    if (_kind == Kind::Week) {
        first = day - weekdayFromDays(day);
        next = first + 7;
    } else if (_kind == Kind::Month) {
        const CivilDate date = civilFromDays(day);
        first = daysFromCivil(date.year, date.month, 1);
        next = first + daysInMonth(date.year, date.month);
    }
    return {localToUtc(first, 0), localToUtc(next, 0), label(first, next)};
}

std::string SummaryCalendar::label(std::int64_t firstDay, std::int64_t nextDay) const {
    const CivilDate first = civilFromDays(firstDay);
    if (_kind == Kind::Day) return isoDate(first);
    if (_kind == Kind::Month) return fmt::format("{:04}-{:02}", first.year, first.month);
    return isoDate(first) + " – " + isoDate(civilFromDays(nextDay - 1));
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
