#include <catch2/catch.hpp>

#include "InteropTestSupport.h"
#include "domain/TimeZone.h"
#include "exporters/TxtExporter.h"

using namespace okarchive;
using namespace okarchive::test;

namespace {

std::string exportTxt(const std::vector<Message>& messages, Locale locale = Locale::English) {
    return exportInMoscow(messages, "txt", locale);
}

std::string plain(std::string_view text, bool multiline) {
    std::string out;
    appendPlainText(out, text, multiline);
    return out;
}

const std::int64_t t0 = 1498581292941;  // 2017-06-27T16:34:52.941Z = Tuesday 19:34 in Moscow

std::vector<Message> smallChat() {
    std::vector<Message> v;
    v.push_back(textMessage("mid:a", t0, 1, "user:1", "Ivan", "Hello\nsecond line"));
    auto photo = textMessage("mid:b", t0 + 60000, 2, "user:2", "Olga", "look");
    photo.attachments.push_back({"IMAGE", R"({"url":"https://i.mycdn.me/i?r=1"})"});
    photo.attachments.push_back({"FILE", R"J({"url":"javascript:alert(1)","name":"a.pdf"})J"});
    photo.attachments.push_back({"LOCATION", R"({"latitude":59.9,"longitude":30.3})"});
    photo.attachments.push_back({"HOLOGRAM", "not json"});
    v.push_back(photo);
    v.push_back(serviceMessage("mid:c", t0 + 120000, 3, "user:1", "Ivan", R"({"ui":4,"ty":"ADD"})", "ADD", "user:4"));
    auto reply = textMessage("mid:d", 1498599000000, 4, "user:2", "Olga", std::nullopt);  // 00:30 on the 28th
    reply.replyTo = "mid:a";
    reply.attachments.push_back({"STICKER", R"({"url":"https://i.mycdn.me/s"})"});
    v.push_back(reply);
    auto lost = textMessage("mid:e", 1498599060000, 5, "", "", "?");
    lost.replyTo = "mid:gone";
    v.push_back(lost);
    return v;
}

}  // namespace

TEST_CASE("txt export writes a transcript with date headers, indented lines, tags, replies and sentences") {
    const std::string expected =
        "Семейный чат\n"
        "\n--- Tuesday, 27 June 2017 ---\n"
        "[19:34] Ivan: Hello\n"
        "    second line\n"
        "[19:35] Olga: look\n"
        "    [Photo: https://i.mycdn.me/i?r=1]\n"
        "    [File: a.pdf]\n"
        "    [Location: 59.9,30.3]\n"
        "    [HOLOGRAM]\n"
        "[19:36] * Ivan added Anna\n"
        "\n--- Wednesday, 28 June 2017 ---\n"
        "[00:30] Olga (reply to Ivan, 2017-06-27 19:34): [Sticker: https://i.mycdn.me/s]\n"
        "[00:31] someone (reply to a message not in the archive): ?\n";
    CHECK(exportTxt(smallChat()) == expected);
}

TEST_CASE("txt export speaks Russian with --locale=ru") {
    const std::string text = exportTxt(smallChat(), Locale::Russian);
    CHECK(text.find("\n--- вторник, 27 июня 2017 г. ---\n") != std::string::npos);
    CHECK(text.find("    [Фото: https://i.mycdn.me/i?r=1]\n") != std::string::npos);
    CHECK(text.find("[00:30] Olga (ответ на сообщение Ivan, 2017-06-27 19:34): ") != std::string::npos);
    CHECK(text.find("[00:31] кто-то (ответ на сообщение, которого нет в архиве): ?\n") != std::string::npos);
}

TEST_CASE("txt export leaves nothing a terminal would obey and writes valid UTF-8") {
    CHECK(plain("a\x1b[31mred\x07\x01z"
                "\x9b",
                true) == "a\xEF\xBF\xBD[31mred\xEF\xBF\xBD\xEF\xBF\xBDz\xEF\xBF\xBD");
    CHECK(plain(std::string("nul\0x", 5), true) == "nul\xEF\xBF\xBDx");
    CHECK(plain("C1 \xC2\x9B"
                "2J and DEL \x7F",
                true) ==
          "C1 \xEF\xBF\xBD"
          "2J and DEL \xEF\xBF\xBD");
    CHECK(plain("lone \xED\xA0\x80 surrogate", true) == "lone \xEF\xBF\xBD surrogate");
    CHECK(plain("line\r\nnext\rover", true) == "line\nnext\xEF\xBF\xBDover");
    CHECK(plain("tab\there\nnew", false) == "tab here new");
    CHECK(plain("emoji 👋 и кириллица, עברית \u200F", true) == "emoji 👋 и кириллица, עברית \u200F");
    CHECK(plain("Alexei\u202Egnp.exe \u2066x\u2069 \u202A", false) == "Alexei\uFFFDgnp.exe \uFFFDx\uFFFD \uFFFD");
    CHECK(plain("overlong \xC0\xAF \xE0\x80\xAF cut \xE2\x82", true) ==
          "overlong \xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD cut \xEF\xBF\xBD\xEF\xBF\xBD");

    std::vector<Message> v;
    v.push_back(textMessage("mid:x", t0, 1, "user:9", "Evil\n[19:00] Admin", "\x1b]0;title\x07ok\nnext\x1b[2J"));
    const std::string text = exportTxt(v);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find('\x07') == std::string::npos);
    CHECK(text.find("[19:34] Evil [19:00] Admin: \xEF\xBF\xBD]0;title\xEF\xBF\xBDok\n    next\xEF\xBF\xBD[2J\n") !=
          std::string::npos);
}

TEST_CASE("txt export names a replied message whose sender has no name as someone") {
    std::vector<Message> v;
    v.push_back(textMessage("mid:a", t0, 1, "user:1", "", "first"));
    auto reply = textMessage("mid:b", t0 + 60000, 2, "user:2", "Olga", "second");
    reply.replyTo = "mid:a";
    v.push_back(reply);
    CHECK(exportTxt(v).find("[19:35] Olga (reply to someone, 2017-06-27 19:34): second\n") != std::string::npos);
    CHECK(exportTxt(v, Locale::Russian).find("[19:35] Olga (ответ на сообщение кого-то, 2017-06-27 19:34): second\n") !=
          std::string::npos);
}

TEST_CASE("txt export breaks lines at U+2028 and U+2029 so no Unicode line reader sees a forged entry") {
    // Python's str.splitlines(), editors and JavaScript viewers end a line at LINE and PARAGRAPH SEPARATOR.
    CHECK(plain("a\u2028b\u2029c", true) == "a\nb\nc");
    CHECK(plain("Evil\u2028[19:00] Admin", false) == "Evil [19:00] Admin");

    std::vector<Message> v;
    v.push_back(textMessage("mid:x", t0, 1, "user:9", "Eve\u2029[19:00] Admin", "hi\u2028[19:01] Admin: forged"));
    const std::string text = exportTxt(v);
    CHECK(text.find("\u2028") == std::string::npos);
    CHECK(text.find("\u2029") == std::string::npos);
    CHECK(text.find("[19:34] Eve [19:00] Admin: hi\n    [19:01] Admin: forged\n") != std::string::npos);
}
