#include <catch2/catch.hpp>

#include "domain/Errors.h"
#include "service/ServiceConfig.h"
#include "service/StatusServer.h"

using namespace okarchive;
using namespace std::chrono_literals;

TEST_CASE("per-chat intervals override the default") {
    ServiceConfig c;
    c.interval = 15min;
    c.intervalOverrides["chat:A"] = 1min;
    REQUIRE(c.intervalFor("chat:A") == 1min);
    REQUIRE(c.intervalFor("chat:B") == 15min);
}

TEST_CASE("status.listen is HOST:PORT") {
    REQUIRE(StatusServer::parseListen("127.0.0.1:9477") == std::pair<std::string, std::uint16_t>("127.0.0.1", 9477));
    REQUIRE(StatusServer::parseListen("[::1]:80") == std::pair<std::string, std::uint16_t>("::1", 80));
    for (const char* bad : {"127.0.0.1", ":80", "host:99999", "host:x"})
        REQUIRE_THROWS_AS(StatusServer::parseListen(bad), UsageError);
}
