#include <catch2/catch.hpp>

#include <regex>

#include "ExportTestSupport.h"
#include "GoldenFixture.h"
#include "exporters/ExportJob.h"
#include "exporters/HtmlText.h"
#include "exporters/HtmlWords.h"
#include "exporters/PartIndex.h"

using namespace okarchive;
using namespace okarchive::test;

namespace {

const std::vector<std::string> kHostileTexts = {
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'><svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "<!-- comment --> <![CDATA[x]]> &amp; &lt;",
    "\u202Egnp.exe",
    "\xED\xA0\x80 lone surrogate",
    std::string("NUL\0byte", 8),
    "bad \xFF\xFE utf8 \xC3",
    "<a href=\"javascript:alert(1)\">click</a>",
};

const std::vector<std::string> kHostileUrls = {
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\tjavascript:alert(2)",
    " javascript:alert(3)",
    "\x01javascript:alert(4)",
    "&#106;avascript:alert(5)",
    "javascript&colon;alert(6)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x.png",
    "https://ok.ru/\"><script>alert(1)</script>",
};

/// Builds a JSON string literal (escaping what JSON needs) so hostile URLs can sit in payloads.
std::string jsonLiteral(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::vector<Message> hostileArchive() {
    std::vector<Message> v;
    std::int64_t t = 1700000000000;
    std::int64_t seq = 1;
    for (const auto& text : kHostileTexts) {
        auto m = textMessage("mid:text." + std::to_string(seq), t += 1000, seq, "user:" + text, text, text);
        ++seq;
        v.push_back(m);
    }
    for (const auto& url : kHostileUrls) {
        auto m = textMessage("mid:url." + std::to_string(seq), t += 1000, seq, "user:1", "Ivan", url);
        ++seq;
        for (const char* type : {"IMAGE", "VIDEO", "AUDIO", "FILE", "SHARE", "MUSIC", "STICKER", "HOLOGRAM"})
            m.attachments.push_back({type, "{\"url\":" + jsonLiteral(url) + ",\"name\":" + jsonLiteral(url) + "}"});
        m.attachments.push_back({"INLINE_KEYBOARD", "{\"buttons\":[[{\"type\":\"LINK\",\"text\":\"b\",\"url\":" +
                                                        jsonLiteral(url) + "}]]}"});
        m.attachments.push_back({"CONTACT", "{\"name\":" + jsonLiteral(url) + ",\"phone\":" + jsonLiteral(url) + "}"});
        v.push_back(m);
    }
    // Odd mids, a hostile unknown service kind, a 1 MB text, a reply quoting hostile text.
    v.push_back(textMessage("mid:\"><b>x</b>'", t += 1000, seq++, "user:2", "Olga", "odd mid"));
    v.push_back(serviceMessage("mid:svc.1", t += 1000, seq++, "user:2", "<i>Olga</i>", "{}", "<script>X</script>",
                               "user:<b>3</b>"));
    v.push_back(textMessage("mid:big", t += 1000, seq++, "user:2", "Olga", std::string(1 << 20, 'z') + "<end>"));
    auto reply = textMessage("mid:reply", t += 1000, seq++, "user:2", "Olga", "re");
    reply.replyTo = "mid:text.1";
    v.push_back(reply);
    return v;
}

std::string exportHtml(const std::vector<Message>& messages, ReplyResolver* resolver, const std::string& title,
                       Locale locale = Locale::English) {
    TempDir dir;
    auto request = requestFor(messages, "html", dir.file("chat.html"));
    request.chatTitle = title;
    request.locale = locale;
    request.replies = resolver;
    runExport(request);
    return readFile(dir.file("chat.html"));
}

std::vector<std::string> attributeValues(const std::string& html, const std::string& name) {
    std::vector<std::string> values;
    const std::regex attr("\\s" + name + "=\"([^\"]*)\"", std::regex::icase);
    for (auto it = std::sregex_iterator(html.begin(), html.end(), attr); it != std::sregex_iterator(); ++it)
        values.push_back((*it)[1].str());
    return values;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

TEST_CASE("Hostile texts, names, titles and URLs never become markup or live links") {
    const auto messages = hostileArchive();
    VectorReplyResolver resolver(messages);
    const std::string html = exportHtml(messages, &resolver, "</title><script>alert(1)</script> Дача");
    const std::string low = lower(html);

    REQUIRE(low.find("<script") == std::string::npos);
    REQUIRE(low.find("<svg") == std::string::npos);
    REQUIRE_FALSE(std::regex_search(low, std::regex("<[^>]*\\son[a-z]+\\s*=")));  // no event handler in any tag
    REQUIRE(countOccurrences(low, "</title>") == 1);
    REQUIRE(countOccurrences(low, "</style>") == 1);
    for (const char* embed : {"<img", "<video", "<audio", "<iframe", "<source", "<embed", "<object", "<picture"})
        REQUIRE(countOccurrences(low, embed) == 0);  // attachments are links: nothing the page would load
    REQUIRE(html.find('\0') == std::string::npos);
    REQUIRE(isValidUtf8(html));
    REQUIRE(html.find(std::string(1 << 20, 'z') + "&lt;end&gt;") != std::string::npos);
    REQUIRE(html.find("\u202Egnp.exe") != std::string::npos);  // kept, inside a dir="auto" element

    for (const std::string attr : {"href", "src", "action", "formaction", "srcset", "style", "onerror", "onload"}) {
        for (const auto& value : attributeValues(html, attr)) {
            INFO(attr << "=" << value);
            REQUIRE((attr == "href" || attr == "src"));
            const std::string v = lower(value);
            const bool web = v.rfind("https://", 0) == 0 || v.rfind("http://", 0) == 0;
            const bool local = v.rfind("#", 0) == 0;
            const bool emptyIcon = v == "data:,";  // <link rel="icon" href="data:,">: the favicon nobody fetches
            REQUIRE((web || local || emptyIcon));
            REQUIRE(v.find("javascript") == std::string::npos);
            REQUIRE(v.find('<') == std::string::npos);
            REQUIRE(v.find('>') == std::string::npos);
        }
    }
    REQUIRE(countOccurrences(html, "href=\"data:,\"") == 1);
    // The one http(s) URL among the hostile ones is linked, with its quote escaped.
    REQUIRE(html.find("href=\"https://ok.ru/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"") != std::string::npos);
}

TEST_CASE("Attachments are cards linking to http and https URLs, never embedded media") {
    std::vector<Message> messages;
    const std::vector<std::string> urls = {"https://i.mycdn.me/a.png", "http://i.mycdn.me/b.png",
                                           "javascript:alert(1)",      "data:image/png;base64,AAAA",
                                           "//i.mycdn.me/c.png",       ""};
    std::int64_t seq = 0;
    for (const auto& url : urls) {
        auto m = textMessage("mid:i" + std::to_string(seq), 1000 + seq, seq, "user:1", "Ivan", std::nullopt);
        ++seq;
        m.attachments.push_back({"IMAGE", "{\"url\":\"" + url + "\"}"});
        messages.push_back(m);
    }
    auto video = textMessage("mid:v", 2000, 10, "user:1", "Ivan", std::nullopt);
    video.attachments.push_back({"video", R"({"url":"https://ok.ru/video/1","title":"<Dacha>","duration":75})"});
    video.attachments.push_back({"FILE", R"({"url":"https://dl.mycdn.me/f","name":"a.pdf","size":1536})"});
    messages.push_back(video);
    const std::string html = exportHtml(messages, nullptr, "t");
    REQUIRE(attributeValues(html, "src").empty());
    REQUIRE(countOccurrences(html, "<img") == 0);
    REQUIRE(countOccurrences(html, "<video") == 0);
    REQUIRE(html.find("<a href=\"https://i.mycdn.me/a.png\" rel=\"noopener noreferrer nofollow\"><span "
                      "class=\"lbl\">\xF0\x9F\x96\xBC Photo</span></a>") != std::string::npos);
    REQUIRE(html.find("<a href=\"http://i.mycdn.me/b.png\" rel=\"noopener noreferrer nofollow\">") !=
            std::string::npos);
    REQUIRE(countOccurrences(html, "\xF0\x9F\x96\xBC Photo</span>") == 6);  // the others are labels without links
    REQUIRE(countOccurrences(html, "(link not shown: not an http/https URL: <code>") == 3);
    REQUIRE(html.find("<a href=\"https://ok.ru/video/1\" rel=\"noopener noreferrer nofollow\"><span "
                      "class=\"lbl\">\xF0\x9F\x8E\xAC Video</span> &lt;Dacha&gt; (1:15)</a>") != std::string::npos);
    REQUIRE(html.find("\xF0\x9F\x93\x84 File</span> a.pdf (1.5 KB)</a>") != std::string::npos);
    const std::string ru = exportHtml(messages, nullptr, "t", Locale::Russian);
    REQUIRE(ru.find("\xF0\x9F\x93\x84 Файл</span> a.pdf (1,5 КБ)</a>") != std::string::npos);
    REQUIRE(countOccurrences(ru, "\xF0\x9F\x96\xBC Фото</span>") == 6);
    REQUIRE(countOccurrences(ru, "(ссылка не показана: это не адрес http/https: <code>") == 3);
}

TEST_CASE("http and https URLs in texts become links, anything else stays text") {
    const std::string rel = "\" rel=\"noopener noreferrer nofollow\">";
    auto linked = [&](const std::string& text) {
        const std::string html =
            exportHtml({textMessage("mid:l", 1000, 1, "user:1", "Ivan", text)}, nullptr, "t", Locale::English);
        const auto start = html.find("<div class=\"t\" dir=\"auto\">") + 26;
        return html.substr(start, html.find("</div>", start) - start);
    };
    REQUIRE(linked("see https://ok.ru/a?b=1&c=2.") ==
            "see <a href=\"https://ok.ru/a?b=1&amp;c=2" + rel + "https://ok.ru/a?b=1&amp;c=2</a>.");
    REQUIRE(linked("(https://ru.wikipedia.org/wiki/Foo_(bar)), ok?") ==
            "(<a href=\"https://ru.wikipedia.org/wiki/Foo_(bar)" + rel +
                "https://ru.wikipedia.org/wiki/Foo_(bar)</a>), ok?");
    REQUIRE(linked("HTTP://OK.RU!") == "<a href=\"HTTP://OK.RU" + rel + "HTTP://OK.RU</a>!");
    REQUIRE(linked("https://ok.ru/\"><script>alert(1)</script>") ==
            "<a href=\"https://ok.ru/" + rel + "https://ok.ru/</a>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    REQUIRE(linked("https://ok.ru/'onmouseover='x") ==
            "<a href=\"https://ok.ru/&#39;onmouseover=&#39;x" + rel + "https://ok.ru/&#39;onmouseover=&#39;x</a>");
    for (const std::string text :
         {"javascript:alert(1)", "JaVaScRiPt://ok.ru/%0Aalert(1)", "data:text/html,<b>x</b>", "vbscript:x",
          "xhttps://ok.ru/glued", "https:// spaced", "https://", "//ok.ru/x", "https:///path", "ftp://ok.ru/file"}) {
        INFO(text);
        REQUIRE(linked(text) == htmlEscaped(text));
    }
    REQUIRE(linked("bad \xFF https://ok.ru/\xFF") == "bad \xEF\xBF\xBD https://ok.ru/\xEF\xBF\xBD");  // invalid UTF-8
    REQUIRE(linked("в «https://ok.ru/группа»") ==
            "в «<a href=\"https://ok.ru/группа" + rel + "https://ok.ru/группа</a>»");
}

TEST_CASE("A Russian export speaks Russian: lang, day headers, counts, replies and card labels") {
    auto messages = goldenMessages();
    VectorReplyResolver resolver({});
    const std::string html = exportHtml(messages, &resolver, "t", Locale::Russian);
    REQUIRE(html.find("<html lang=\"ru\">") != std::string::npos);
    REQUIRE(html.find("<time datetime=\"2017-06-27\">вторник, 27 июня 2017 г.</time>") != std::string::npos);
    REQUIRE(countOccurrences(html, "ответ на сообщение, которого нет в этой выгрузке") == 2);
    REQUIRE(messages.size() == 18);
    REQUIRE(html.find(" \xC2\xB7 18 сообщений \xC2\xB7 часовой пояс UTC") != std::string::npos);
    REQUIRE(html.find("Выгружено okarchive ") != std::string::npos);
    REQUIRE(html.find("Фото</span>") != std::string::npos);
    REQUIRE(html.find(" Photo</span>") == std::string::npos);
    REQUIRE(html.find("reply to") == std::string::npos);
    const std::string english = exportHtml(messages, &resolver, "t");
    REQUIRE(english.find("<html lang=\"en\">") != std::string::npos);
    REQUIRE(english.find(" \xC2\xB7 " + std::to_string(messages.size()) + " messages \xC2\xB7 times in UTC") !=
            std::string::npos);
}

TEST_CASE("The index page of a partitioned HTML export speaks its locale and loads nothing") {
    PartIndex index;
    index.generation = ".x.html.parts-00000001";
    index.chatId = "chat:1";
    index.chatTitle = "<Дача>";
    index.parts = {{".x.html.parts-00000001/x.part-0001.html", 1000, 2000, 5000},
                   {".x.html.parts-00000001/x.part-0002.html", 3000, 4000, 3}};
    index.locale = Locale::Russian;
    const std::string ru = partIndexText(index, PartIndexFormat::HtmlPage);
    REQUIRE(ru.find("<html lang=\"ru\">") != std::string::npos);
    REQUIRE(ru.find("<h1><bdi>&lt;Дача&gt;</bdi></h1>\n<p>2 части</p>") != std::string::npos);
    REQUIRE(ru.find("(5\xC2\xA0"
                    "000 сообщений)</li>") != std::string::npos);
    REQUIRE(ru.find("(3 сообщения)</li>") != std::string::npos);
    REQUIRE(ru.find("img-src data:;") != std::string::npos);
    REQUIRE(ru.find("<link rel=\"icon\" href=\"data:,\">") != std::string::npos);
    index.locale = Locale::English;
    const std::string en = partIndexText(index, PartIndexFormat::HtmlPage);
    REQUIRE(en.find("<html lang=\"en\">") != std::string::npos);
    REQUIRE(en.find("<p>2 parts</p>") != std::string::npos);
    REQUIRE(en.find("(5,000 messages)</li>") != std::string::npos);
}

TEST_CASE("Counts read naturally in both languages") {
    REQUIRE(messageCount(Locale::English, 1) == "1 message");
    REQUIRE(messageCount(Locale::English, 20000) == "20,000 messages");
    REQUIRE(messageCount(Locale::Russian, 1) == "1 сообщение");
    REQUIRE(messageCount(Locale::Russian, 3) == "3 сообщения");
    REQUIRE(messageCount(Locale::Russian, 11) == "11 сообщений");
    REQUIRE(messageCount(Locale::Russian, 21) == "21 сообщение");
    REQUIRE(messageCount(Locale::Russian, 112) == "112 сообщений");
    REQUIRE(messageCount(Locale::Russian, 20000) ==
            "20\xC2\xA0"
            "000 сообщений");
    REQUIRE(partCount(Locale::Russian, 2) == "2 части");
    REQUIRE(partCount(Locale::Russian, 5) == "5 частей");
    REQUIRE(partCount(Locale::English, 1) == "1 part");
}

TEST_CASE("Every message element carries its mid as an escaped id") {
    const auto messages = hostileArchive();
    const std::string html = exportHtml(messages, nullptr, "t");
    for (const auto& m : messages) {
        std::string id = "id=\"";
        appendHtmlEscaped(id, m.mid);
        id += '"';
        INFO(m.mid);
        REQUIRE(countOccurrences(html, id) == 1);
    }
    REQUIRE(html.find("id=\"mid:&quot;&gt;&lt;b&gt;x&lt;/b&gt;&#39;\"") != std::string::npos);
    REQUIRE(html.find("href=\"#mid:%22%3E%3Cb%3Ex%3C%2Fb%3E%27\"") != std::string::npos);
}

TEST_CASE("The page forbids scripts, stays self-contained and adapts to dark mode") {
    const std::string html = exportHtml(goldenMessages(), nullptr, "Семейный чат");
    REQUIRE(
        html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'none';") !=
        std::string::npos);
    REQUIRE(html.find("<meta charset=\"utf-8\">") < html.find("Content-Security-Policy"));
    REQUIRE(html.find("@media (prefers-color-scheme:dark)") != std::string::npos);
    REQUIRE(html.find("name=\"viewport\"") != std::string::npos);
    REQUIRE(countOccurrences(html, "<link") == 1);
    REQUIRE(html.find("<link rel=\"icon\" href=\"data:,\">") != std::string::npos);  // no favicon request either
    REQUIRE(html.find("style-src 'unsafe-inline'; img-src data:; base-uri 'none'") != std::string::npos);
    REQUIRE(html.find("https:;") == std::string::npos);
    REQUIRE(html.find("@import") == std::string::npos);
    REQUIRE(html.find("url(") == std::string::npos);
    REQUIRE(html.find("<title>Семейный чат</title>") != std::string::npos);
}

TEST_CASE("Consecutive messages of one sender share one name, and a rename or a new day starts a group") {
    const std::string html = exportHtml(goldenMessages(), nullptr, "t");
    REQUIRE(countOccurrences(html, "<div class=\"g\">") == 6);
    REQUIRE(countOccurrences(html, "<bdi>Ivan Petrov</bdi><span class=\"uid\">") == 2);
    REQUIRE(countOccurrences(html, "<bdi>Sergey</bdi><span class=\"uid\">") == 1);
    REQUIRE(countOccurrences(html, "<bdi>Sergey Ivanov</bdi><span class=\"uid\">") == 1);
    // In UTC every golden message falls on 2017-06-27: one separator.
    REQUIRE(countOccurrences(html, "<h2 class=\"day\">") == 1);
    REQUIRE(html.find("<time datetime=\"2017-06-27\">Tuesday, 27 June 2017</time>") != std::string::npos);
}

TEST_CASE("Service events read as sentences and unknown kinds show their type escaped") {
    std::vector<Message> messages{
        serviceMessage("mid:s1", 1, 1, "user:1", "Ivan", R"({"ui":1,"ty":"EXIT"})", "EXIT", "user:1"),
        serviceMessage("mid:s2", 2, 2, "user:1", "Ivan", R"({"ui":1,"ty":"ADD"})", "ADD", "user:1"),
        serviceMessage("mid:s3", 3, 3, "user:1", "Ivan", R"({"ui":2,"ty":"ADD"})", "ADD", "user:2"),
        serviceMessage("mid:s4", 4, 4, "user:1", "Ivan", R"({"ty":"TITLE"})", "TITLE", std::nullopt),
        serviceMessage("mid:s5", 5, 5, "user:1", "Ivan", R"({"ty":"<b>NEW</b>"})", "<b>NEW</b>", std::nullopt),
        serviceMessage("mid:s6", 6, 6, "user:1", "Ivan", "not json", "TITLE", std::nullopt),
    };
    const std::string html = exportHtml(messages, nullptr, "t");
    REQUIRE(html.find("<b><bdi>Ivan</bdi></b> left the chat") != std::string::npos);
    REQUIRE(html.find("<b><bdi>Ivan</bdi></b> was added to the chat") != std::string::npos);
    REQUIRE(html.find("<b><bdi>Ivan</bdi></b> added <b><bdi>user:2</bdi></b>") != std::string::npos);
    REQUIRE(countOccurrences(html, "<b><bdi>Ivan</bdi></b> changed the chat title</span>") == 2);
    REQUIRE(html.find("service event <code>&lt;b&gt;NEW&lt;/b&gt;</code> by <b><bdi>Ivan</bdi></b>") !=
            std::string::npos);
}

TEST_CASE("A Russian export's service events read in Russian with names and titles escaped") {
    std::vector<Message> messages{
        serviceMessage("mid:s1", 1, 1, "user:1", "<Алиса>", R"({"ui":1,"ty":"EXIT"})", "EXIT", "user:1"),
        serviceMessage("mid:s2", 2, 2, "user:1", "Боб", R"({"title":"<T>"})", "TITLE", std::nullopt),
        serviceMessage("mid:s3", 3, 3, "user:1", "Боб", "{}", "<NEW>", std::nullopt),
    };
    const std::string html = exportHtml(messages, nullptr, "t", Locale::Russian);
    REQUIRE(html.find("<b><bdi>&lt;Алиса&gt;</bdi></b> покинул(а) чат</span>") != std::string::npos);
    REQUIRE(html.find("<b><bdi>Боб</bdi></b> изменил(а) название чата на «<bdi>&lt;T&gt;</bdi>»</span>") !=
            std::string::npos);
    REQUIRE(html.find("служебное событие <code>&lt;NEW&gt;</code> от <b><bdi>Боб</bdi></b>") != std::string::npos);
}

TEST_CASE("Replies quote their target, or say when it is not in the export") {
    auto messages = goldenMessages();
    SECTION("with a resolver") {
        VectorReplyResolver resolver(messages);
        resolver.add({"mid:C3ecb9d02a600.gone", 1, 1, "Ghost <x>", "filtered out", false});
        const std::string html = exportHtml(messages, &resolver, "t");
        REQUIRE(
            html.find("<a class=\"re\" href=\"#mid:C3ecb9d02a600.0001\">\xE2\x86\xA9 <b><bdi>Ivan Petrov</bdi></b>") !=
            std::string::npos);
        REQUIRE(html.find("<div class=\"re\">\xE2\x86\xA9 <b><bdi>Ghost &lt;x&gt;</bdi></b> <span>filtered out (not in "
                          "this export)</span></div>") != std::string::npos);
        REQUIRE(resolver.lookups == 2);
    }
    SECTION("unknown targets") {
        VectorReplyResolver resolver({});
        const std::string html = exportHtml(messages, &resolver, "t");
        REQUIRE(countOccurrences(html, "reply to a message not in this export") == 2);
    }
    SECTION("without a resolver") {
        const std::string html = exportHtml(messages, nullptr, "t");
        REQUIRE(html.find("<div class=\"re gone\">reply to mid:C3ecb9d02a600.0001</div>") != std::string::npos);
    }
    SECTION("a long snippet is shortened on a character boundary") {
        VectorReplyResolver resolver(messages);
        std::string longText;
        for (int i = 0; i < 200; ++i) longText += "я";
        resolver.add({"mid:C3ecb9d02a600.0001", messages[0].timestamp, messages[0].seq, "Ivan", longText, true});
        const std::string html = exportHtml(messages, &resolver, "t");
        std::string expected;
        for (int i = 0; i < 90; ++i) expected += "я";
        REQUIRE(html.find("<span>" + expected + "\xE2\x80\xA6</span>") != std::string::npos);
    }
}

TEST_CASE("Hostile demo export for the browser test", "[.demo]") {
    // Hidden: `exporters_tests "[.demo]"` with OKARCHIVE_DEMO_DIR=DIR writes DIR/hostile.ndjson and the HTML parts
    // DIR/hostile.part-NNNN.html for tests/browser/check-html-export.sh.
    const char* dirEnv = std::getenv("OKARCHIVE_DEMO_DIR");
    REQUIRE(dirEnv != nullptr);
    const std::string dir = dirEnv;
    auto messages = hostileArchive();
    for (const auto& m : goldenMessages()) messages.push_back(m);
    std::stable_sort(messages.begin(), messages.end(), [](const Message& a, const Message& b) {
        return std::pair(a.timestamp, a.seq) < std::pair(b.timestamp, b.seq);
    });
    VectorReplyResolver resolver(messages);
    auto html = requestFor(messages, "html", dir + "/hostile.html");
    html.chatTitle = "</title><script>document.title='PWNED'</script> Дача";
    html.partition = PartitionPolicy::messages(10);
    html.replies = &resolver;
    const auto summary = runExport(html);
    runExport(requestFor(messages, "ndjson", dir + "/hostile.ndjson"));
    for (const auto& file : summary.files) WARN(file);
}
