#include <catch2/catch.hpp>

#include <map>
#include <string>

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include "app/Settings.h"
#include "domain/Errors.h"

using namespace okarchive;

namespace {

/// Settings::media() over the defaults (as the application layers them), archive.database = /srv/ok/archive.db
/// and `values`.
MediaConfig mediaFrom(const std::map<std::string, std::string>& values) {
    Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
    for (const auto& s : knownSettings()) config->setString(s.key, s.defaultValue);
    config->setString("archive.database", "/srv/ok/archive.db");
    for (const auto& [key, value] : values) config->setString(key, value);
    return Settings(*config).media();
}

/// The UsageError text Settings::media() throws for `key` = `value`.
std::string refusal(const std::string& key, const std::string& value) {
    try {
        mediaFrom({{key, value}});
    } catch (const UsageError& e) {
        return e.what();
    }
    FAIL("setting " << key << " = '" << value << "' was accepted");
    return {};
}

}  // namespace

TEST_CASE("media settings: the defaults, the directory beside the archive") {
    const auto m = mediaFrom({});
    CHECK(m.download);
    CHECK(m.types == std::vector<std::string>{"IMAGE", "VIDEO", "AUDIO", "FILE", "STICKER", "CONTACT", "OTHER"});
    CHECK(m.maxBytes == 100LL * 1024 * 1024);
    CHECK(m.directory == "/srv/ok/archive.db.media");
    CHECK(m.workers == 2);
    CHECK(m.requestsPerSecond == 5);
    CHECK_FALSE(m.allowPrivateAddresses);
    CHECK(m.timeout == std::chrono::milliseconds(600000));
    CHECK(m.stallTimeout == std::chrono::milliseconds(30000));
    CHECK(m.maxAttempts == 5);
}

TEST_CASE("media settings: sizes with K, M, G, T are powers of 1024, a plain number is bytes") {
    CHECK(mediaFrom({{"media.max_bytes", "500K"}}).maxBytes == 500 * 1024);
    CHECK(mediaFrom({{"media.max_bytes", "100M"}}).maxBytes == 100LL * 1024 * 1024);
    CHECK(mediaFrom({{"media.max_bytes", "2G"}}).maxBytes == 2LL * 1024 * 1024 * 1024);
    CHECK(mediaFrom({{"media.max_bytes", "2g"}}).maxBytes == 2LL * 1024 * 1024 * 1024);
    CHECK(mediaFrom({{"media.max_bytes", "1T"}}).maxBytes == 1024LL * 1024 * 1024 * 1024);
    CHECK(mediaFrom({{"media.max_bytes", "64MiB"}}).maxBytes == 64LL * 1024 * 1024);
    CHECK(mediaFrom({{"media.max_bytes", "1048576"}}).maxBytes == 1048576);
    CHECK(mediaFrom({{"media.max_bytes", "12B"}}).maxBytes == 12);
}

TEST_CASE("media settings: a bad size is refused naming the key and the value") {
    for (const char* bad : {"", "0", "-5M", "5X", "M", "1.5G", "2T", "99999999999999999999", "5 M B", "B"}) {
        const auto text = refusal("media.max_bytes", bad);
        CHECK_THAT(text, Catch::Contains("media.max_bytes") && Catch::Contains(std::string("'") + bad + "'"));
    }
}

TEST_CASE("media settings: types are upper-cased, repeats dropped, unknown names refused naming the key") {
    CHECK(mediaFrom({{"media.types", " image, Video ,IMAGE,,other"}}).types ==
          std::vector<std::string>{"IMAGE", "VIDEO", "OTHER"});
    CHECK_THAT(refusal("media.types", "IMAGE,PHOTO"), Catch::Contains("media.types") && Catch::Contains("'PHOTO'"));
    CHECK_THAT(refusal("media.types", "SHARE"), Catch::Contains("'SHARE'"));
    CHECK_THAT(refusal("media.types", " , "), Catch::Contains("media.types") && Catch::Contains("media.download"));
}

TEST_CASE("media settings: download is all or none, the rest is range-checked by name") {
    CHECK_FALSE(mediaFrom({{"media.download", "none"}}).download);
    CHECK(mediaFrom({{"media.download", "ALL"}}).download);
    CHECK_THAT(refusal("media.download", "some"), Catch::Contains("media.download") && Catch::Contains("'some'"));
    CHECK(mediaFrom({{"media.directory", "/var/media"}}).directory == "/var/media");
    CHECK(mediaFrom({{"media.allow_private_addresses", "true"}}).allowPrivateAddresses);
    CHECK(mediaFrom({{"media.requests_per_second", "0"}}).requestsPerSecond == 0);
    CHECK(mediaFrom({{"media.requests_per_second", "0.5"}}).requestsPerSecond == 0.5);
    CHECK_THAT(refusal("media.workers", "0"), Catch::Contains("media.workers") && Catch::Contains("'0'"));
    CHECK_THAT(refusal("media.workers", "17"), Catch::Contains("media.workers"));
    CHECK_THAT(refusal("media.requests_per_second", "-1"), Catch::Contains("media.requests_per_second"));
    CHECK_THAT(refusal("media.requests_per_second", "nan"), Catch::Contains("media.requests_per_second"));
    CHECK_THAT(refusal("media.allow_private_addresses", "maybe"), Catch::Contains("media.allow_private_addresses"));
    CHECK_THAT(refusal("media.timeout_ms", "5"), Catch::Contains("media.timeout_ms"));
    CHECK_THAT(refusal("media.stall_timeout_ms", "x"), Catch::Contains("media.stall_timeout_ms"));
    CHECK_THAT(refusal("media.max_attempts", "0"), Catch::Contains("media.max_attempts"));
}
