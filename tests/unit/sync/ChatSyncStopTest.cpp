#include <catch2/catch.hpp>

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
        std::filesystem::temp_directory_path() / ("okarchive-stop-" + std::to_string(std::random_device{}()) + ".db");
    ~TempDb() {
        for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + s);
    }
};

long long count(Archive& a) { return a.messageCount("chat:T"); }

}  // namespace

TEST_CASE("a stop request ends the sync between pages with every fetched page committed") {
    TempDb db;
    const auto opened = openArchive(db.path.string());
    Archive& archive = *opened;
    ScriptedHistory h;
    for (int i = 0; i < 1000; ++i) h.add(1'600'000'000'000 + i * 10);
    ChatSync sync(archive, h, "chat:T", 100);
    sync.setStopCheck([&] { return h.requests.size() >= 3; });  // asked after each page
    REQUIRE_THROWS_AS(sync.run(), SyncStopped);
    REQUIRE(h.requests.size() == 3);  // no request after the stop
    // The three pages fetched are all written (they overlap by their edge millisecond, hence a little under 300).
    const auto kept = count(archive);
    REQUIRE(kept >= 297);
    REQUIRE(kept <= 300);
    REQUIRE(sync.result().messagesNew == kept);

    ChatSync rest(archive, h, "chat:T", 100);  // the next run takes the rest, nothing twice
    rest.run();
    REQUIRE(count(archive) == 1000);
    REQUIRE(rest.result().messagesNew == 1000 - kept);
}

TEST_CASE("a stop requested before the start sends no request") {
    TempDb db;
    const auto opened = openArchive(db.path.string());
    Archive& archive = *opened;
    ScriptedHistory h;
    h.add(1'600'000'000'000);
    ChatSync sync(archive, h, "chat:T", 100);
    sync.setStopCheck([] { return true; });
    REQUIRE_THROWS_AS(sync.run(), SyncStopped);
    REQUIRE(h.requests.empty());
}
