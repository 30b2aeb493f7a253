#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "exporters/SafeUrl.h"

using okarchive::safeHttpUrl;

TEST_CASE("Absolute http and https URLs with a host are accepted") {
    for (const std::string url : {"https://ok.ru/", "http://ok.ru", "HTTPS://OK.RU/x?y=1&z=2#f", "HtTp://a.b:8080/p",
                                  "https://user@ok.ru/", "https://[::1]:443/", "https://пример.рф/путь",
                                  "https://ok.ru/\"><script>alert(1)</script>", "https://ok.ru/a'b"}) {
        INFO(url);
        REQUIRE(safeHttpUrl(url) == url);
    }
}

TEST_CASE("Tabs and newlines are stripped before the check, as browsers do") {
    REQUIRE(safeHttpUrl("ht\ttps://ok.ru/\n") == "https://ok.ru/");
    REQUIRE(safeHttpUrl("https://ok\r\n.ru/") == "https://ok.ru/");
    REQUIRE_FALSE(safeHttpUrl("java\tscript:alert(1)"));
    REQUIRE_FALSE(safeHttpUrl("java\nscript:alert(1)"));
    REQUIRE_FALSE(safeHttpUrl("java\r\nscript:alert(1)"));
    REQUIRE_FALSE(safeHttpUrl("\tjavascript:alert(2)"));
    REQUIRE_FALSE(safeHttpUrl("\t\n\r"));
}

TEST_CASE("Every script, data and odd scheme is refused whatever its case") {
    for (const std::string url : {"javascript:alert(1)",
                                  "JaVaScRiPt:alert(document.cookie)",
                                  "JAVASCRIPT:alert(1)",
                                  "vbscript:msgbox(1)",
                                  "VBScript:msgbox(1)",
                                  "data:text/html,<script>alert(1)</script>",
                                  "DATA:image/png;base64,AAAA",
                                  "file:///etc/passwd",
                                  "ftp://ok.ru/",
                                  "mailto:a@b.c",
                                  "tel:+79493344555",
                                  "blob:https://ok.ru/x",
                                  "about:blank",
                                  "chrome://settings",
                                  "intent://x#Intent;end",
                                  "httpx://ok.ru",
                                  "http+evil://ok.ru",
                                  "https",
                                  "https:",
                                  "http:ok.ru",
                                  "https:/ok.ru",
                                  "https:///ok.ru",
                                  "https://",
                                  "https://@/",
                                  "https://:443/",
                                  "https:\\\\evil.com",
                                  "https://evil.com\\@ok.ru"}) {
        INFO(url);
        REQUIRE_FALSE(safeHttpUrl(url));
    }
}

TEST_CASE("Entity and percent tricks, leading spaces and controls are refused") {
    for (const std::string& url : std::vector<std::string>{"&#106;avascript:alert(1)",
                                                           "&#x6A;avascript:alert(1)",
                                                           "javascript&colon;alert(1)",
                                                           "java&#09;script:alert(1)",
                                                           "https&colon;//ok.ru",
                                                           "%6Aavascript:alert(1)",
                                                           "%68ttps://ok.ru",
                                                           " https://ok.ru/",
                                                           "  javascript:alert(1)",
                                                           "\x01https://ok.ru/",
                                                           "\x0Bjavascript:alert(1)",
                                                           "\x0Cjavascript:alert(1)",
                                                           std::string("\0https://ok.ru/", 14),
                                                           "https://ok.ru/ x",
                                                           "https://ok.ru/\x7F",
                                                           std::string("https://ok.ru/\0", 15),
                                                           "\xC2\xA0https://ok.ru/",
                                                           "https://ok.ru/\xFF",
                                                           "https://ok.ru/\xED\xA0\x80",
                                                           "//evil.com/x",
                                                           "///evil.com",
                                                           "/relative/path",
                                                           "?q=1",
                                                           "#frag",
                                                           "ok.ru/path",
                                                           "",
                                                           " ",
                                                           "\xEF\xBB\xBFhttps://ok.ru/",
                                                           "\xE2\x80\xAEhttps://ok.ru/",
                                                           "https://ok.ru/\xE2\x80\xAEgnp.exe",
                                                           "https://ok.ru/\xE2\x81\xA6x",
                                                           "https://ok.ru/\xE2\x80\x8Fx",
                                                           "https://ok.ru/\xD8\x9Cx"}) {
        INFO(url);
        REQUIRE_FALSE(safeHttpUrl(url));
    }
}
