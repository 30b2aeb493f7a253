#include <catch2/catch.hpp>

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include "app/Settings.h"
#include "domain/Errors.h"

using namespace okarchive;
using namespace std::chrono_literals;

namespace {

Poco::AutoPtr<Poco::Util::MapConfiguration> configWith(const std::map<std::string, std::string>& values) {
    Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
    for (const auto& s : knownSettings()) config->setString(s.key, s.defaultValue);  // as OkarchiveApp layers them
    for (const auto& [k, v] : values) config->setString(k, v);
    return config;
}

/// The UsageError Settings::sync() throws for `values`, or "" if none.
std::string syncError(const std::map<std::string, std::string>& values) {
    try {
        Settings(*configWith(values)).sync();
    } catch (const UsageError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("sync.recheck: 7d unless set, 0 turns it off, all is the whole history, per chat overrides") {
    const auto plain = Settings(*configWith({})).sync();
    CHECK(plain.recheck.span == RecheckSpan{RecheckSpan::Kind::Window, 7 * 24h});
    CHECK_FALSE(plain.includeDeleted);
    CHECK(plain.recheck.maxPages == 0);  // sync runs a pass to its end

    const auto set = Settings(*configWith({{"sync.recheck", "30d"},
                                           {"sync.recheck.chat:A1", "all"},
                                           {"sync.recheck.chat:B2", "0"},
                                           {"sync.include_deleted", "true"}}))
                         .sync();
    CHECK(set.recheck.spanFor("chat:C3") == RecheckSpan{RecheckSpan::Kind::Window, 30 * 24h});
    CHECK(set.recheck.spanFor("chat:A1").kind == RecheckSpan::Kind::All);
    CHECK(set.recheck.spanFor("chat:B2").kind == RecheckSpan::Kind::Off);
    CHECK(set.includeDeleted);
}

TEST_CASE("sync.recheck errors name the key and the value") {
    CHECK_THAT(syncError({{"sync.recheck", "week"}}),
               Catch::Contains("setting sync.recheck = 'week'") && Catch::Contains("all"));
    CHECK_THAT(syncError({{"sync.recheck.chat:A1", "-1"}}),
               Catch::Contains("setting sync.recheck.chat:A1 = '-1'"));
    CHECK_THAT(syncError({{"sync.recheck.chat:x!", "1d"}}),
               Catch::Contains("setting sync.recheck.chat:x!") && Catch::Contains("not a chat id"));
    CHECK_THAT(syncError({{"sync.include_deleted", "maybe"}}),
               Catch::Contains("setting sync.include_deleted = 'maybe' must be true or false"));
}

TEST_CASE("a re-check span gives its window back from the newest message") {
    CHECK(parseRecheckSpan("1d", "k").over(100'000'000) == TimeRange{100'000'000 - 86'400'000, 100'000'000});
    CHECK(parseRecheckSpan("30d", "k").over(5'000) == TimeRange{0, 5'000});  // never below 0
    CHECK(parseRecheckSpan("all", "k").over(5'000) == TimeRange{0, 5'000});
    CHECK_FALSE(parseRecheckSpan("0", "k").over(5'000));
    CHECK_THROWS_AS(parseRecheckSpan("", "k"), UsageError);
    CHECK_THROWS_AS(parseRecheckSpan("0d", "k"), UsageError);
}

TEST_CASE("the per-chat re-check key is a known setting, a bad chat id in it is not") {
    CHECK(isKnownSetting("sync.recheck"));
    CHECK(isKnownSetting("sync.recheck_pages"));
    CHECK(isKnownSetting("sync.include_deleted"));
    CHECK(isKnownSetting("sync.recheck.chat:C3ecb9d02a600"));
    CHECK_FALSE(isKnownSetting("sync.recheck.chat:"));
    CHECK_FALSE(isKnownSetting("sync.recheck.C3"));
}

TEST_CASE("serve re-pages sync.recheck_pages of a pass per turn, 50 unless set, 0 for no limit") {
    const std::map<std::string, std::string> base{{"sync.chats", "chat:A1"}, {"api.access_token", "t0ken"}};
    CHECK(Settings(*configWith(base)).serve().recheck.maxPages == 50);
    auto values = base;
    values["sync.recheck_pages"] = "0";
    values["sync.recheck"] = "all";
    values["sync.include_deleted"] = "yes";
    const auto unlimited = Settings(*configWith(values)).serve();
    CHECK(unlimited.recheck.maxPages == 0);
    CHECK(unlimited.recheck.span.kind == RecheckSpan::Kind::All);
    CHECK(unlimited.includeDeleted);
    values["sync.recheck_pages"] = "-3";
    CHECK_THROWS_WITH(Settings(*configWith(values)).serve(), Catch::Contains("setting sync.recheck_pages = '-3'"));
}
