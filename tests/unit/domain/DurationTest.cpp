#include <catch2/catch.hpp>

#include "domain/Errors.h"
#include "domain/Duration.h"

using namespace okarchive;
using namespace std::chrono_literals;

TEST_CASE("durations: units, combinations, and errors that name the key") {
    REQUIRE(parseDuration("30s", "k") == 30s);
    REQUIRE(parseDuration("15m", "k") == 15min);
    REQUIRE(parseDuration("1h", "k") == 1h);
    REQUIRE(parseDuration("1h30m", "k") == 90min);
    REQUIRE(parseDuration("2d", "k") == 48h);
    REQUIRE(parseDuration("500ms", "k") == 500ms);
    for (const char* bad : {"", "15", "m", "1x", "0s", "-1s", "1 h", "1.5h"})
        REQUIRE_THROWS_WITH(parseDuration(bad, "sync.interval"), Catch::Contains("sync.interval"));
}
