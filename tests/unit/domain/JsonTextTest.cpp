#include <cstdint>
#include <catch2/catch.hpp>

#include "domain/JsonText.h"
#include "domain/TimeFormat.h"

using okarchive::JsonFidelity;
using okarchive::jsonString;

TEST_CASE("JSON strings escape controls and keep valid UTF-8") {
    REQUIRE(jsonString("a\"b\\c") == R"("a\"b\\c")");
    REQUIRE(jsonString(std::string("x\0y", 3), JsonFidelity::Verbatim) == R"("x\u0000y")");
    REQUIRE(jsonString("\n\t\x1f") == R"("\n\t\u001f")");
    REQUIRE(jsonString("Привет 👋 \u202e") == "\"Привет 👋 \u202e\"");
}

TEST_CASE("Verbatim JSON strings write lone surrogates back as escapes and replace other bad bytes") {
    REQUIRE(jsonString("\xED\xA0\x80", JsonFidelity::Verbatim) == R"("\ud800")");
    REQUIRE(jsonString("\xED\xBF\xBF", JsonFidelity::Verbatim) == R"("\udfff")");
    REQUIRE(jsonString("a\xFFz", JsonFidelity::Verbatim) == "\"a\xEF\xBF\xBDz\"");
    REQUIRE(jsonString("\xC3", JsonFidelity::Verbatim) == "\"\xEF\xBF\xBD\"");
}

TEST_CASE("Valid JSON strings replace NUL, lone surrogates and invalid UTF-8 by U+FFFD") {
    const std::string fffd = "\xEF\xBF\xBD";
    REQUIRE(jsonString(std::string("x\0y", 3)) == "\"x" + fffd + "y\"");
    REQUIRE(jsonString("\xED\xA0\x80") == "\"" + fffd + "\"");  // one U+FFFD per stored surrogate, not three
    REQUIRE(jsonString("a\xED\xB0\x80\xED\xA0\x80"
                       "b") == "\"a" + fffd + fffd + "b\"");
    REQUIRE(jsonString("a\xFFz") == "\"a" + fffd + "z\"");
    REQUIRE(jsonString("\xC3") == "\"" + fffd + "\"");
    REQUIRE(jsonString("\x01 \x7f \u202e 👋") == "\"\\u0001 \\u007f \u202e 👋\"");  // other controls stay escapes
}

namespace {

std::string validJson(std::string_view json) {
    std::string out;
    okarchive::appendValidJson(out, json);
    return out;
}

}  // namespace

TEST_CASE("Spliced JSON is made valid: NUL and lone surrogate escapes become the U+FFFD escape, bad bytes U+FFFD") {
    REQUIRE(validJson(R"({"a":"\ud800","b":"\udc00x","c":"\u0000","d":"\uD800\u0041"})") ==
            R"({"a":"\ufffd","b":"\ufffdx","c":"\ufffd","d":"\ufffd\u0041"})");
    REQUIRE(validJson(R"(["\ud800\ud83d\ude00"])") == R"(["\ufffd\ud83d\ude00"])");  // the pair after it stays
    REQUIRE(validJson("[\"\xED\xA0\x80 \xFF\"]") == "[\"\xEF\xBF\xBD \xEF\xBF\xBD\"]");
    // Kept as they are: an escaped backslash before "u0000", other escapes, valid UTF-8, a cut escape at the end.
    const std::string kept = R"({"k":"\\u0000 \\\"\n\u00e9\uD83D\uDE00","t":"Привет 👋"})";
    REQUIRE(validJson(kept) == kept);
    REQUIRE(validJson("\"\\u12") == "\"\\u12");
    REQUIRE(validJson("\"\\") == "\"\\");
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
