#include <catch2/catch.hpp>

#include <set>
#include <sstream>
#include <stdexcept>

#include <Poco/AutoPtr.h>
#include <Poco/Util/IniFileConfiguration.h>

#include "app/SampleConfig.h"
#include "app/Settings.h"
#include "support/TestPaths.h"

using namespace okarchive;

namespace {

const std::string kSamplePath = okarchive::test::fixturesDir() + "/../../config/okarchive.ini";

SampleConfig parse(const std::string& text) {
    std::istringstream in(text);
    return parseSampleConfig(in, "test.ini");
}

/// Every leaf key Poco's INI reader (okarchive's own loader) finds, with its value.
void collect(const Poco::Util::AbstractConfiguration& config, const std::string& root,
             std::map<std::string, std::string>& out) {
    Poco::Util::AbstractConfiguration::Keys keys;
    config.keys(root, keys);
    if (keys.empty() && !root.empty()) out[root] = config.getString(root);
    for (const auto& k : keys) collect(config, root.empty() ? k : root + "." + k, out);
}

}  // namespace

TEST_CASE("the sample reader keeps sections, keys, commented examples and the comments above them") {
    const auto sample = parse(
        "; opening\n; second line\n\n[api]\n; the base\n; of it\nbase_url = https://x\n;token = a\n;token = b\n"
        "[sync]\n;\n; after a bare ';'\n;\n; and one more\n;interval.chat:C1 = 1h\n; a note on sync\n");
    CHECK(sample.preamble == "opening\nsecond line");
    REQUIRE(sample.sections.size() == 2);
    const auto& api = sample.sections[0];
    CHECK(api.name == "api");
    REQUIRE(api.keys.size() == 2);
    CHECK(api.keys[0].name == "base_url");
    CHECK(api.keys[0].values == std::vector<std::string>{"https://x"});
    CHECK_FALSE(api.keys[0].commented);
    CHECK(api.keys[0].comment == "the base\nof it");
    CHECK(api.keys[1].values == std::vector<std::string>{"a", "b"});
    CHECK(api.keys[1].commented);
    CHECK(api.keys[1].comment.empty());
    const auto* perChat = sample.find("sync.interval.chat:C1");
    REQUIRE(perChat);
    CHECK(perChat->comment == "after a bare ';'\n\nand one more");
    CHECK(sample.sections[1].note == "a note on sync");
    CHECK(sample.find("api.token") == &api.keys[1]);
    CHECK(sample.find("sync.base_url") == nullptr);
}

TEST_CASE("the sample reader refuses what it cannot document, naming the line") {
    CHECK_THROWS_WITH(parse("base_url = x\n"), Catch::Contains("test.ini:1") && Catch::Contains("outside a [section]"));
    CHECK_THROWS_WITH(parse("[a]\nk = 1\n;k = 2\n"), Catch::Contains("test.ini:3") && Catch::Contains("both set"));
    CHECK_THROWS_WITH(parse("[a]\nk = 1\n; more\nk = 2\n"), Catch::Contains("test.ini:4") && Catch::Contains("twice"));
    CHECK_THROWS_WITH(parse("[a]\n;comment without a space\n"), Catch::Contains("test.ini:2"));
    CHECK_THROWS_WITH(parse("[a]\njust words\n"), Catch::Contains("test.ini:2"));
}

TEST_CASE("config/okarchive.ini reads as okarchive's own loader reads it") {
    const auto sample = readSampleConfig(kSamplePath);
    std::map<std::string, std::string> set;
    for (const auto& section : sample.sections)
        for (const auto& key : section.keys)
            if (!key.commented) set[section.name + "." + key.name] = key.values.front();
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> poco(new Poco::Util::IniFileConfiguration(kSamplePath));
    std::map<std::string, std::string> loaded;
    collect(*poco, "", loaded);
    CHECK(set == loaded);
}

TEST_CASE("every known setting is in config/okarchive.ini under its section with the same default") {
    const auto sample = readSampleConfig(kSamplePath);
    for (const auto& setting : knownSettings()) {
        INFO(setting.key);
        const auto* key = sample.find(setting.key);
        REQUIRE(key);  // set, or shown commented out as ;key = ...
        if (!key->commented) {
            CHECK(key->values.front() == setting.defaultValue);
        } else if (*setting.defaultValue) {  // shown unset: only a key without a default, or with it as the example
            CHECK(std::count(key->values.begin(), key->values.end(), setting.defaultValue) == 1);
        }
        CHECK_FALSE(key->comment.empty());
    }
}

TEST_CASE("every key of config/okarchive.ini is one okarchive knows") {
    const auto sample = readSampleConfig(kSamplePath);
    std::set<std::string> seen;
    for (const auto& section : sample.sections)
        for (const auto& key : section.keys) {
            const auto full = section.name + "." + key.name;
            INFO(full);
            CHECK(isKnownSetting(full));
            CHECK(seen.insert(full).second);
        }
    CHECK(seen.size() >= knownSettings().size());
}
