#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <set>

#include "store/Archive.h"
#include "support/ScriptedHistory.h"
#include "sync/ChatSync.h"

using namespace okarchive;
using namespace std::chrono_literals;
using okarchive::testing::ScriptedHistory;

namespace {

struct TempDb {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("okarchive-recheck-" + std::to_string(std::random_device{}()) + ".db");
    ~TempDb() {
        for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + s);
    }
};

constexpr std::int64_t kStart = 1'600'000'000'000;

/// One message every 10 ms from kStart: message i at kStart + 10 i.
void fill(ScriptedHistory& h, int n) {
    for (int i = 0; i < n; ++i) h.add(kStart + i * 10);
}

RecheckPlan window(std::chrono::milliseconds span, int maxPages = 0, bool fresh = false) {
    return {{RecheckSpan::Kind::Window, span}, fresh, maxPages};
}

/// Removes the messages at `indexes` (insertion order) from the server; returns their mids.
std::set<std::string> deleteOnServer(ScriptedHistory& h, const std::set<std::size_t>& indexes) {
    std::set<std::string> gone;
    std::vector<Message> kept;
    for (std::size_t i = 0; i < h.messages.size(); ++i)
        (indexes.count(i) ? gone.insert(h.messages[i].mid), void() : kept.push_back(h.messages[i]));
    h.messages = kept;
    return gone;
}

void edit(Message& m) {
    m.text = "edited " + m.mid;
    m.rawJson = "{\"mid\":\"" + m.mid + "\",\"text\":\"edited\"}";
}

/// The mids the archive holds marked deleted.
std::set<std::string> markedDeleted(Archive& archive, const ScriptedHistory& all) {
    std::set<std::string> out;
    auto snapshot = archive.snapshot();
    for (const auto& m : all.messages) {
        const auto found = snapshot->findMessage("chat:T", m.mid);
        REQUIRE(found);
        if (found->deletedObservedAtMs) out.insert(m.mid);
    }
    return out;
}

ChatSyncResult syncWith(Archive& archive, ScriptedHistory& h, RecheckPlan plan) {
    ChatSync sync(archive, h, "chat:T", 100);
    sync.setRecheck(plan);
    sync.run();
    return sync.result();
}

}  // namespace

TEST_CASE("a re-check finds the edits and deletions inside its window, all finds the rest") {
    TempDb db;
    const auto opened = openArchive(db.path.string());
    Archive& archive = *opened;
    ScriptedHistory h;
    fill(h, 1000);  // newest at kStart + 9990
    const ScriptedHistory original = h;
    const auto first = syncWith(archive, h, window(2s));
    REQUIRE(first.messagesNew == 1000);
    REQUIRE_FALSE(first.recheckRan);  // nothing was archived before: nothing to re-check

    // The window [kStart + 7990, kStart + 9990] holds messages 799..999.
    for (std::size_t i : {800u, 850u, 999u}) edit(h.messages[i]);
    for (std::size_t i : {10u, 500u}) edit(h.messages[i]);
    const auto gone = deleteOnServer(h, {799, 900, 901, 998, 100, 798});
    const std::set<std::string> goneInside{original.messages[799].mid, original.messages[900].mid,
                                           original.messages[901].mid, original.messages[998].mid};

    const auto second = syncWith(archive, h, window(2s));
    CHECK(second.recheckRan);
    CHECK(second.recheckCompleted);
    CHECK(second.messagesRevised == 3);
    CHECK(second.messagesDeleted == 4);
    CHECK(markedDeleted(archive, original) == goneInside);
    const auto state = archive.recheckState("chat:T");
    CHECK_FALSE(state.pending);
    CHECK(state.lastCompletedAtMs);
    CHECK(state.lastCompletedRange == TimeRange{kStart + 7990, kStart + 9990});
    // About window / page size requests: the head, then 201 messages in pages of 100.
    CHECK(second.requests <= 7);

    const auto all = syncWith(archive, h, {{RecheckSpan::Kind::All, {}}, true, 0});
    CHECK(all.recheckCompleted);
    CHECK(all.messagesRevised == 2);
    CHECK(all.messagesDeleted == 2);
    CHECK(markedDeleted(archive, original) == gone);

    // A message that comes back is restored.
    h.messages.push_back(original.messages[900]);
    const auto back = syncWith(archive, h, window(2s));
    CHECK(back.messagesRestored == 1);
    CHECK(back.messagesDeleted == 0);
    CHECK(markedDeleted(archive, original).count(original.messages[900].mid) == 0);
}

TEST_CASE("a re-check with a page budget stays open and the next runs continue it to the end") {
    TempDb db;
    const auto opened = openArchive(db.path.string());
    Archive& archive = *opened;
    ScriptedHistory h;
    fill(h, 1000);
    const ScriptedHistory original = h;
    syncWith(archive, h, window(10s, 2));
    std::set<std::size_t> picks;
    for (std::size_t i = 3; i < 1000; i += 97) picks.insert(i);
    const auto gone = deleteOnServer(h, picks);

    const auto turn = syncWith(archive, h, window(10s, 2));
    CHECK(turn.recheckRan);
    CHECK_FALSE(turn.recheckCompleted);
    const auto open = archive.recheckState("chat:T").pending;
    REQUIRE(open);
    CHECK(open->lo == kStart - 10);
    CHECK(open->hi < kStart + 9990 - 150 * 10);  // two pages of 100 re-paged

    int turns = 1;
    std::int64_t deleted = turn.messagesDeleted;
    for (;;) {
        const auto next = syncWith(archive, h, window(10s, 2));
        REQUIRE(next.recheckRan);
        deleted += next.messagesDeleted;
        ++turns;
        if (next.recheckCompleted) break;
        REQUIRE(turns < 10);
    }
    CHECK(turns >= 5);  // 989 messages left after the deletions, 99 proven a page, two pages a turn
    CHECK(turns <= 6);
    CHECK(deleted == static_cast<std::int64_t>(gone.size()));
    CHECK(markedDeleted(archive, original) == gone);
    CHECK_FALSE(archive.recheckState("chat:T").pending);
}

TEST_CASE("a stop during a re-check leaves the pass open and marks nothing wrongly, the next run completes it") {
    TempDb db;
    const auto opened = openArchive(db.path.string());
    Archive& archive = *opened;
    ScriptedHistory h;
    fill(h, 800);
    const ScriptedHistory original = h;
    syncWith(archive, h, window(10s));
    const auto gone = deleteOnServer(h, {5, 250, 600, 799});

    ChatSync stopped(archive, h, "chat:T", 100);
    stopped.setRecheck(window(10s));
    int pages = 0;
    stopped.setStopCheck([&pages] { return ++pages > 4; });  // asked before the run, then after each page
    REQUIRE_THROWS_AS(stopped.run(), SyncStopped);
    const auto open = archive.recheckState("chat:T").pending;
    REQUIRE(open);
    const auto early = markedDeleted(archive, original);
    for (const auto& mid : early) CHECK(gone.count(mid) == 1);
    CHECK(early.size() < gone.size());

    const auto resumed = syncWith(archive, h, window(10s));
    CHECK(resumed.recheckCompleted);
    CHECK(markedDeleted(archive, original) == gone);
}

TEST_CASE("a forced re-check (sync --recheck) starts a fresh pass over an open one, off re-checks nothing") {
    TempDb db;
    const auto opened = openArchive(db.path.string());
    Archive& archive = *opened;
    ScriptedHistory h;
    fill(h, 1000);
    syncWith(archive, h, window(10s));
    syncWith(archive, h, window(10s, 1));  // leaves a pass open over most of the history
    REQUIRE(archive.recheckState("chat:T").pending);

    h.requests.clear();
    const auto off = syncWith(archive, h, {});  // sync.recheck = 0 / --recheck=0
    CHECK_FALSE(off.recheckRan);
    CHECK(h.requests.size() == 1);  // the head only
    CHECK(archive.recheckState("chat:T").pending);

    const auto fresh = syncWith(archive, h, window(100ms, 0, true));
    CHECK(fresh.recheckCompleted);
    CHECK_FALSE(archive.recheckState("chat:T").pending);
    CHECK(archive.recheckState("chat:T").lastCompletedRange == TimeRange{kStart + 9890, kStart + 9990});
}
