#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "domain/Errors.h"
#include "domain/TimeZone.h"

using okarchive::TimeZone;

// Expected instants and offsets below were computed independently (Python's zoneinfo over the same tzdata, and
// the published rules: Moscow UTC+4 from 2011-03-27 until 2014-10-26 02:00 local, UTC+3 after).

TEST_CASE("Moscow was UTC+4 from 2011 to 2014 and is UTC+3 since 2014-10-26") {
    const auto moscow = TimeZone::load("Europe/Moscow");
    REQUIRE(moscow.name() == "Europe/Moscow");
    REQUIRE(moscow.offsetSecondsAt(1341100800000) == 4 * 3600);  // 2012-07-01T00:00Z
    REQUIRE(moscow.offsetSecondsAt(1414274399999) == 4 * 3600);  // 2014-10-25T21:59:59.999Z
    REQUIRE(moscow.offsetSecondsAt(1414274400000) == 3 * 3600);  // 2014-10-25T22:00Z, the switch
    REQUIRE(moscow.offsetSecondsAt(1498581292941) == 3 * 3600);  // 2017
    REQUIRE(moscow.localIso(1498581292941) == "2017-06-27T19:34:52.941+03:00");
    REQUIRE(moscow.localIso(1414274399999) == "2014-10-26T01:59:59.999+04:00");
    REQUIRE(moscow.localIso(1414274400000) == "2014-10-26T01:00:00.000+03:00");
    REQUIRE(moscow.localDate(1498581292941) == "2017-06-27");
    REQUIRE(moscow.localTime(1498581292941) == "19:34");
    // 2017-06-27T21:30Z is already the 28th in Moscow.
    REQUIRE(moscow.localDate(1498599000000) == "2017-06-28");
    REQUIRE(moscow.localTime(1498599000000) == "00:30");
    REQUIRE(moscow.localWeekday(1498599000000) == 2);  // Wednesday (Monday = 0)
}

TEST_CASE("New York switches to and from daylight time at the 2025 instants") {
    const auto ny = TimeZone::load("America/New_York");
    REQUIRE(ny.offsetSecondsAt(1741503600000) == -4 * 3600);  // 2025-03-09T07:00Z
    REQUIRE(ny.offsetSecondsAt(1741503599999) == -5 * 3600);  // one ms before
    REQUIRE(ny.offsetSecondsAt(1762063200000) == -5 * 3600);  // 2025-11-02T06:00Z
    REQUIRE(ny.offsetSecondsAt(1762063199999) == -4 * 3600);  // one ms before
    REQUIRE(ny.localIso(1741503600000) == "2025-03-09T03:00:00.000-04:00");
    REQUIRE(ny.localIso(1741503599999) == "2025-03-09T01:59:59.999-05:00");
    REQUIRE(ny.localIso(1762063200000) == "2025-11-02T01:00:00.000-05:00");
    REQUIRE(ny.localIso(1762063199999) == "2025-11-02T01:59:59.999-04:00");
}

TEST_CASE("Instants after the last transition follow the footer's POSIX TZ rule") {
    // 2100 lies past every transition tzdata writes out, so only the TZ string (EST5EDT,M3.2.0,M11.1.0) decides.
    const auto ny = TimeZone::load("America/New_York");
    REQUIRE(ny.offsetSecondsAt(4108690800000) == -4 * 3600);  // 2100-03-14T07:00Z
    REQUIRE(ny.offsetSecondsAt(4108690799999) == -5 * 3600);
    REQUIRE(ny.offsetSecondsAt(4129250400000) == -5 * 3600);  // 2100-11-07T06:00Z
    REQUIRE(ny.offsetSecondsAt(4129250399999) == -4 * 3600);

    // Southern hemisphere: AEST-10AEDT,M10.1.0,M4.1.0/3 (daylight time spans the new year).
    const auto sydney = TimeZone::load("Australia/Sydney");
    REQUIRE(sydney.offsetSecondsAt(4103654400000) == 11 * 3600);  // 2100-01-15
    REQUIRE(sydney.offsetSecondsAt(4119292800000) == 10 * 3600);  // 2100-07-15
    REQUIRE(sydney.offsetSecondsAt(4110451199999) == 11 * 3600);  // 2100-04-03T15:59:59.999Z
    REQUIRE(sydney.offsetSecondsAt(4110451200000) == 10 * 3600);  // 2100-04-03T16:00Z
    REQUIRE(sydney.offsetSecondsAt(4126175999999) == 10 * 3600);  // 2100-10-02T15:59:59.999Z
    REQUIRE(sydney.offsetSecondsAt(4126176000000) == 11 * 3600);  // 2100-10-02T16:00Z

    // Half-hour offsets: NST3:30NDT and IST-5:30.
    REQUIRE(TimeZone::load("America/St_Johns").localIso(4118083200000) == "2100-06-30T21:30:00.000-02:30");
    REQUIRE(TimeZone::load("Asia/Kolkata").localIso(1577836800000) == "2020-01-01T05:30:00.000+05:30");
}

TEST_CASE("Local wall-clock times convert to UTC, gaps and overlaps landing on one side of the switch") {
    // Local times are given as ms since 1970-01-01T00:00 local; the UTC instants come from Python's zoneinfo.
    REQUIRE(TimeZone::utc().localToUtc(1709683200000) == 1709683200000);
    REQUIRE(TimeZone::load("Europe/Moscow").localToUtc(1709683200000) == 1709672400000);  // 2024-03-06 00:00
    const auto ny = TimeZone::load("America/New_York");
    REQUIRE(ny.localToUtc(1741489200000) == 1741503600000);  // 2025-03-09 03:00, just after the gap
    REQUIRE(ny.localToUtc(1741487400000) == 1741501800000);  // 02:30 does not exist: 01:30 EST (06:30Z)
    REQUIRE(ny.localToUtc(1762047000000) == 1762061400000);  // 2025-11-02 01:30 happens twice: the EDT one
    const auto berlin = TimeZone::load("Europe/Berlin");
    REQUIRE(berlin.localToUtc(1743301800000) == 1743298200000);  // 2025-03-30 02:30 does not exist: 03:30 CEST
    REQUIRE(berlin.localToUtc(1761445800000) == 1761442200000);  // 2025-10-26 02:30 happens twice: the CET one
}

TEST_CASE("UTC always works and formats with a +00:00 offset") {
    const auto utc = TimeZone::load("UTC");
    REQUIRE(utc.name() == "UTC");
    REQUIRE(utc.offsetSecondsAt(1498581292941) == 0);
    REQUIRE(utc.localIso(1498581292941) == "2017-06-27T16:34:52.941+00:00");
    REQUIRE(utc.localIso(-1) == "1969-12-31T23:59:59.999+00:00");
    REQUIRE(utc.localDate(0) == "1970-01-01");
    REQUIRE(utc.localTime(-60000) == "23:59");
    REQUIRE(utc.localWeekday(0) == 3);  // Thursday (Monday = 0)

    // Even with no tzdata at all.
    const char* old = std::getenv("TZDIR");
    std::string saved = old ? old : "";
    ::setenv("TZDIR", "/nonexistent-zoneinfo", 1);
    REQUIRE(TimeZone::load("UTC").offsetSecondsAt(0) == 0);
    REQUIRE_THROWS_AS(TimeZone::load("Europe/Moscow"), okarchive::UsageError);
    if (old)
        ::setenv("TZDIR", saved.c_str(), 1);
    else
        ::unsetenv("TZDIR");
}

TEST_CASE("Unknown or malformed zone names are usage errors naming the zone") {
    for (const std::string bad : {"Mars/Olympus_Mons", "Europe", "../../etc/passwd", "/etc/localtime", "",
                                  "Europe/Moscow/", "Europe//Moscow", "Europe/Mos cow"}) {
        INFO(bad);
        try {
            TimeZone::load(bad);
            FAIL("no exception");
        } catch (const okarchive::UsageError& e) {
            REQUIRE(std::string(e.what()).find("\"" + bad + "\"") != std::string::npos);
        }
    }
}

TEST_CASE("A file that is not TZif is refused") {
    auto dir = std::filesystem::temp_directory_path() / "okarchive-tz-test";
    std::filesystem::create_directories(dir / "Fake");
    std::ofstream(dir / "Fake" / "Zone") << "this is not a tzif file";
    std::ofstream(dir / "Fake" / "Short", std::ios::binary) << std::string("TZif2\0\0\0", 8);
    ::setenv("TZDIR", dir.c_str(), 1);
    REQUIRE_THROWS_AS(TimeZone::load("Fake/Zone"), okarchive::UsageError);
    REQUIRE_THROWS_WITH(TimeZone::load("Fake/Short"), Catch::Contains("truncated"));
    ::unsetenv("TZDIR");
    std::filesystem::remove_all(dir);
}

TEST_CASE("One zone is safe to use from many threads at once") {
    const auto moscow = TimeZone::load("Europe/Moscow");
    std::vector<std::thread> threads;
    std::vector<int> ok(4, 0);
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&, i] {
            for (int k = 0; k < 20000; ++k)
                ok[i] += moscow.localIso(1414274399999 + (k % 2)) ==
                         (k % 2 ? "2014-10-26T01:00:00.000+03:00" : "2014-10-26T01:59:59.999+04:00");
        });
    for (auto& t : threads) t.join();
    for (int count : ok) REQUIRE(count == 20000);
}
