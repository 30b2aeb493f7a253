#include <catch2/catch.hpp>

#include "ExportTestSupport.h"
#include "GoldenFixture.h"
#include "domain/Json.h"
#include "exporters/ExportJob.h"
#include "exporters/MessageRecord.h"

using namespace okarchive;
using namespace okarchive::test;

namespace {

/// A NUL, a lone surrogate as a lenient decoder stores it, and a right-to-left override (20 bytes).
const char kHostileText[] = "NUL\0 and \xED\xA0\x80 and \u202E";

std::vector<Message> hostileMessages() {
    std::vector<Message> v = goldenMessages();
    v.push_back(textMessage("mid:x.1", 1498599180000, std::numeric_limits<std::int64_t>::max(), "user:9",
                            "\xED\xA0\x80", std::string(kHostileText, sizeof kHostileText - 1)));
    v.push_back(textMessage("mid:x.2", 1498599180001, 9007199254740993, "user:9", "Big", std::string(1 << 20, 'y')));
    return v;
}

}  // namespace

TEST_CASE("A JSON export parses with the strict parser and its count matches its records") {
    const auto messages = hostileMessages();
    TempDir dir;
    auto request = requestFor(messages, "json", dir.file("chat.json"));
    request.filterJson = R"({"sender":["user:1"],"until":"2017-06-28"})";
    runExport(request);
    const auto doc = JsonDocument::parse(readFile(dir.file("chat.json")));
    const JsonValue& root = doc.root();
    REQUIRE(root.find("format")->asString() == "okarchive-export");
    REQUIRE(root.find("version")->asInt64() == 1);
    REQUIRE(root.find("exported_at")->asString() == "2023-11-14T22:13:20.000Z");
    REQUIRE(root.find("chat")->find("id")->asString() == "chat:C3ecb9d02a600");
    REQUIRE(root.find("chat")->find("title")->asString() == "Семейный чат");
    REQUIRE(root.find("chat")->find("type")->asString() == "CHAT");
    REQUIRE(root.find("filter")->raw() == R"({"sender":["user:1"],"until":"2017-06-28"})");
    const auto& records = root.find("messages")->items();
    REQUIRE(root.find("message_count")->asInt64() == static_cast<std::int64_t>(records.size()));
    REQUIRE(records.size() == messages.size());
    REQUIRE(root.find("part") == nullptr);
    // Keys in the documented order; each record is byte for byte the NDJSON record.
    std::vector<std::string> keys;
    for (const auto& [key, value] : root.members()) keys.push_back(key);
    REQUIRE(keys == std::vector<std::string>{"format", "version", "exported_at", "chat", "filter", "message_count",
                                             "messages"});
    for (std::size_t k = 0; k < messages.size(); ++k) {
        std::string record;
        appendMessageRecord(record, messages[k]);
        REQUIRE(records[k].raw() == record);
        REQUIRE(records[k].find("seq")->asInt64() == messages[k].seq);  // exact beyond 2^53
    }
    // NUL and the lone surrogate are U+FFFD: jq 1.6 and every strict reader take the file.
    REQUIRE(records[18].find("text")->asString() == "NUL\uFFFD and \uFFFD and \u202E");
    REQUIRE(records[18].find("sender")->find("name")->asString() == "\uFFFD");
}

TEST_CASE("NDJSON and JSON exports with --verbatim keep NUL and lone surrogates as escapes") {
    auto messages = hostileMessages();
    messages[18].attachments.push_back({"ZZZ_FUTURE_KIND", R"({"name":"\ud800 \u0000"})"});
    TempDir dir;
    for (const std::string format : {"ndjson", "json"}) {
        INFO(format);
        auto valid = requestFor(messages, format, dir.file("valid." + format));
        auto verbatim = requestFor(messages, format, dir.file("verbatim." + format));
        verbatim.formatOptions["verbatim"] = "";
        runExport(valid);
        runExport(verbatim);
        const std::string validText = readFile(dir.file("valid." + format));
        const std::string verbatimText = readFile(dir.file("verbatim." + format));
        REQUIRE(verbatimText.find(R"("text":"NUL\u0000 and \ud800 and )"
                                  "\u202E\"") != std::string::npos);
        REQUIRE(verbatimText.find(R"("payload":{"name":"\ud800 \u0000"})") != std::string::npos);
        REQUIRE(validText.find(R"("payload":{"name":"\ufffd \ufffd"})") != std::string::npos);
        REQUIRE(validText.find("\\ud800") == std::string::npos);
        REQUIRE(validText.find("\\u0000") == std::string::npos);
    }
}

TEST_CASE("An empty JSON export is a valid document with zero messages") {
    const std::vector<Message> none;
    TempDir dir;
    runExport(requestFor(none, "json", dir.file("empty.json")));
    const std::string text = readFile(dir.file("empty.json"));
    const auto doc = JsonDocument::parse(text);
    REQUIRE(doc.root().find("message_count")->asInt64() == 0);
    REQUIRE(doc.root().find("messages")->items().empty());
}

TEST_CASE("JSON parts limited by size carry message_count after their messages") {
    const auto messages = hostileMessages();
    TempDir dir;
    auto request = requestFor(messages, "json", dir.file("chat.json"));
    request.partition = PartitionPolicy::bytes(2048);
    const auto summary = runExport(request);
    REQUIRE(summary.files.size() > 3);
    std::size_t total = 0;
    for (std::size_t k = 0; k < summary.files.size(); ++k) {
        const auto doc = JsonDocument::parse(readFile(summary.files[k]));
        std::vector<std::string> keys;
        for (const auto& [key, value] : doc.root().members()) keys.push_back(key);
        REQUIRE(keys == std::vector<std::string>{"format", "version", "exported_at", "chat", "filter", "part",
                                                 "messages", "message_count"});
        REQUIRE(doc.root().find("part")->asInt64() == static_cast<std::int64_t>(k + 1));
        const auto count = doc.root().find("messages")->items().size();
        REQUIRE(count >= 1);
        REQUIRE(doc.root().find("message_count")->asInt64() == static_cast<std::int64_t>(count));
        total += count;
    }
    REQUIRE(total == messages.size());
}

TEST_CASE("JSON parts limited by count carry message_count first") {
    const auto messages = goldenMessages();
    TempDir dir;
    auto request = requestFor(messages, "json", dir.file("chat.json"));
    request.partition = PartitionPolicy::messages(5);
    const auto summary = runExport(request);
    REQUIRE(summary.files.size() == 4);
    const std::vector<std::int64_t> counts = {5, 5, 5, 3};
    for (std::size_t k = 0; k < 4; ++k) {
        const auto doc = JsonDocument::parse(readFile(summary.files[k]));
        REQUIRE(doc.root().members()[6].first == "message_count");
        REQUIRE(doc.root().find("message_count")->asInt64() == counts[k]);
        REQUIRE(doc.root().find("messages")->items().size() == static_cast<std::size_t>(counts[k]));
    }
}

TEST_CASE("A JSON export whose declared total is wrong fails and leaves nothing") {
    const auto messages = goldenMessages();
    for (std::uint64_t declared : {messages.size() - 1, messages.size() + 1}) {
        TempDir dir;
        auto request = requestFor(messages, "json", dir.file("chat.json"));
        request.totalMessages = declared;
        REQUIRE_THROWS_WITH(runExport(request),
                            Catch::Contains("changed during the export") && Catch::Contains(dir.file("chat.json")));
        REQUIRE(dir.entries().empty());
    }
}

TEST_CASE("A filter that is not a JSON object is a usage error") {
    const std::vector<Message> none;
    TempDir dir;
    auto request = requestFor(none, "json", dir.file("x.json"));
    request.filterJson = "{not json";
    REQUIRE_THROWS_AS(runExport(request), UsageError);
    request.filterJson = "[1]";
    REQUIRE_THROWS_AS(runExport(request), UsageError);
    REQUIRE(dir.entries().empty());
}
