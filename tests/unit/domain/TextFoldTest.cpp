#include <catch2/catch.hpp>

#include "domain/TextFold.h"

using okarchive::containsFolded;
using okarchive::foldCase;

TEST_CASE("case folding covers Latin, Cyrillic and Greek and leaves the rest alone") {
    REQUIRE(foldCase("Hello WORLD") == "hello world");
    REQUIRE(foldCase("ПРИВЕТ, Ёжик") == "привет, ёжик");
    REQUIRE(foldCase("ÀÉÎÕÜ × Ÿ") == "àéîõü × ÿ");
    REQUIRE(foldCase("ΑΒΓ") == "αβγ");
    REQUIRE(foldCase("ŁÓDŹ") == "łódź");
    REQUIRE(foldCase("emoji 👋 stays") == "emoji 👋 stays");
    REQUIRE(foldCase(std::string("a\0B\xFF", 4)) == std::string("a\0b\xFF", 4));
}

TEST_CASE("folded containment") {
    REQUIRE(containsFolded("Встреча в ПЯТНИЦУ", foldCase("пятницу")));
    REQUIRE_FALSE(containsFolded("Встреча", foldCase("суббота")));
    REQUIRE(containsFolded("anything", ""));
}
