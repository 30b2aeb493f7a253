#include <catch2/catch.hpp>

#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "service/ServiceStatus.h"
#include "support/ManualEnv.h"

using namespace okarchive;

namespace {

bool hasLine(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (l == line) return true;
    return false;
}

}  // namespace

TEST_CASE("metrics: okarchive_media_files shows every state from 0, summed over the archive's chats") {
    ServiceStatus status;
    const auto empty = status.metrics(0);
    for (const char* state :
         {"pending", "saved", "skipped_policy", "expired", "failed_transient", "failed_permanent"}) {
        INFO(state);
        CHECK(hasLine(empty, std::string("okarchive_media_files{state=\"") + state + "\"} 0"));
    }
    CHECK(hasLine(empty, "okarchive_media_downloads_total{result=\"saved\"} 0"));
    CHECK(hasLine(empty, "okarchive_media_downloads_total{result=\"failed_permanent\"} 0"));
    CHECK(hasLine(empty, "okarchive_media_bytes_total 0"));

    status.setMediaFiles("chat:A", {{MediaState::Saved, 3}, {MediaState::Expired, 1}});
    status.setMediaFiles("chat:B", {{MediaState::Saved, 2}});
    status.setChats({"chat:B"});  // a chat no longer synced keeps its files in the archive
    status.setMediaFiles("chat:B", {{MediaState::Saved, 4}, {MediaState::Pending, 1}});
    const auto text = status.metrics(0);
    CHECK(hasLine(text, "okarchive_media_files{state=\"saved\"} 7"));
    CHECK(hasLine(text, "okarchive_media_files{state=\"expired\"} 1"));
    CHECK(hasLine(text, "okarchive_media_files{state=\"pending\"} 1"));
    CHECK(hasLine(text, "okarchive_media_files{state=\"failed_transient\"} 0"));
}

TEST_CASE("metrics: downloads count by result and saved bytes, policy skips and reused files do not") {
    ServiceStatus status;
    status.recordMediaOutcome(MediaState::Saved, 1000, true);
    status.recordMediaOutcome(MediaState::Saved, 24, true);
    status.recordMediaOutcome(MediaState::Saved, 5000, false);  // reused: no download
    status.recordMediaOutcome(MediaState::SkippedPolicy, std::nullopt, false);
    status.recordMediaOutcome(MediaState::FailedTransient, std::nullopt, true);
    const auto text = status.metrics(0);
    CHECK(hasLine(text, "okarchive_media_downloads_total{result=\"saved\"} 2"));
    CHECK(hasLine(text, "okarchive_media_downloads_total{result=\"failed_transient\"} 1"));
    CHECK(hasLine(text, "okarchive_media_downloads_total{result=\"skipped_policy\"} 0"));
    CHECK(hasLine(text, "okarchive_media_bytes_total 1024"));
    CHECK_FALSE(hasLine(text, "okarchive_media_downloads_total{result=\"pending\"} 0"));
}

TEST_CASE("healthz: each chat carries its media counts by state") {
    ServiceStatus status;
    test::ManualEnv clock;
    status.setChats({"chat:A", "chat:B"});
    status.setMediaFiles("chat:A", {{MediaState::Saved, 5}, {MediaState::FailedPermanent, 2}});
    const auto body = status.health({}, clock.now(), clock.wallMs()).second;
    const auto root = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    const auto chats = root->getArray("chats");
    REQUIRE(chats->size() == 2);
    const auto a = chats->getObject(0)->getObject("media");
    CHECK(a->getValue<int>("saved") == 5);
    CHECK(a->getValue<int>("failed_permanent") == 2);
    CHECK(a->getValue<int>("pending") == 0);
    CHECK(chats->getObject(1)->getObject("media")->getValue<int>("saved") == 0);
    CHECK(chats->getObject(1)->getObject("media")->size() == 6);
}
