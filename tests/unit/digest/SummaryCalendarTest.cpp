#include <catch2/catch.hpp>

#include "domain/Errors.h"
#include "digest/SummaryCalendar.h"

using namespace okarchive;

namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;

std::int64_t utc(int y, unsigned m, unsigned d, int hour = 0, int minute = 0) {
    return daysFromCivil(y, m, d) * kDay + hour * kHour + minute * 60'000LL;
}

SummaryConfig config(const std::string& period, const std::string& zone = "UTC", const std::string& at = "09:00") {
    SummaryConfig c;
    c.period = period;
    c.timezone = zone;
    c.at = at;
    return c;
}

}  // namespace

TEST_CASE("day periods in UTC: the digest of yesterday is due at 09:00 today") {
    const SummaryCalendar cal(config("day"));
    const auto p = cal.containing(utc(2024, 3, 5, 13));
    REQUIRE(p.start == utc(2024, 3, 5));
    REQUIRE(p.end == utc(2024, 3, 6));
    REQUIRE(p.label == "2024-03-05");
    REQUIRE(cal.dueAt(p) == utc(2024, 3, 6, 9));
    REQUIRE(cal.latestDue(utc(2024, 3, 6, 8, 59)).label == "2024-03-04");
    REQUIRE(cal.latestDue(utc(2024, 3, 6, 9, 0)).label == "2024-03-05");
}

TEST_CASE("day periods follow the configured time zone") {
    const SummaryCalendar cal(config("day", "Europe/Moscow", "07:30"));  // UTC+3
    const auto p = cal.containing(utc(2024, 3, 5, 22));                  // 01:00 on the 6th in Moscow
    REQUIRE(p.label == "2024-03-06");
    REQUIRE(p.start == utc(2024, 3, 5, 21));
    REQUIRE(p.end == utc(2024, 3, 6, 21));
    REQUIRE(cal.dueAt(p) == utc(2024, 3, 7, 4, 30));
}

TEST_CASE("weeks run Monday to Sunday, months by the calendar") {
    const SummaryCalendar week(config("week"));
    const auto w = week.containing(utc(2024, 3, 7, 12));  // a Thursday
    REQUIRE(w.start == utc(2024, 3, 4));
    REQUIRE(w.end == utc(2024, 3, 11));
    REQUIRE(w.label == "2024-03-04 – 2024-03-10");
    REQUIRE(week.latestDue(utc(2024, 3, 11, 10)).start == utc(2024, 3, 4));
    REQUIRE(week.latestDue(utc(2024, 3, 11, 8)).start == utc(2024, 2, 26));

    const SummaryCalendar month(config("month"));
    const auto m = month.containing(utc(2024, 12, 31, 23));
    REQUIRE(m.start == utc(2024, 12, 1));
    REQUIRE(m.end == utc(2025, 1, 1));
    REQUIRE(m.label == "2024-12");
    REQUIRE(month.previous(month.containing(utc(2024, 3, 1))).label == "2024-02");
}

TEST_CASE("duration periods are back to back and due when they end") {
    const SummaryCalendar cal(config("6h"));
    const auto p = cal.containing(utc(2024, 3, 5, 13));
    REQUIRE(p.start == utc(2024, 3, 5, 12));
    REQUIRE(p.end == utc(2024, 3, 5, 18));
    REQUIRE(cal.dueAt(p) == p.end);
    REQUIRE(cal.latestDue(utc(2024, 3, 5, 18)).start == utc(2024, 3, 5, 12));
    REQUIRE(cal.latestDue(utc(2024, 3, 5, 17)).start == utc(2024, 3, 5, 6));
    const SummaryCalendar seconds(config("2s"));
    REQUIRE(seconds.latestDue(5'001).start == 2'000);
}

TEST_CASE("bad summary settings name their key") {
    REQUIRE_THROWS_WITH(SummaryCalendar(config("fortnight")), Catch::Contains("summary.period"));
    REQUIRE_THROWS_WITH(SummaryCalendar(config("day", "Mars/Olympus")), Catch::Contains("summary.timezone"));
    REQUIRE_THROWS_WITH(SummaryCalendar(config("day", "UTC", "25:00")), Catch::Contains("summary.at"));
    REQUIRE_THROWS_WITH(SummaryCalendar(config("day", "UTC", "9")), Catch::Contains("summary.at"));
    auto c = config("day");
    c.language = "de";
    REQUIRE_THROWS_WITH(SummaryCalendar(c), Catch::Contains("summary.language"));
}
