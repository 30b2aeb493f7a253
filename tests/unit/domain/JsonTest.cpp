#include <catch2/catch.hpp>

#include <string>

#include "domain/Json.h"
#include "domain/JsonText.h"

using okarchive::JsonDocument;
using okarchive::JsonParseError;
using okarchive::JsonTooManyValuesError;
using okarchive::JsonValue;

namespace {

std::string decoded(const std::string& jsonString) { return JsonDocument::parse(jsonString).root().asString(); }

/// The JsonParseError message for `text` ("" if it parsed).
std::string parseError(const std::string& text) {
    try {
        JsonDocument::parse(text);
    } catch (const JsonParseError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("Json keeps member order, types and raw spans", "[json]") {
    const std::string text = R"( { "b" : [1, 2 ,{"x":null}], "a":true, "c" : "s" , "d":false, "e": -12.5e3 } )";
    auto doc = JsonDocument::parse(text);
    const JsonValue& root = doc.root();
    REQUIRE(root.isObject());
    REQUIRE(root.raw() == R"({ "b" : [1, 2 ,{"x":null}], "a":true, "c" : "s" , "d":false, "e": -12.5e3 })");
    const auto& members = root.members();
    REQUIRE(members.size() == 5);
    CHECK(members[0].first == "b");
    CHECK(members[1].first == "a");
    CHECK(members[2].first == "c");
    CHECK(members[4].first == "e");
    CHECK(root.find("b")->raw() == R"([1, 2 ,{"x":null}])");
    CHECK(root.find("b")->items().size() == 3);
    CHECK(root.find("b")->items()[2].raw() == R"({"x":null})");
    CHECK(root.find("b")->items()[2].find("x")->isNull());
    CHECK(root.find("a")->asBool());
    CHECK_FALSE(root.find("d")->asBool());
    CHECK(root.find("c")->raw() == R"("s")");
    CHECK(root.find("c")->asString() == "s");
    CHECK(root.find("e")->isNumber());
    CHECK_FALSE(root.find("e")->isInteger());
    CHECK(root.find("e")->raw() == "-12.5e3");
    CHECK(root.find("missing") == nullptr);
    CHECK(root.find("c")->find("x") == nullptr);  // not an object
    CHECK_THROWS_AS(root.find("c")->items(), JsonParseError);
    CHECK_THROWS_AS(root.find("b")->asString(), JsonParseError);
    CHECK_THROWS_AS(root.find("a")->asInt64(), JsonParseError);
    CHECK_THROWS_AS(root.find("c")->asBool(), JsonParseError);
    CHECK_THROWS_AS(root.find("c")->members(), JsonParseError);
}

TEST_CASE("Json raw views stay valid after the document moves", "[json]") {
    auto doc = JsonDocument::parse(R"({"payload": {"url": "https://ya.ru/"}})");
    const char* data = doc.text().data();
    JsonDocument moved = std::move(doc);
    std::vector<JsonDocument> many;
    many.push_back(std::move(moved));
    for (int i = 0; i < 100; ++i) many.push_back(JsonDocument::parse("[]"));  // force reallocation
    CHECK(many[0].root().find("payload")->raw() == R"({"url": "https://ya.ru/"})");
    CHECK(many[0].root().find("payload")->raw().data() >= data);
    CHECK(many[0].text().data() == data);
}

TEST_CASE("Json decodes every string escape", "[json]") {
    CHECK(decoded(R"("\"\\\/\b\f\n\r\t")") == "\"\\/\b\f\n\r\t");
    CHECK(decoded(R"("a\/b")") == "a/b");
    CHECK(decoded(R"("\u0041\u00e9\u20AC")") == "A\xC3\xA9\xE2\x82\xAC");
    CHECK(decoded(R"("")").empty());
}

TEST_CASE("Json keeps NUL from the u0000 escape", "[json]") {
    std::string s = decoded(R"("a\u0000b")");
    REQUIRE(s.size() == 3);
    CHECK(s == std::string("a\0b", 3));
}

TEST_CASE("Json joins surrogate pairs and keeps lone surrogates as generalized UTF-8", "[json]") {
    CHECK(decoded(R"("\uD83D\uDE00")") == "\xF0\x9F\x98\x80");
    CHECK(decoded(R"("\ud83d\ude00")") == "\xF0\x9F\x98\x80");
    CHECK(decoded(R"("\uD800")") == "\xED\xA0\x80");
    CHECK(decoded(R"("\uDBFF")") == "\xED\xAF\xBF");
    CHECK(decoded(R"("\uDC00")") == "\xED\xB0\x80");
    CHECK(decoded(R"("x\uD800\u0041")") ==
          "x\xED\xA0\x80"
          "A");                                                         // high + non-low escape
    CHECK(decoded(R"("\uD800\uD800")") == "\xED\xA0\x80\xED\xA0\x80");  // two highs
    CHECK(decoded(R"("\uDE00\uD83D")") == "\xED\xB8\x80\xED\xA0\xBD");  // reversed pair = two lone ones
    CHECK(decoded(R"("\uD800x")") == "\xED\xA0\x80x");
    // The domain writer turns them back into escapes when Verbatim: a lone surrogate round-trips.
    CHECK(okarchive::jsonString(decoded(R"("\uD800")"), okarchive::JsonFidelity::Verbatim) == R"("\ud800")");
}

TEST_CASE("Json passes raw bytes in strings through, even invalid UTF-8", "[json]") {
    CHECK(decoded("\"\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82\"") ==
          "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");
    CHECK(decoded("\"\xFF\xFE\x80\"") == "\xFF\xFE\x80");
    CHECK(decoded("\"a\x7F"
                  "b\"") ==
          "a\x7F"
          "b");
    CHECK(decoded("\"\xFF\\n\xFE\"") == "\xFF\n\xFE");
}

TEST_CASE("Json integers are exact int64", "[json]") {
    auto doc = JsonDocument::parse(
        R"([9223372036854775807, -9223372036854775808, 9223372036854775808, -9223372036854775809, 98211023614189660,
            0, -0, 1.0, 1e3, 12345678901234567890123])");
    const auto& v = doc.root().items();
    REQUIRE(v.size() == 10);
    CHECK(v[0].isInteger());
    CHECK(v[0].asInt64() == INT64_MAX);
    CHECK(v[1].isInteger());
    CHECK(v[1].asInt64() == INT64_MIN);
    CHECK(v[2].isNumber());
    CHECK_FALSE(v[2].isInteger());
    CHECK_THROWS_WITH(v[2].asInt64(), Catch::Contains("9223372036854775808") && Catch::Contains("64-bit"));
    CHECK_FALSE(v[3].isInteger());
    CHECK(v[4].asInt64() == 98211023614189660LL);
    CHECK(v[5].asInt64() == 0);
    CHECK(v[6].asInt64() == 0);
    CHECK_FALSE(v[7].isInteger());
    CHECK_FALSE(v[8].isInteger());
    CHECK_FALSE(v[9].isInteger());
    CHECK(v[9].raw() == "12345678901234567890123");
}

TEST_CASE("Json accepts the RFC grammar at the edges", "[json]") {
    CHECK(JsonDocument::parse("null").root().isNull());
    CHECK(JsonDocument::parse(" \t\r\n 1 \n").root().asInt64() == 1);
    CHECK(JsonDocument::parse("\"x\"").root().asString() == "x");
    CHECK(JsonDocument::parse("{}").root().members().empty());
    CHECK(JsonDocument::parse("[ ]").root().items().empty());
    CHECK(JsonDocument::parse("\xEF\xBB\xBF{\"a\":1}").root().raw() == "{\"a\":1}");  // BOM ignored
    CHECK(JsonDocument::parse("[1E+2,1e-2,0.5,-0.0]").root().items().size() == 4);
    auto dup = JsonDocument::parse(R"({"k":1,"k":2})");
    CHECK(dup.root().members().size() == 2);
    CHECK(dup.root().find("k")->asInt64() == 1);
}

TEST_CASE("Json rejects malformed input naming the byte offset", "[json]") {
    CHECK_THAT(parseError(R"({"a":1)"), Catch::Contains("byte offset 6") && Catch::Contains("end of input"));
    CHECK_THAT(parseError("{} x"), Catch::Contains("byte offset 3"));
    CHECK_THAT(parseError("[1] [2]"), Catch::Contains("byte offset 4"));
    CHECK_THAT(parseError("\"a\nb\""), Catch::Contains("byte offset 2") && Catch::Contains("control"));
    CHECK_THAT(parseError(std::string("\"a\0b\"", 5)), Catch::Contains("byte offset 2"));
    CHECK_THAT(parseError("\"abc"), Catch::Contains("end of input"));
    CHECK_THAT(parseError(R"("\x")"), Catch::Contains("byte offset 2") && Catch::Contains("escape"));
    CHECK_THAT(parseError(R"("\u12")"), Catch::Contains("hex"));
    CHECK_THAT(parseError(R"("\u12G4")"), Catch::Contains("byte offset 5"));
    CHECK_THAT(parseError(R"("\u12)"), Catch::Contains("end of input"));
    CHECK_THAT(parseError(""), Catch::Contains("byte offset 0"));
    CHECK_THAT(parseError("   "), Catch::Contains("byte offset 3"));
    CHECK_THAT(parseError("[1,]"), Catch::Contains("byte offset 3"));
    CHECK_THAT(parseError(R"({"a":1,})"), Catch::Contains("byte offset 7"));
    CHECK_THAT(parseError(R"({"a" 1})"), Catch::Contains("':'"));
    CHECK_THAT(parseError("{a:1}"), Catch::Contains("byte offset 1"));
    CHECK_THAT(parseError("[1 2]"), Catch::Contains("byte offset 3"));
    for (const char* bad : {"01", "-", "1.", ".5", "+1", "1e", "1e+", "-a", "tru", "nul", "True", "NaN", "[", "{", "]",
                            "'a'", "[1,,2]", "{\"a\"}", "0x10"})
        CHECK_THROWS_AS(JsonDocument::parse(bad), JsonParseError);
}

TEST_CASE("Json survives a nesting bomb", "[json]") {
    CHECK_NOTHROW(JsonDocument::parse(std::string(512, '[') + std::string(512, ']')));
    CHECK_THAT(parseError(std::string(513, '[') + std::string(513, ']')), Catch::Contains("nesting"));
    CHECK_THAT(parseError(std::string(1'000'000, '[')), Catch::Contains("byte offset 512"));
    std::string objects;
    for (int i = 0; i < 100'000; ++i) objects += "{\"a\":";
    CHECK_THAT(parseError(objects), Catch::Contains("nesting"));
}

TEST_CASE("Json handles a 1 MB string and a large page", "[json]") {
    std::string big(1'000'000, 'x');
    for (std::size_t i = 0; i < big.size(); i += 1000) big[i] = '\\', big[i + 1] = 'n';
    auto doc = JsonDocument::parse("{\"text\":\"" + big + "\"}");
    const std::string& s = doc.root().find("text")->asString();
    CHECK(s.size() == 999'000);
    CHECK(s[0] == '\n');
    CHECK(doc.root().find("text")->raw().size() == 1'000'002);

    std::string page = "{\"messages\":[";
    for (int i = 0; i < 100; ++i) {
        if (i) page += ',';
        page +=
            R"({"sender":{"name":"John Smith","user_id":"user:123456789012"},"recipient":{"chat_id":"chat:C3"},)"
            R"("message":{"text":"hello \u043f\u0440\u0438\u0432\u0435\u0442","seq":)" +
            std::to_string(98211023614189660LL + i) +
            R"(,"mid":"mid:C3.15cea67d78d2059","attachments":[{"type":"SHARE","payload":{"url":"https://ya.ru/"}}]},"timestamp":1498581292941})";
    }
    page += "]}";
    auto p = JsonDocument::parse(page);
    const auto& messages = p.root().find("messages")->items();
    REQUIRE(messages.size() == 100);
    CHECK(messages[99].find("message")->find("seq")->asInt64() == 98211023614189660LL + 99);
    CHECK(messages[0].find("message")->find("text")->asString() ==
          "hello \xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");
}

TEST_CASE("Json refuses a document with more values than its reader allows", "[json][limits]") {
    // [0,0,0]: the array and three numbers are four values; {"a":[1]}: the object, the array and the number, three.
    CHECK(JsonDocument::parse("[0,0,0]", 4).root().items().size() == 3);
    CHECK_THROWS_AS(JsonDocument::parse("[0,0,0]", 3), JsonTooManyValuesError);
    CHECK(JsonDocument::parse(R"({"a":[1]})", 3).root().find("a"));
    CHECK_THROWS_AS(JsonDocument::parse(R"({"a":[1]})", 2), JsonTooManyValuesError);
    // The refusal is a parse error (every reader of untrusted text already handles it) that says why.
    std::string tiny = "[0";
    for (int i = 1; i < 1'000'000; ++i) tiny += ",0";
    tiny += "]";
    try {
        JsonDocument::parse(tiny, 100'000);
        FAIL("no exception");
    } catch (const JsonParseError& e) {
        CHECK_THAT(std::string(e.what()), Catch::Contains("more than 100000 values"));
    }
    CHECK(JsonDocument::parse(tiny).root().items().size() == 1'000'000);  // no limit unless asked for
    CHECK(sizeof(JsonValue) <= 72);                                       // what each of those values costs (was 120)
}
