#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace okarchive {

/// An IANA time zone read from Debian's tzdata (TZif files under /usr/share/zoneinfo, or $TZDIR): the transition
/// table plus the POSIX TZ rule of its footer for instants after the last transition. An immutable value: every
/// method is const and touches no global state (no setenv("TZ"), no localtime), so it is safe to share across threads.
class TimeZone {
public:
    /// Loads `name` (e.g. "Europe/Moscow"). "UTC" always works, even without tzdata.
    /// Throws UsageError naming the zone if it is unknown, malformed or not a valid TZif file.
    static TimeZone load(const std::string& name);
    static TimeZone utc();  ///< the UTC zone

    const std::string& name() const { return _name; }
    int offsetSecondsAt(std::int64_t epochMs) const;  ///< local time minus UTC, in seconds, at that instant

    std::string localDate(std::int64_t epochMs) const;                   ///< YYYY-MM-DD in this zone
    std::string localTime(std::int64_t epochMs) const;                   ///< HH:MM in this zone
    std::string localIso(std::int64_t epochMs) const;                    ///< 2017-06-27T19:34:52.941+03:00
    void appendLocalDate(std::string& out, std::int64_t epochMs) const;  ///< appends localDate() without allocating
    void appendLocalTime(std::string& out, std::int64_t epochMs) const;  ///< appends localTime() without allocating
    void appendLocalIso(std::string& out, std::int64_t epochMs) const;   ///< appends localIso() without allocating
    std::int64_t localDayNumber(std::int64_t epochMs) const;             ///< days since 1970-01-01 of the local date
    int localWeekday(std::int64_t epochMs) const;                        ///< 0 = Monday ... 6 = Sunday, local
    /// The UTC instant (epoch ms) whose wall-clock time here is `localMs` (ms since 1970-01-01T00:00 local):
    /// `localMs - offset(localMs - offset(localMs))`. Exact when that local time occurs once; in an overlap
    /// (clocks set back) or a gap (clocks set forward) it picks the instant that two-step estimate lands on, e.g.
    /// New York's nonexistent 2025-03-09 02:30 gives 06:30Z and Berlin's repeated 2025-10-26 02:30 gives 01:30Z.
    std::int64_t localToUtc(std::int64_t localMs) const;

    /// One `Mm.w.d`, `Jn` or `n` date of a POSIX TZ rule, with its local time of day in seconds.
    struct RuleDate {
        enum class Kind { MonthWeekDay, Julian1, Julian0 } kind = Kind::MonthWeekDay;
        int month = 0, week = 0, weekday = 0, day = 0;
        std::int64_t secondsOfDay = 7200;
    };
    /// The footer's TZ string, parsed: `STD offset [DST [offset] [,start[/time],end[/time]]]`.
    struct PosixRule {
        int stdOffset = 0;  ///< seconds east of UTC (the TZ string's sign inverted)
        int dstOffset = 0;
        bool hasDst = false;
        RuleDate start, end;
    };

private:
    struct LocalType {
        int offset;
        bool dst;
    };

    int offsetSecondsAtSeconds(std::int64_t epochSeconds) const;

    std::string _name;
    std::vector<std::int64_t> _transitions;  // UTC seconds, ascending
    std::vector<std::uint8_t> _typeIndexes;  // type in force from _transitions[i]
    std::vector<LocalType> _types;
    int _initialOffset = 0;  // before the first transition
    bool _hasRule = false;
    PosixRule _rule;
};

}  // namespace okarchive
