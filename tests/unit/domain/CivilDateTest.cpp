#include <catch2/catch.hpp>

#include <chrono>

#include "domain/CivilDate.h"

using okarchive::CivilDate;

// Day numbers and weekdays below were computed independently with Python's datetime ((date - date(1970, 1, 1)).days
// and date.weekday(), which also counts Monday = 0).

TEST_CASE("known dates have their day numbers and weekdays") {
    struct Known {
        CivilDate date;
        std::int64_t days;
        int weekday;
    };
    const Known known[] = {
        {{1970, 1, 1}, 0, 3},      {{1969, 12, 31}, -1, 2},      {{2000, 2, 29}, 11016, 1},
        {{1900, 3, 1}, -25508, 3}, {{1600, 2, 29}, -135081, 1},  {{2100, 3, 1}, 47541, 0},
        {{1, 1, 1}, -719162, 0},   {{9999, 12, 31}, 2932896, 4}, {{2024, 3, 4}, 19786, 0},
    };
    for (const auto& k : known) {
        INFO(okarchive::isoDate(k.date));
        REQUIRE(okarchive::daysFromCivil(k.date) == k.days);
        REQUIRE(okarchive::civilFromDays(k.days) == k.date);
        REQUIRE(okarchive::weekdayFromDays(k.days) == k.weekday);
    }
    REQUIRE(okarchive::daysFromCivil(2024, 3, 1) - okarchive::daysFromCivil(2024, 2, 28) == 2);
    REQUIRE(okarchive::daysFromCivil(2023, 3, 1) - okarchive::daysFromCivil(2023, 2, 28) == 1);
}

TEST_CASE("day numbers round-trip and agree with std::chrono over a wide range") {
    using namespace std::chrono;
    for (std::int64_t day = -800000; day < 800000; day += 997) {
        const CivilDate date = okarchive::civilFromDays(day);
        REQUIRE(okarchive::daysFromCivil(date) == day);
        const year_month_day ymd{sys_days{days{day}}};
        REQUIRE(date.year == static_cast<int>(ymd.year()));
        REQUIRE(date.month == static_cast<unsigned>(ymd.month()));
        REQUIRE(date.day == static_cast<unsigned>(ymd.day()));
        REQUIRE(okarchive::weekdayFromDays(day) == static_cast<int>(weekday{sys_days{days{day}}}.iso_encoding()) - 1);
    }
    for (std::int64_t day = -1000; day <= 1000; ++day) {  // every day around the epoch, month and year ends included
        REQUIRE(okarchive::daysFromCivil(okarchive::civilFromDays(day)) == day);
        REQUIRE(okarchive::civilFromDays(day + 1) != okarchive::civilFromDays(day));
    }
}

TEST_CASE("leap years and month lengths follow the Gregorian rules") {
    REQUIRE(okarchive::isLeapYear(2000));
    REQUIRE(okarchive::isLeapYear(2024));
    REQUIRE_FALSE(okarchive::isLeapYear(1900));
    REQUIRE_FALSE(okarchive::isLeapYear(2023));
    REQUIRE(okarchive::daysInMonth(2024, 2) == 29);
    REQUIRE(okarchive::daysInMonth(2100, 2) == 28);
    REQUIRE(okarchive::daysInMonth(2023, 4) == 30);
    REQUIRE(okarchive::daysInMonth(2023, 12) == 31);
    REQUIRE(okarchive::isValidDate({2000, 2, 29}));
    REQUIRE_FALSE(okarchive::isValidDate({1900, 2, 29}));
    REQUIRE_FALSE(okarchive::isValidDate({2024, 4, 31}));
    REQUIRE_FALSE(okarchive::isValidDate({2024, 13, 1}));
    REQUIRE_FALSE(okarchive::isValidDate({2024, 0, 1}));
    REQUIRE_FALSE(okarchive::isValidDate({2024, 1, 0}));
}

TEST_CASE("floor division rounds toward negative infinity") {
    REQUIRE(okarchive::floorDiv(7, 2) == 3);
    REQUIRE(okarchive::floorDiv(-7, 2) == -4);
    REQUIRE(okarchive::floorDiv(-8, 2) == -4);
    REQUIRE(okarchive::floorDiv(7, -2) == -4);
    REQUIRE(okarchive::floorDiv(-1, 86'400'000) == -1);
    REQUIRE(okarchive::floorMod(-1, 7) == 6);
    REQUIRE(okarchive::floorMod(-7, 7) == 0);
    REQUIRE(okarchive::floorMod(15, 7) == 1);
}

TEST_CASE("ISO dates are zero-padded and years outside 0 to 9999 are written in full") {
    REQUIRE(okarchive::isoDate({2024, 3, 4}) == "2024-03-04");
    REQUIRE(okarchive::isoDate({987, 11, 30}) == "0987-11-30");
    REQUIRE(okarchive::isoDate({12000, 1, 1}) == "12000-01-01");
    REQUIRE(okarchive::isoDate({-1, 12, 31}) == "-1-12-31");
    std::string out = "at ";
    okarchive::appendIsoDate(out, {1969, 12, 31});
    REQUIRE(out == "at 1969-12-31");
}
