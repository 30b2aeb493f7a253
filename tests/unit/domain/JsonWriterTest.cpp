#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "domain/Json.h"
#include "domain/JsonText.h"
#include "domain/JsonWriter.h"

using namespace okarchive;

TEST_CASE("JsonWriter inserts separators between members and items at every depth") {
    std::string out;
    JsonWriter json(out);
    json.beginObject().key("a").value(1).key("b").beginArray().value("x").beginObject().endObject();
    json.beginArray().endArray().null().value(true).value(false).endArray();
    json.key("c").beginObject().key("d").value(-2).endObject().endObject();
    REQUIRE(out == R"({"a":1,"b":["x",{},[],null,true,false],"c":{"d":-2}})");
    REQUIRE(json.complete());
    REQUIRE(json.depth() == 0);
}

TEST_CASE("JsonWriter writes integers exactly and doubles in their shortest form") {
    std::string out;
    JsonWriter json(out);
    json.beginArray().value(std::numeric_limits<std::int64_t>::min()).value(std::numeric_limits<std::uint64_t>::max());
    json.value(9007199254740993LL).value(2.5).value(0.1).value(120.0).value(1e21);
    json.value(std::numeric_limits<double>::quiet_NaN()).value(std::numeric_limits<double>::infinity()).endArray();
    REQUIRE(out == "[-9223372036854775808,18446744073709551615,9007199254740993,2.5,0.1,120,1e+21,null,null]");
    const auto doc = JsonDocument::parse(out);  // the strict parser accepts it
    REQUIRE(doc.root().items().size() == 9);
}

TEST_CASE("JsonWriter escapes keys and strings exactly as appendJsonString does") {
    static const char kHostile[] = "q\"b\\s/\n\t\x01\x7f NUL\0 \xED\xA0\x80 \xFF \xC3 \u202E 👋";
    const std::string hostile(kHostile, sizeof kHostile - 1);
    std::string out;
    JsonWriter json(out);
    json.beginObject().key(hostile).value(hostile).endObject();
    const std::string literal = jsonString(hostile);
    REQUIRE(out == "{" + literal + ":" + literal + "}");
    REQUIRE(literal ==
            "\"q\\\"b\\\\s/\\n\\t\\u0001\\u007f NUL\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD \u202E 👋\"");
    std::string verbatim;
    JsonWriter(verbatim, JsonFidelity::Verbatim).beginArray().value(hostile).endArray();
    REQUIRE(verbatim == "[" + jsonString(hostile, JsonFidelity::Verbatim) + "]");
}

TEST_CASE("JsonWriter writes optional strings as the string or null") {
    std::string out;
    JsonWriter json(out);
    json.beginArray().value(std::optional<std::string>("x")).value(std::optional<std::string>()).endArray();
    REQUIRE(out == R"(["x",null])");
}

TEST_CASE("JsonWriter splices raw values verbatim in the value's place") {
    std::string out;
    JsonWriter json(out);
    json.beginObject().key("payload").raw(R"({"url":"https://x/"})").key("list").beginArray();
    json.raw("[1, 2]").raw("3").endArray().endObject();
    REQUIRE(out == R"({"payload":{"url":"https://x/"},"list":[[1, 2],3]})");
    std::string other;
    JsonWriter top(other);
    top.raw("{}");
    REQUIRE(top.complete());
    REQUIRE(other == "{}");
}

TEST_CASE("JsonWriter makes spliced raw values valid unless it is Verbatim") {
    const std::string payload = R"({"name":"\ud800 and \u0000","ok":"\ud83d\ude00"})";
    std::string valid, verbatim;
    JsonWriter(valid).beginArray().raw(payload).value(true).null().endArray();
    JsonWriter(verbatim, JsonFidelity::Verbatim).beginArray().raw(payload).endArray();
    REQUIRE(valid == R"([{"name":"\ufffd and \ufffd","ok":"\ud83d\ude00"},true,null])");
    REQUIRE(verbatim == "[" + payload + "]");
}

TEST_CASE("JsonWriter puts a requested line break after the comma and before the next token") {
    std::string out;
    JsonWriter json(out);
    json.beginObject().key("a").value(1).lineBreak().key("b").beginArray();
    json.lineBreak().value(1).lineBreak().value(2).lineBreak().endArray().endObject();
    REQUIRE(out == "{\"a\":1,\n\"b\":[\n1,\n2\n]}");
}

TEST_CASE("JsonWriter keeps its state when the caller flushes the string between values") {
    std::string out;
    JsonWriter json(out);
    json.beginArray().value(1);
    std::string flushed = out;
    out.clear();
    json.value(2).endArray();
    flushed += out;
    REQUIRE(flushed == "[1,2]");
}

TEST_CASE("JsonWriter refuses misuse before writing anything") {
    std::string out;
    JsonWriter json(out);
    SECTION("a key outside an object") {
        REQUIRE_THROWS_AS(json.key("a"), std::logic_error);
        json.beginArray();
        REQUIRE_THROWS_AS(json.key("a"), std::logic_error);
        REQUIRE(out == "[");
    }
    SECTION("a value inside an object without its key") {
        json.beginObject();
        REQUIRE_THROWS_AS(json.value(1), std::logic_error);
        REQUIRE_THROWS_AS(json.beginArray(), std::logic_error);
        REQUIRE_THROWS_AS(json.raw("1"), std::logic_error);
        REQUIRE(out == "{");
    }
    SECTION("two keys in a row and an object closed after a key") {
        json.beginObject().key("a");
        REQUIRE_THROWS_AS(json.key("b"), std::logic_error);
        REQUIRE_THROWS_AS(json.endObject(), std::logic_error);
        REQUIRE(out == "{\"a\":");
    }
    SECTION("unbalanced or mismatched ends") {
        REQUIRE_THROWS_AS(json.endObject(), std::logic_error);
        REQUIRE_THROWS_AS(json.endArray(), std::logic_error);
        json.beginObject();
        REQUIRE_THROWS_AS(json.endArray(), std::logic_error);
        json.key("a").beginArray();
        REQUIRE_THROWS_AS(json.endObject(), std::logic_error);
        REQUIRE(out == "{\"a\":[");
        REQUIRE_FALSE(json.complete());
    }
    SECTION("a second top-level value") {
        json.value(1);
        REQUIRE_THROWS_AS(json.value(2), std::logic_error);
        REQUIRE_THROWS_AS(json.beginObject(), std::logic_error);
        REQUIRE(out == "1");
    }
    SECTION("an empty raw splice") {
        json.beginArray();
        REQUIRE_THROWS_AS(json.raw(""), std::logic_error);
        REQUIRE(out == "[");
    }
    SECTION("nesting deeper than the writer tracks") {
        for (int i = 0; i < 64; ++i) json.beginArray();
        REQUIRE_THROWS_AS(json.beginArray(), std::logic_error);
        REQUIRE(out == std::string(64, '['));
    }
}
