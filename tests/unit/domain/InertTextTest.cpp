#include <catch2/catch.hpp>

#include "domain/ChatId.h"
#include "domain/InertText.h"

using namespace okarchive;

TEST_CASE("inertText leaves ordinary text, Cyrillic and emoji as they are", "[inert]") {
    CHECK(inertText("Alice") == "Alice");
    CHECK(inertText("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xF0\x9F\x98\x80") ==
          "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xF0\x9F\x98\x80");
    CHECK(inertText("") == "");
}

TEST_CASE("inertText makes every terminal-steering character a visible '?'", "[inert]") {
    CHECK(inertText("\x1b[2J\x1b]0;title\x07") == "?[2J?]0;title?");  // ESC, OSC, BEL
    CHECK(inertText("a\nb\rc\td\x7f") == "a?b?c?d?");                 // no forged lines, DEL
    CHECK(inertText(std::string("nul\0x", 5)) == "nul?x");
    CHECK(inertText("\xC2\x9B"
                    "31m") == "?31m");  // C1 CSI U+009B
    CHECK(inertText("\xE2\x80\xAE"
                    "cod.exe") == "?cod.exe");                                     // RIGHT-TO-LEFT OVERRIDE U+202E
    CHECK(inertText("\xE2\x81\xA6x\xE2\x81\xA9\xE2\x80\x8F\xD8\x9C") == "?x???");  // isolates, RLM, ALM
}

TEST_CASE("inertText replaces each byte of invalid UTF-8", "[inert]") {
    CHECK(inertText("\xFF\xFE") == "??");
    CHECK(inertText("a\xC3") == "a?");               // cut sequence
    CHECK(inertText("\xC0\x9B") == "??");            // overlong ESC
    CHECK(inertText("\xE0\x80\x9B") == "???");       // overlong, three bytes
    CHECK(inertText("\xED\xA0\x80") == "???");       // a surrogate
    CHECK(inertText("\xF4\x90\x80\x80") == "????");  // past U+10FFFF
}

TEST_CASE("inertText cuts after maxChars characters, inertLines keeps line breaks", "[inert]") {
    CHECK(inertText("abcdef", 3) == "abc...");
    CHECK(inertText("abc", 3) == "abc");
    CHECK(inertText("\xD0\x96\xD0\x96\xD0\x96", 2) == "\xD0\x96\xD0\x96...");  // characters, not bytes
    CHECK(inertLines("line 1\nline \x1b[31m2\n") == "line 1\nline ?[31m2\n");
}

TEST_CASE("Chat ids follow one grammar: chat: then 1 to 128 of letters, digits, _ and -", "[ids]") {
    CHECK(isChatId("chat:C3ecb9d02a600"));
    CHECK(isChatId("chat:a_b-C9"));
    CHECK(isChatId("chat:" + std::string(128, 'x')));
    CHECK_FALSE(isChatId("chat:" + std::string(129, 'x')));
    CHECK_FALSE(isChatId("chat:"));
    CHECK_FALSE(isChatId("chat:../../../tmp/PWNED"));
    CHECK_FALSE(isChatId("chat:a b"));
    CHECK_FALSE(isChatId("chat:\x1b[2J"));
    CHECK_FALSE(isChatId("chat:\xD0\x96"));
    CHECK_FALSE(isChatId("user:123"));
    CHECK_FALSE(isChatId("CHAT:abc"));
    CHECK(shownChatId("chat:\x1b[2J" + std::string(100, 'z')) == "chat:?[2J" + std::string(51, 'z') + "...");
}
