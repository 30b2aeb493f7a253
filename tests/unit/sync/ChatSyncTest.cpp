#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <random>

#include "store/Archive.h"
#include "support/ScriptedHistory.h"
#include "sync/ChatSync.h"

using namespace okarchive;
using okarchive::testing::ScriptedHistory;

namespace {

struct TempDb {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("okarchive-sync-" + std::to_string(std::random_device{}()) + ".db");
    ~TempDb() {
        for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + s);
    }
};

void fill(ScriptedHistory& h, int n) {
    for (int i = 0; i < n; ++i) h.add(1'600'000'000'000 + i * 10 + (i % 5 == 0 ? 0 : 3), i % 9 == 0 ? 2 : 1);
}

/// The warnings the archive holds for `chatId`, of `kind` (any kind when empty).
long long warningCount(Archive& a, const std::string& chatId, const std::string& kind = "") {
    for (const auto& status : a.chatStatuses()) {
        if (status.chatId != chatId) continue;
        return std::count_if(status.warnings.begin(), status.warnings.end(),
                             [&](const SyncWarning& w) { return kind.empty() || w.kind == kind; });
    }
    return 0;
}

}  // namespace

TEST_CASE("a chat sync archives every message once and proves its whole range") {
    TempDb db;
    const auto opened = openArchive(db.path.string());
    Archive& archive = *opened;
    ScriptedHistory h;
    h.fromInclusive = false;
    fill(h, 700);
    ChatSync sync(archive, h, "chat:T", 100);
    sync.run();
    REQUIRE(sync.result().ok);
    REQUIRE(sync.result().messagesNew == static_cast<long long>(h.messages.size()));
    REQUIRE(archive.messageCount("chat:T") == static_cast<long long>(h.messages.size()));
    auto coverage = archive.coverage("chat:T").ranges();
    REQUIRE(coverage.size() == 1);
    REQUIRE(coverage[0].lo == 0);

    // Run again: nothing new, one request, nothing written.
    h.requests.clear();
    ChatSync again(archive, h, "chat:T", 100);
    again.run();
    REQUIRE(h.requests.size() == 1);
    REQUIRE(again.result().messagesNew == 0);
}

TEST_CASE("a failure mid-sync keeps what was committed and the next run completes without duplicates") {
    TempDb db;
    const auto opened = openArchive(db.path.string());
    Archive& archive = *opened;
    ScriptedHistory h;
    fill(h, 1000);
    h.failAfterRequests = 4;
    ChatSync first(archive, h, "chat:T", 100);
    REQUIRE_THROWS_AS(first.run(), ApiError);
    const auto kept = archive.messageCount("chat:T");
    REQUIRE(kept > 0);
    REQUIRE(kept < static_cast<long long>(h.messages.size()));

    ChatSync second(archive, h, "chat:T", 100);
    second.run();
    REQUIRE(archive.messageCount("chat:T") == static_cast<long long>(h.messages.size()));
    REQUIRE(second.result().messagesNew + kept == static_cast<long long>(h.messages.size()));
}

TEST_CASE("an edited message keeps its earlier version") {
    TempDb db;
    const auto opened = openArchive(db.path.string());
    Archive& archive = *opened;
    ScriptedHistory h;
    fill(h, 50);
    ChatSync(archive, h, "chat:T", 100).run();

    // The newest message comes back with other content; a re-sync of the head sees it.
    auto& edited = *std::max_element(h.messages.begin(), h.messages.end(),
                                     [](const Message& a, const Message& b) { return a.timestamp < b.timestamp; });
    const auto oldRaw = edited.rawJson;
    edited.text = "edited";
    edited.rawJson = "{\"mid\":\"" + edited.mid + "\",\"text\":\"edited\"}";
    ChatSync resync(archive, h, "chat:T", 100);
    resync.run();
    REQUIRE(resync.result().messagesRevised == 1);
    const auto revisions = archive.messageRevisions("chat:T", edited.mid);
    REQUIRE(revisions.size() == 1);
    REQUIRE(revisions[0].rawJson == oldRaw);
}

TEST_CASE("an over-full millisecond is recorded as a warning once") {
    TempDb db;
    const auto opened = openArchive(db.path.string());
    Archive& archive = *opened;
    ScriptedHistory h;
    fill(h, 100);
    h.add(1'500'000'000'000, 130);
    ChatSync sync(archive, h, "chat:T", 100);
    sync.run();
    REQUIRE(sync.result().warnings.size() == 1);
    REQUIRE(sync.result().warnings[0].find("1500000000000") != std::string::npos);
    REQUIRE(warningCount(archive, "chat:T", "cluster_overflow") == 1);
    ChatSync(archive, h, "chat:T", 100).run();  // nothing re-fetched, nothing re-warned
    REQUIRE(warningCount(archive, "chat:T") == 1);
}

namespace {

/// Turns the scripted message at `index` into one the decoder could not read (as GraphHistorySource hands it on):
/// the server still files it at its timestamp, but okarchive knows that timestamp only when `usable`.
void makeUndecodable(ScriptedHistory& h, std::size_t index, bool usable) {
    Message& m = h.messages.at(index);
    m.undecodable = usable ? "message.seq is not an exact 64-bit integer" : "timestamp 1.5e12 is not exact";
    m.hasTimestamp = usable;
    m.rawJson = "{\"undecodable\":" + std::to_string(index) + "}";
}

}  // namespace

TEST_CASE("an undecodable message is quarantined and the rest of the history keeps flowing") {
    TempDb db;
    const auto opened = openArchive(db.path.string());
    Archive& archive = *opened;
    ScriptedHistory h;
    fill(h, 700);
    makeUndecodable(h, 350, true);
    makeUndecodable(h, 420, false);  // amid decodable neighbours: they prove the range around it
    ChatSync sync(archive, h, "chat:T", 100);
    sync.run();
    REQUIRE(sync.result().ok);
    CHECK(archive.messageCount("chat:T") == static_cast<long long>(h.messages.size()) - 2);
    const auto kept = archive.quarantined("chat:T");
    REQUIRE(kept.size() == 2);
    CHECK(kept[0].rawJson.find("undecodable") != std::string::npos);
    CHECK(warningCount(archive, "chat:T", "quarantined") == 2);
    REQUIRE_FALSE(sync.result().warnings.empty());  // one per page that held one
    for (const auto& w : sync.result().warnings) CHECK_THAT(w, Catch::Contains("quarantine"));
    const auto coverage = archive.coverage("chat:T").ranges();
    REQUIRE(coverage.size() == 1);
    CHECK(coverage[0].lo == 0);

    ChatSync again(archive, h, "chat:T", 100);  // nothing new: nothing quarantined twice, nothing stalls
    again.run();
    CHECK(again.result().ok);
    CHECK(again.result().warnings.empty());
    CHECK(archive.quarantined("chat:T").size() == 2);
}

TEST_CASE("a page of messages without a usable timestamp proves no coverage past what the others prove") {
    TempDb db;
    const auto opened = openArchive(db.path.string());
    Archive& archive = *opened;
    ScriptedHistory h;
    const std::int64_t t0 = 1'600'000'000'000;
    h.add(t0 - 5);  // the oldest message: the server has it below all others, okarchive cannot tell where
    for (int i = 0; i < 10; ++i) h.add(t0 + i * 10);
    makeUndecodable(h, 0, false);
    ChatSync sync(archive, h, "chat:T", 100);
    sync.run();
    REQUIRE(sync.result().ok);
    CHECK(archive.messageCount("chat:T") == 10);
    CHECK(archive.quarantined("chat:T").size() == 1);
    // Everything from the oldest decodable message up is proven; below it only the unplaceable one came: no proof.
    CHECK(archive.coverage("chat:T").ranges() == std::vector<TimeRange>{{t0, t0 + 90}});
}
