#include <catch2/catch.hpp>

#include "exporters/HtmlText.h"

using namespace okarchive;

namespace {
std::string escaped(std::string_view text) {
    std::string out;
    appendHtmlEscaped(out, text);
    return out;
}
}  // namespace

TEST_CASE("HTML escaping covers the five special characters") {
    REQUIRE(escaped("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
    REQUIRE(escaped("\"><img src=x onerror=alert(1)>") == "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    REQUIRE(escaped("a & b ' c") == "a &amp; b &#39; c");
    REQUIRE(escaped("&amp;") == "&amp;amp;");
    REQUIRE(escaped("</title>") == "&lt;/title&gt;");
}

TEST_CASE("HTML escaping replaces what HTML cannot carry and keeps valid UTF-8") {
    const std::string fffd = "\xEF\xBF\xBD";
    REQUIRE(escaped(std::string("a\0b", 3)) == "a" + fffd + "b");
    REQUIRE(escaped("\x01\x1F\x7F") == fffd + fffd + fffd);
    REQUIRE(escaped("tab\tnl\ncr\r") == "tab\tnl\ncr\r");
    REQUIRE(escaped("\xED\xA0\x80") == fffd);  // a lone surrogate as the JSON reader stores it: one, as every export
    REQUIRE(escaped("a\xED\xBF\xBF"
                    "b\xED\xA0") == "a" + fffd + "b" + fffd + fffd);  // a cut one: per byte
    REQUIRE(escaped("ok\xFFok") == "ok" + fffd + "ok");
    REQUIRE(escaped("\xC3") == fffd);
    REQUIRE(escaped("\xC0\xAF") == fffd + fffd);  // overlong '/'
    REQUIRE(escaped("Привет 👋 \u202E") == "Привет 👋 \u202E");
}

TEST_CASE("URL components are percent-encoded so they need no attribute escaping") {
    std::string out;
    appendUrlComponent(out, "mid:C3.15c-_~");
    REQUIRE(out == "mid:C3.15c-_~");
    out.clear();
    appendUrlComponent(out, "a b\"<>'&#?/\\%й");
    REQUIRE(out == "a%20b%22%3C%3E%27%26%23%3F%2F%5C%25%D0%B9");
}

TEST_CASE("UTF-8 prefixes never split a character") {
    bool cut = false;
    REQUIRE(utf8Prefix("Привет", 3, &cut) == "При");
    REQUIRE(cut);
    REQUIRE(utf8Prefix("ab", 5, &cut) == "ab");
    REQUIRE_FALSE(cut);
    REQUIRE(utf8Prefix("👋👋", 1) == "👋");
    REQUIRE(isValidUtf8("Привет 👋"));
    REQUIRE_FALSE(isValidUtf8("\xED\xA0\x80"));
}

TEST_CASE("htmlEscaped returns what appendHtmlEscaped appends") {
    CHECK(htmlEscaped("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;");
    std::string appended = "x";
    appendHtmlEscaped(appended, "'<>'");
    CHECK("x" + htmlEscaped("'<>'") == appended);
}
