#include <cstdint>
#include <catch2/catch.hpp>

#include "domain/JsonText.h"
#include "domain/TimeFormat.h"

using okarchive::jsonString;

TEST_CASE("JSON strings escape controls and keep valid UTF-8") {
    REQUIRE(jsonString("a\"b\\c") == R"("a\"b\\c")");
    REQUIRE(jsonString(std::string("x\0y", 3)) == R"("x\u0000y")");
    REQUIRE(jsonString("\n\t\x1f") == R"("\n\t\u001f")");
    REQUIRE(jsonString("Привет 👋 \u202e") == "\"Привет 👋 \u202e\"");
}

TEST_CASE("JSON strings write lone surrogates back as escapes and replace other bad bytes") {
    REQUIRE(jsonString("\xED\xA0\x80") == R"("\ud800")");
    REQUIRE(jsonString("a\xFFz") == "\"a\xEF\xBF\xBDz\"");
    REQUIRE(jsonString("\xC3") == "\"\xEF\xBF\xBD\"");
}

TEST_CASE("ISO 8601 UTC with milliseconds") {
    REQUIRE(okarchive::formatIsoUtc(1498581292941) == "2017-06-27T16:34:52.941Z");
    REQUIRE(okarchive::formatIsoUtc(0) == "1970-01-01T00:00:00.000Z");
    REQUIRE(okarchive::formatIsoUtc(-1) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("ISO 8601 UTC is safe for any int64: times beyond four-digit years are clamped, never wrapped") {
    REQUIRE(okarchive::formatIsoUtc(INT64_MAX) == "9999-12-31T23:59:59.999Z");  // was year -6911 (overflow)
    REQUIRE(okarchive::formatIsoUtc(INT64_MIN) == "0000-01-01T00:00:00.000Z");
    REQUIRE(okarchive::formatIsoUtc(253402300799999) == "9999-12-31T23:59:59.999Z");
    REQUIRE(okarchive::formatIsoUtc(253402300800000) == "9999-12-31T23:59:59.999Z");
    REQUIRE(okarchive::formatIsoUtc(-62167219200000) == "0000-01-01T00:00:00.000Z");
    REQUIRE(okarchive::formatIsoUtc(-62167219200001) == "0000-01-01T00:00:00.000Z");
}
