#include <catch2/catch.hpp>

#include "domain/Media.h"
#include "domain/MediaLink.h"

using namespace okarchive;

TEST_CASE("mediaSource takes the url of media types and the photoUrl of a contact") {
    const auto image = mediaSource("IMAGE", R"({"id":"77","token":"t","url":"https:\/\/i.mycdn.me\/i?r=AB&sig=x"})");
    REQUIRE(image);
    CHECK(image->url == "https://i.mycdn.me/i?r=AB&sig=x");
    CHECK(image->identity == "IMAGE:id:77");
    const auto contact =
        mediaSource("CONTACT", R"({"id":5,"url":"https://x/u","photoUrl":"https://i/p?id=1&expires=9"})");
    REQUIRE(contact);
    CHECK(contact->url == "https://i/p?id=1&expires=9");
    CHECK(contact->identity == "CONTACT:link:https://i/p?id=1");
    const auto unknown = mediaSource("HOLOGRAM", R"({"url":"HTTP://holo/m.glb"})");
    REQUIRE(unknown);
    CHECK(unknown->identity == "HOLOGRAM:link:HTTP://holo/m.glb");
}

TEST_CASE("mediaSource refuses pages, other schemes and malformed payloads") {
    CHECK_FALSE(mediaSource("SHARE", R"({"url":"https://ya.ru/"})"));
    CHECK_FALSE(mediaSource("MUSIC", R"({"url":"https://ok.ru/music/track/1"})"));
    CHECK_FALSE(mediaSource("IMAGE", R"J({"url":"javascript:alert(1)"})J"));
    CHECK_FALSE(mediaSource("IMAGE", R"({"url":"file:///etc/passwd"})"));
CHECK_FALSE(mediaSource("IMAGE", R"({"url":42})"));
CHECK_FALSE(mediaSource("IMAGE", R"({"url":"https://x)"));
CHECK_FALSE(mediaSource("IMAGE", "null"));
}

TEST_CASE("stableLink drops only the volatile signing parameters") {
    CHECK(stableLink("https://h/v?id=1&expires=17&sig=ab&srcIp=1.2.3.4&q=2#f") == "https://h/v?id=1&q=2#f");
    CHECK(stableLink("https://h/v?expires=1&sig=2") == "https://h/v");
    CHECK(stableLink("https://h/v") == "https://h/v");
    CHECK(stableLink("https://h/v?sigma=1&x") == "https://h/v?sigma=1&x");
}

TEST_CASE("sameExceptVolatileLinks tells a fresh link from an edit") {
    const auto a =
        R"({"mid":"m","text":"hi","attachments":[{"type":"IMAGE","payload":{"url":"https://h/i?id=1&sig=A&expires=1"}}]})";
    const auto b =
        R"({"mid":"m","text":"hi","attachments":[{"type":"IMAGE","payload":{"url":"https:\/\/h\/i?id=1&sig=B&expires=2"}}]})";
    const auto edited =
        R"({"mid":"m","text":"hi!","attachments":[{"type":"IMAGE","payload":{"url":"https://h/i?id=1&sig=B"}}]})";
    const auto otherImage =
        R"({"mid":"m","text":"hi","attachments":[{"type":"IMAGE","payload":{"url":"https://h/i?id=2&sig=A"}}]})";
    CHECK(sameExceptVolatileLinks(a, b));
    CHECK_FALSE(sameExceptVolatileLinks(a, edited));
    CHECK_FALSE(sameExceptVolatileLinks(a, otherImage));
    CHECK_FALSE(sameExceptVolatileLinks(a, "{"));
}

TEST_CASE("media state names round-trip and the store path fans out by hash") {
    for (auto state : kAllMediaStates) CHECK(parseMediaState(mediaStateName(state)) == state);
    CHECK_FALSE(parseMediaState("done"));
    CHECK(mediaStorePath("abcdef0123") == "sha256/ab/cd/abcdef0123");
}
