#include <catch2/catch.hpp>

#include <sstream>
#include <stdexcept>

#include "ExportTestSupport.h"
#include "GoldenFixture.h"
#include "domain/TimeZone.h"
#include "domain/Utf8.h"
#include "exporters/CsvExporter.h"

using namespace okarchive;
using namespace okarchive::test;

namespace {

using Rows = std::vector<std::vector<std::string>>;

/// A strict RFC 4180 reader: records end with CRLF (the last one too), fields are separated by commas, a quoted
/// field may hold anything with quotes doubled, an unquoted field may hold no quote, CR or LF. Anything else throws.
Rows parseCsvStrict(const std::string& text) {
    Rows rows;
    std::vector<std::string> row;
    std::string field;
    std::size_t i = 0;
    const std::size_t n = text.size();
    if (n == 0) return rows;
    for (;;) {
        field.clear();
        if (i < n && text[i] == '"') {
            ++i;
            for (;;) {
                if (i >= n) throw std::runtime_error("unterminated quoted field");
                if (text[i] == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += text[i++];
            }
        } else {
            while (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
                if (text[i] == '"') throw std::runtime_error("quote inside an unquoted field at " + std::to_string(i));
                field += text[i++];
            }
        }
        row.push_back(field);
        if (i < n && text[i] == ',') {
            ++i;
            continue;
        }
        if (i + 1 < n && text[i] == '\r' && text[i + 1] == '\n') {
            i += 2;
            rows.push_back(row);
            row.clear();
            if (i == n) return rows;
            continue;
        }
        throw std::runtime_error("expected ',' or CRLF at byte " + std::to_string(i));
    }
}

std::string exportCsv(const std::vector<Message>& messages, CsvOptions options) {
    std::ostringstream out;
    CsvExporter exporter(out, options);
    VectorCursor cursor(messages);
    exportMessages(cursor, exporter);
    return out.str();
}

const std::vector<std::string> kHeader = {
    "chat_id",         "mid",      "seq",          "timestamp",       "time", "sender_id",
    "sender_name",     "kind",     "service_type", "service_user_id", "text", "attachment_types",
    "attachment_urls", "reply_to", "media_paths", "edited_at", "revision_count", "deleted_observed_at"};

}  // namespace

TEST_CASE("The strict test parser itself refuses malformed CSV") {
    REQUIRE_THROWS(parseCsvStrict("a,b\n"));
    REQUIRE_THROWS(parseCsvStrict("a,b"));
    REQUIRE_THROWS(parseCsvStrict("a\"b\r\n"));
    REQUIRE_THROWS(parseCsvStrict("\"a\"b\r\n"));
    REQUIRE_THROWS(parseCsvStrict("\"a\r\n"));
    REQUIRE(parseCsvStrict("\"a\"\"\r\n\",\r\n") == Rows{{"a\"\r\n", ""}});
}

TEST_CASE("CSV round-trips through a strict RFC 4180 parser, hostile text included") {
    std::vector<Message> messages = goldenMessages();
    const std::string nulText("NUL\0inside, \"quoted\"\r\nCRLF and\nLF\rCR", 36);
    messages.push_back(textMessage("mid:x.1", 1498599180000, 1, "user:9", " padded name ", nulText));
    messages.push_back(textMessage("mid:x.2", 1498599180001, 2, "user:9", "Lone \xED\xA0\x80 surrogate",
                                   "bad \xFF utf8 \xC3 and U+202E \u202E end"));
    messages.push_back(textMessage("mid:x.3", 1498599180002, 3, "user:9", "Big", std::string(1 << 20, 'x') + ",\""));
    messages[1].editedAtMs = 1498600000123;  // what the archive observed: an edit with two earlier versions, a deletion
    messages[1].revisions = {{1498599990000, "v1", {}, "{}"}, {1498600000123, "v2", {}, "{}"}};
    messages[2].deletedObservedAtMs = 1498700000000;
    const auto zone = TimeZone::load("Europe/Moscow");
    const Rows rows = parseCsvStrict(exportCsv(messages, {&zone, false, true}));

    REQUIRE(rows.size() == messages.size() + 1);
    REQUIRE(rows[0] == kHeader);
    for (std::size_t k = 0; k < messages.size(); ++k) {
        const Message& m = messages[k];
        const auto& row = rows[k + 1];
        INFO(m.mid);
        REQUIRE(row.size() == 18);
        REQUIRE(row[0] == m.chatId);
        REQUIRE(row[1] == m.mid);
        REQUIRE(row[2] == std::to_string(m.seq));
        REQUIRE(row[3] == std::to_string(m.timestamp));
        REQUIRE(row[4] == zone.localIso(m.timestamp));
        REQUIRE(row[5] == m.senderId);
        REQUIRE(row[6] == validText(m.senderName));
        REQUIRE(row[7] == (m.service ? "service" : "message"));
        REQUIRE(row[8] == (m.service ? m.service->type : ""));
        REQUIRE(row[9] == (m.service && m.service->userId ? *m.service->userId : ""));
        REQUIRE(row[10] == validText(m.text.value_or("")));
        REQUIRE(row[13] == m.replyTo.value_or(""));
        REQUIRE(row[15] == (m.editedAtMs ? zone.localIso(*m.editedAtMs) : ""));
        REQUIRE(row[16] == std::to_string(m.revisions.size()));
        REQUIRE(row[17] == (m.deletedObservedAtMs ? zone.localIso(*m.deletedObservedAtMs) : ""));
    }
    // Spot checks written out by hand.
    REQUIRE(rows[1][4] == "2017-06-27T19:34:52.941+03:00");
    REQUIRE(rows[2][15] == "2017-06-28T00:46:40.123+03:00");
    REQUIRE(rows[2][16] == "2");
    REQUIRE(rows[3][17] == "2017-06-29T04:33:20.000+03:00");
    REQUIRE(rows[3][11] == "VIDEO AUDIO");
    REQUIRE(rows[3][12] == "https://ok.ru/video/123 https://ok.ru/audio/1.ogg");
    REQUIRE(rows[5][11] == "CONTACT LOCATION");
    REQUIRE(rows[5][12] == "");  // neither payload has a "url"
    REQUIRE(rows[7][12] == "https://ok.ru/music/track/23486020457601 https://i.mycdn.me/sticker?id=c23a918ef4");
    REQUIRE(rows[18][12] ==
            "JaVaScRiPt:alert(document.cookie) java\tscript:alert(2) data:text/html,<script>alert(1)</script> "
            "https://ok.ru/\"><script>alert(1)</script>");
    // NUL, a lone surrogate and invalid bytes are U+FFFD: every cell is valid UTF-8.
    REQUIRE(rows[19][10] == "NUL\uFFFDinside, \"quoted\"\r\nCRLF and\nLF\rCR");
    REQUIRE(rows[20][6] == "Lone \uFFFD surrogate");
    REQUIRE(rows[20][10] == "bad \uFFFD utf8 \uFFFD and U+202E \u202E end");
    REQUIRE(rows[21][10].size() == (1u << 20) + 2);
}

TEST_CASE("CSV quotes exactly the fields that need it and ends rows with CRLF") {
    std::vector<Message> messages{textMessage("mid:1", 0, 1, "user:1", "plain", "a,b"),
                                  textMessage("mid:2", 0, 2, "user:1", " lead", "trail "),
                                  textMessage("mid:3", 0, 3, "user:1", "q\"q", std::string("n\0l", 3))};
    const std::string csv = exportCsv(messages, {nullptr, false, true});
    REQUIRE(csv.find("mid:1,1,0,1970-01-01T00:00:00.000+00:00,user:1,plain,message,,,\"a,b\",,,,,,0,\r\n") !=
            std::string::npos);
    REQUIRE(csv.find("\" lead\",message,,,\"trail \",,,,,,0,\r\n") != std::string::npos);
    REQUIRE(csv.find("\"q\"\"q\",message,,,n\uFFFDl,,,,,,0,\r\n") != std::string::npos);  // NUL: U+FFFD, unquoted
    REQUIRE(countOccurrences(csv, "\r\n") == 4);
    REQUIRE(countOccurrences(csv, "\n") == 4);
}

TEST_CASE("CSV guards cells that start like a formula unless raw") {
    std::vector<Message> messages;
    const std::vector<std::string> starts = {"=1+1", "+1", "-1", "@SUM(A1)", "\tTab", "\rCR", "\nLF", "plain", "'q"};
    for (std::size_t k = 0; k < starts.size(); ++k)
        messages.push_back(
            textMessage("mid:" + std::to_string(k), 1000, -5, "user:1", "=HYPERLINK(\"http://x\")", starts[k]));
    const Rows guarded = parseCsvStrict(exportCsv(messages, {nullptr, false, false}));
    const Rows raw = parseCsvStrict(exportCsv(messages, {nullptr, false, true}));
    for (std::size_t k = 0; k < starts.size(); ++k) {
        INFO(starts[k]);
        const bool formula = k < 7;
        REQUIRE(guarded[k + 1][10] == (formula ? "'" : "") + starts[k]);
        REQUIRE(raw[k + 1][10] == starts[k]);
        REQUIRE(guarded[k + 1][6] == "'=HYPERLINK(\"http://x\")");
        REQUIRE(raw[k + 1][6] == "=HYPERLINK(\"http://x\")");
        REQUIRE(guarded[k + 1][2] == "-5");  // integer columns are numbers, never prefixed
    }
}

TEST_CASE("CSV with the excel option starts with a UTF-8 BOM, once") {
    std::vector<Message> messages{textMessage("mid:1", 0, 1, "user:1", "Иван", "Привет")};
    const std::string excel = exportCsv(messages, {nullptr, true, false});
    REQUIRE(excel.rfind("\xEF\xBB\xBF"
                        "chat_id,mid,",
                        0) == 0);
    REQUIRE(countOccurrences(excel, "\xEF\xBB\xBF") == 1);
    const std::string plain = exportCsv(messages, {nullptr, false, false});
    REQUIRE(plain.rfind("chat_id,mid,", 0) == 0);
    REQUIRE(parseCsvStrict(excel.substr(3)) == parseCsvStrict(plain));
}

TEST_CASE("CSV header is exactly the documented one") {
    REQUIRE(std::string(CsvExporter::header()) ==
            "chat_id,mid,seq,timestamp,time,sender_id,sender_name,kind,service_type,service_user_id,text,"
            "attachment_types,attachment_urls,reply_to,media_paths,edited_at,revision_count,deleted_observed_at");
    REQUIRE(parseCsvStrict(exportCsv({}, {})) == Rows{kHeader});
}
