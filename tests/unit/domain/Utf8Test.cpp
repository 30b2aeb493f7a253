#include <catch2/catch.hpp>

#include "domain/Utf8.h"

using okarchive::isValidText;
using okarchive::validText;

namespace {

const std::string kFffd = "\xEF\xBF\xBD";

}  // namespace

TEST_CASE("Valid text is well-formed UTF-8 without NUL") {
    REQUIRE(isValidText(""));
    REQUIRE(isValidText("plain, Привет, 👋, \u202E, \t\r\n\x01\x7F"));
    REQUIRE_FALSE(isValidText(std::string("a\0b", 3)));
    REQUIRE_FALSE(isValidText("\xED\xA0\x80"));      // a stored lone surrogate
    REQUIRE_FALSE(isValidText("\xC0\xAF"));          // overlong
    REQUIRE_FALSE(isValidText("\xF4\x90\x80\x80"));  // past U+10FFFF
    REQUIRE_FALSE(isValidText("\xE2\x82"));          // cut
    REQUIRE_FALSE(isValidText("\x80"));              // a stray continuation byte
}

TEST_CASE("validText replaces NUL, each lone surrogate and each invalid byte by one U+FFFD") {
    REQUIRE(validText(std::string("NUL\0!", 5)) == "NUL" + kFffd + "!");
    REQUIRE(validText("[\xED\xA0\x80][\xED\xBF\xBF]") == "[" + kFffd + "][" + kFffd + "]");
    REQUIRE(validText("a\xFF\xC3z") == "a" + kFffd + kFffd + "z");
    REQUIRE(validText("\xE2\x82") == kFffd + kFffd);
    const std::string good = "Семейный чат 👋 \u202E";
    REQUIRE(validText(good) == good);
    REQUIRE(isValidText(validText(std::string("\0\xED\xA0\x80\xFF", 5))));
}
