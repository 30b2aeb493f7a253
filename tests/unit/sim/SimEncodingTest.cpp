#include <catch2/catch.hpp>

#include "sim/CommandLine.h"
#include "sim/IsoTime.h"
#include "sim/JsonEscape.h"

using namespace okarchive::sim;
using namespace std::literals;

TEST_CASE("sim canonical escaping follows the export rules", "[sim]") {
    CHECK(canonicalString("a\"b\\c/d") == R"("a\"b\\c/d")");
    CHECK(canonicalString("\n\r\t\b\f") == R"("\n\r\t\b\f")");
    CHECK(canonicalString("\0\x01\x1f\x7f"sv) == R"("\u0000\u0001\u001f\u007f")");
    CHECK(canonicalString("é😀") == "\"é😀\"");
    CHECK(canonicalString("x\xED\xA0\x80y") == R"("x\ud800y")");
    CHECK(canonicalString("bad\xFF"
                          "byte") ==
          "\"bad\xEF\xBF\xBD"
          "byte\"");
}

TEST_CASE("sim wire styles are valid escapes of the same text", "[sim]") {
    const auto text = "é/😀\x7f\xED\xA0\x80"s;
    std::string plain, slash, lower, upper;
    appendWireString(plain, text, EscapeStyle::Plain);
    appendWireString(slash, text, EscapeStyle::EscapeSlash);
    appendWireString(lower, text, EscapeStyle::UnicodeLower);
    appendWireString(upper, text, EscapeStyle::UnicodeUpper);
    CHECK(plain == "\"é/😀\x7f\\ud800\"");
    CHECK(slash == "\"é\\/😀\\u007f\\ud800\"");
    CHECK(lower == R"("\u00e9/\ud83d\ude00\u007f\ud800")");
    CHECK(upper == R"("\u00E9/\uD83D\uDE00\u007F\uD800")");
}

TEST_CASE("sim formats ISO time with milliseconds", "[sim]") {
    CHECK(isoTimeUtc(1498581292941) == "2017-06-27T16:34:52.941Z");
    CHECK(isoTimeUtc(0) == "1970-01-01T00:00:00.000Z");
    CHECK(isoTimeUtc(951782400000) == "2000-02-29T00:00:00.000Z");
    CHECK(isoTimeUtc(-1) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("sim command line takes both option styles and refuses bad ones", "[sim]") {
    const auto options = parseCommandLine({"--port=0", "--seed", "9", "--chat=chat:A=10:forbidden", "--chat",
                                           "chat:B=5", "--bounds=exclusive", "--cluster=120", "--cluster", "60",
                                           "--faults=500,reset", "--fault-rate=0.25", "--page-cap", "50"});
    const auto& config = options.config;
    CHECK(config.seed == 9);
    REQUIRE(config.chats.size() == 2);
    CHECK(config.chats[0].chatId == "chat:A");
    CHECK(config.chats[0].access == ChatSpec::Access::Forbidden);
    CHECK(config.chats[1].messages == 5);
    CHECK_FALSE(config.inclusiveBounds);
    CHECK(config.clusters == std::vector<std::size_t>{120, 60});
    CHECK(config.faultKinds == std::vector<std::string>{"500", "reset"});
    CHECK(config.faultRate == 0.25);
    CHECK(config.pageCap == 50);

    const auto defaults = parseCommandLine({});
    REQUIRE(defaults.config.chats.size() == 1);
    CHECK(defaults.config.chats[0].chatId == "chat:C3ecb9d02a600");
    CHECK(defaults.config.chats[0].messages == 20000);
    CHECK(parseCommandLine({"--messages=7", "--chat=chat:X=1"}).config.chats.size() == 2);

    CHECK_THROWS_AS(parseCommandLine({"--port=70000"}), std::invalid_argument);
    CHECK_THROWS_AS(parseCommandLine({"--bounds=sideways"}), std::invalid_argument);
    CHECK_THROWS_AS(parseCommandLine({"--faults=boom"}), std::invalid_argument);
    CHECK_THROWS_AS(parseCommandLine({"--fault-rate=2"}), std::invalid_argument);
    CHECK_THROWS_AS(parseCommandLine({"--chat=nochat=5"}), std::invalid_argument);
    CHECK_THROWS_AS(parseCommandLine({"--wat"}), std::invalid_argument);
    CHECK_THROWS_AS(parseCommandLine({"--seed"}), std::invalid_argument);
    CHECK(parseCommandLine({"--help"}).help);
}
