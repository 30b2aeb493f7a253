#include <catch2/catch.hpp>

#include "domain/CoverageSet.h"

using okarchive::CoverageSet;
using okarchive::TimeRange;

TEST_CASE("coverage merges overlapping and adjacent ranges") {
    CoverageSet c;
    c.add({10, 20});
    c.add({30, 40});
    REQUIRE(c.ranges().size() == 2);
    c.add({21, 29});  // adjacent on both sides
    REQUIRE(c.ranges() == std::vector<TimeRange>{{10, 40}});
    c.add({5, 12});
    c.add({38, 50});
    REQUIRE(c.ranges() == std::vector<TimeRange>{{5, 50}});
    c.add({52, 60});  // one ms apart: not adjacent
    REQUIRE(c.ranges() == std::vector<TimeRange>{{5, 50}, {52, 60}});
    c.add({7, 3});  // empty: ignored
    REQUIRE(c.ranges().size() == 2);
}

TEST_CASE("coverage gaps are listed newest first and clipped") {
    CoverageSet c({{10, 20}, {30, 40}});
    REQUIRE(c.gaps({0, 50}) == std::vector<TimeRange>{{41, 50}, {21, 29}, {0, 9}});
    REQUIRE(c.gaps({15, 35}) == std::vector<TimeRange>{{21, 29}});
    REQUIRE(c.gaps({12, 18}).empty());
    REQUIRE(c.gaps({0, 5}) == std::vector<TimeRange>{{0, 5}});
    REQUIRE(CoverageSet().gaps({1, 2}) == std::vector<TimeRange>{{1, 2}});
    REQUIRE(c.gaps({41, 40}).empty());
}

TEST_CASE("coverage handles the int64 extremes") {
    CoverageSet c;
    c.add({0, TimeRange::kMax});
    c.add({5, TimeRange::kMax});
    REQUIRE(c.ranges() == std::vector<TimeRange>{{0, TimeRange::kMax}});
    REQUIRE(c.covers(TimeRange::kMax));
    REQUIRE(c.gaps({0, TimeRange::kMax}).empty());
}
