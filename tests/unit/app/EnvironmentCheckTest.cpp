#include <catch2/catch.hpp>

#include <algorithm>

#include "app/EnvironmentCheck.h"
#include "app/Settings.h"

using namespace okarchive;

TEST_CASE("an OKARCHIVE_ variable okarchive does not read is named with the known name it is closest to") {
    const auto warnings = unknownEnvironmentWarnings(
        {"OKARCHIVE_SYNC_PAGESIZE", "OKARCHIVE_ACCES_TOKEN", "OKARCHIVE_CONFG", "OKARCHIVE_API_TIMEOUT"});
    REQUIRE(warnings.size() == 4);
    CHECK(warnings[0] ==
          "unknown environment variable OKARCHIVE_SYNC_PAGESIZE (did you mean OKARCHIVE_SYNC_PAGE_SIZE?)");
    CHECK(warnings[1] == "unknown environment variable OKARCHIVE_ACCES_TOKEN (did you mean OKARCHIVE_ACCESS_TOKEN?)");
    CHECK(warnings[2] == "unknown environment variable OKARCHIVE_CONFG (did you mean OKARCHIVE_CONFIG?)");
    CHECK(warnings[3] == "unknown environment variable OKARCHIVE_API_TIMEOUT (did you mean OKARCHIVE_API_TIMEOUT_MS?)");
}

TEST_CASE("a name far from every known one gets no guess, only how names are made") {
    const auto warnings = unknownEnvironmentWarnings({"OKARCHIVE_FROBNICATE_EVERYTHING"});
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::StartsWith("unknown environment variable OKARCHIVE_FROBNICATE_EVERYTHING (") &&
                                !Catch::Contains("did you mean") && Catch::Contains("OKARCHIVE_SYNC_PAGE_SIZE"));
}

TEST_CASE("every setting's variable, the token, the config path and the scripts' own names raise no warning") {
    std::vector<std::string> names = {"OKARCHIVE_ACCESS_TOKEN",
                                      "OKARCHIVE_CONFIG",
                                      "OKARCHIVE_BUILD_DIR",
                                      "OKARCHIVE_ASAN_BUILD_DIR",
                                      "OKARCHIVE_ASAN_OPT",
                                      "OKARCHIVE_DEMO_DIR",
                                      "OKARCHIVE_BIN",
                                      "OKARCHIVE_BENCH_DIR",
                                      "OKARCHIVE_UPDATE_GOLDEN",
                                      "OKARCHIVE",
                                      "PATH",
                                      "okarchive_sync_chats"};
    for (const auto& s : knownSettings()) names.push_back(environmentNameFor(s.key));
    CHECK(unknownEnvironmentWarnings(names).empty());
    const auto known = knownEnvironmentNames();
    CHECK(std::find(known.begin(), known.end(), "OKARCHIVE_SYNC_PAGE_SIZE") != known.end());
}

TEST_CASE("an unknown name holding control characters is shown inert") {
    const auto warnings = unknownEnvironmentWarnings({"OKARCHIVE_X\x1b]0;pwned\x07"});
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find('\x1b') == std::string::npos);
    CHECK(warnings[0].find('\x07') == std::string::npos);
}
