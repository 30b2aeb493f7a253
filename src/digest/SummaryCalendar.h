#pragma once

#include <cstdint>
#include <string>

#include "domain/CivilDate.h"
#include "domain/TimeZone.h"
#include "digest/DigestConfig.h"
#include "domain/Duration.h"

namespace okarchive {

/// One digest's period: [start, end) in ms since the epoch, and how the digest names it.
struct SummaryPeriod {
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::string label;
    bool operator==(const SummaryPeriod& o) const { return start == o.start && end == o.end; }
};

/// The periods of summary.period in summary.timezone, and when each one's digest is due.
/// - day: local calendar days; week: ISO weeks, Monday to Sunday; month: calendar months. Each is due at
///   summary.at (local) on the first day after it.
/// - a duration (6h, 2s): back-to-back periods of that length aligned to the epoch; each is due when it ends.
class SummaryCalendar {
public:
    /// Validates summary.period, summary.timezone, summary.at and summary.language (UsageError naming the key).
    explicit SummaryCalendar(const SummaryConfig& config);

    SummaryPeriod containing(std::int64_t ms) const;
    SummaryPeriod previous(const SummaryPeriod& period) const;
    std::int64_t dueAt(const SummaryPeriod& period) const;
    /// The newest period whose digest is due at `nowMs`.
    SummaryPeriod latestDue(std::int64_t nowMs) const;
    /// A custom period (okarchive summary --since/--until).
    SummaryPeriod custom(std::int64_t since, std::int64_t until) const;
    const TimeZone& zone() const { return _zone; }

private:
    enum class Kind { Day, Week, Month, Duration };
    std::int64_t localToUtc(std::int64_t dayNumber, std::int64_t secondsOfDay) const;
    /// How the digest names the local days [firstDay, nextDay) of a day, week or month period.
    std::string label(std::int64_t firstDay, std::int64_t nextDay) const;

    Kind _kind = Kind::Day;
    std::int64_t _durationMs = 0;
    std::int64_t _atSeconds = 9 * 3600;
    TimeZone _zone;
};

/// Throws UsageError naming the bad summary.* key (constructs a SummaryCalendar).
void validateSummaryConfig(const SummaryConfig& config);

}  // namespace okarchive
