#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include <csignal>

#include "integration/Harness.h"
#include "store/Archive.h"

using namespace okarchive::it;
using okarchive::openArchive;

namespace {

const std::string kChat = "chat:C3ecb9d02a600";  // okapi-sim's default chat

/// `ndjson` without the attachments' "media" objects: the media ledger's view, which the API did not send.
std::string withoutMedia(const std::string& ndjson) {
    static const std::regex media(
        R"(,"media":\{"state":"[a-z_]+","sha256":(null|"[0-9a-f]{64}"),"bytes":(null|[0-9]+),"mime":(null|"[^"]*"),)"
        R"("path":(null|"[^"]*"),"reason":(null|"([^"\\]|\\.)*")\})");
    return std::regex_replace(ndjson, media, "");
}

/// The archive's NDJSON with --verbatim: byte for byte what the API sent (lone surrogates, NUL), like the truth;
/// without the media ledger's view of each attachment (withoutMedia).
std::string exportNdjson(const SimProcess& sim, const std::string& db, const std::string& chat,
                         const std::string& out) {
    auto r = runOkarchive(
        with(baseArgs(sim, db), {"export", "--format=ndjson", "--verbatim", "--chat=" + chat, "--output=" + out}));
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    return withoutMedia(readFile(out));
}

std::string integrity(const std::string& db) { return openArchive(db)->integrityCheck(); }

/// Every archived message of every chat, read through the store: (chat, mid) pairs, duplicates kept.
std::vector<std::pair<std::string, std::string>> archivedIds(const std::string& db) {
    const auto archive = openArchive(db);
    std::vector<std::pair<std::string, std::string>> ids;
    for (const auto& chat : archive->archivedChatIds()) {
        auto cursor = archive->openCursor({chat});
        while (cursor->next()) ids.emplace_back(chat, cursor->current().mid);
    }
    return ids;
}

long long lines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

}  // namespace

TEST_CASE("a full sync equals the simulator's ground truth in every field, under both bound semantics") {
    for (const char* bounds : {"--bounds=inclusive", "--bounds=exclusive"}) {
        TempDir dir;
        SimProcess sim({bounds, "--seed=7", "--chat=" + kChat + "=3000", "--cluster=60"});
        const auto db = dir.file("a.db");
        auto r = runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat}));
        INFO(bounds << "\n" << r.out << r.err);
        REQUIRE(r.exitCode == 0);
        REQUIRE(r.out.find(kChat + "  ok") != std::string::npos);
        const auto exported = exportNdjson(sim, db, kChat, dir.file("a.ndjson"));
        const auto truth = sim.truth(kChat);
        REQUIRE(lines(truth) >= 3000);
        REQUIRE(exported == truth);
        REQUIRE(integrity(db) == "ok");
    }
}

TEST_CASE("a second sync with nothing new costs one or two requests, new messages arrive with the next") {
    TempDir dir;
    SimProcess sim({"--seed=3", "--chat=" + kChat + "=2000"});
    const auto db = dir.file("b.db");
    REQUIRE(runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat})).exitCode == 0);

    // Without the re-check (--recheck=0 for one run, sync.recheck = 0 as a setting) only the head is asked.
    sim.resetStats();
    auto again = runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat, "--recheck=0"}));
    REQUIRE(again.exitCode == 0);
    REQUIRE(again.out.find(" 0 new") != std::string::npos);
    REQUIRE(sim.historyRequests() <= 2);

    sim.post("/_sim/append?chat_id=" + kChat + "&count=7");
    sim.resetStats();
    auto more = runOkarchive(with(baseArgs(sim, db), {"-Dsync.recheck=0", "sync", "--chat=" + kChat}));
    REQUIRE(more.exitCode == 0);
    REQUIRE(more.out.find(" 7 new") != std::string::npos);
    REQUIRE(sim.historyRequests() <= 2);
    REQUIRE(exportNdjson(sim, db, kChat, dir.file("b.ndjson")) == sim.truth(kChat));

    // The default re-check (7d) re-pages the recent history: a few pages more, at most the whole chat's, nothing
    // changed, nothing marked.
    sim.resetStats();
    auto rechecked = runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat}));
    INFO(rechecked.out << rechecked.err);
    REQUIRE(rechecked.exitCode == 0);
    CHECK(sim.historyRequests() > 2);
    CHECK(sim.historyRequests() <= 2 + 2007 / 99 + 3);
    CHECK(rechecked.out.find(" 0 new, 0 revised, 2007 archived") != std::string::npos);
}

TEST_CASE("a sync through injected faults completes and matches the ground truth") {
    TempDir dir;
    SimProcess sim({"--seed=11", "--chat=" + kChat + "=2500", "--fault-rate=0.25",
                    "--faults=500,503,429,error8,error2,truncated,nonjson,reset", "--retry-after=0"});
    const auto db = dir.file("c.db");
    auto r = runOkarchive(with(baseArgs(sim, db), {"-Dapi.max_retries=12", "sync", "--chat=" + kChat}));
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
    REQUIRE(exportNdjson(sim, db, kChat, dir.file("c.ndjson")) == sim.truth(kChat));
}

TEST_CASE("kill -9 at random moments never loses or duplicates a message") {
    TempDir dir;
    SimProcess sim({"--seed=5", "--chat=" + kChat + "=30000", "--cluster=60", "--bounds=exclusive"});
    const auto db = dir.file("d.db");
    std::mt19937 rng(std::random_device{}());
    int killedMidway = 0;
    for (int round = 0; round < 10; ++round) {
        sim.resetStats();
        const long long killAfter = std::uniform_int_distribution<long long>(1, 40)(rng);
        auto handle = startOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat}));
        if (killAfterHistoryRequests(handle, sim, killAfter))
            ++killedMidway;
        else
            handle.wait();
    }
    REQUIRE(killedMidway >= 5);
    auto final = runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat}));
    INFO(final.out << final.err);
    REQUIRE(final.exitCode == 0);
    const auto truth = sim.truth(kChat);
    const auto ids = archivedIds(db);
    REQUIRE(static_cast<long long>(ids.size()) == lines(truth));
    REQUIRE(std::set<std::pair<std::string, std::string>>(ids.begin(), ids.end()).size() == ids.size());
    REQUIRE(integrity(db) == "ok");
    REQUIRE(exportNdjson(sim, db, kChat, dir.file("d.ndjson")) == truth);
}

TEST_CASE("an invalid token exits 3 and the token appears nowhere") {
    TempDir dir;
    SimProcess sim({"--seed=1", "--chat=" + kChat + "=50", "--token=the-right-one"});
    const std::string secret = "s3cr3t-WRONG-token-0123456789";
    const auto db = dir.file("e.db");
    auto r = runOkarchive({"-Dapi.base_url=" + sim.baseUrl(), "-Darchive.database=" + db, "-Dapi.requests_per_second=0",
                           "sync", "--chat=" + kChat},
                          {{"OKARCHIVE_ACCESS_TOKEN", secret}});
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 3);
    REQUIRE(r.err.find("token") != std::string::npos);
    REQUIRE(r.out.find(secret) == std::string::npos);
    REQUIRE(r.err.find(secret) == std::string::npos);
    REQUIRE(readAllFiles(dir.path()).find(secret) == std::string::npos);
}

TEST_CASE("a forbidden chat fails alone: exit 1, the others complete") {
    TempDir dir;
    const std::string good2 = "chat:C0000000000b2", bad = "chat:C00000000bad1";
    SimProcess sim(
        {"--seed=2", "--chat=" + kChat + "=300", "--chat=" + bad + "=10:forbidden", "--chat=" + good2 + "=200"});
    const auto db = dir.file("f.db");
    auto r = runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat, "--chat=" + bad, "--chat=" + good2}));
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 1);
    REQUIRE(r.out.find(bad + "  FAILED") != std::string::npos);
    REQUIRE(r.err.find(bad) != std::string::npos);
    REQUIRE(exportNdjson(sim, db, kChat, dir.file("g1.ndjson")) == sim.truth(kChat));
    REQUIRE(exportNdjson(sim, db, good2, dir.file("g2.ndjson")) == sim.truth(good2));
}

TEST_CASE("a millisecond with more messages than a page warns, records it in status, and finishes") {
    TempDir dir;
    SimProcess sim({"--seed=9", "--chat=" + kChat + "=500", "--cluster=120"});
    const auto db = dir.file("h.db");
    auto r = runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat}));
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
    REQUIRE(r.err.find("warning") != std::string::npos);
    REQUIRE(r.err.find(kChat) != std::string::npos);
    auto status = runOkarchive(with(baseArgs(sim, db), {"status"}));
    REQUIRE(status.exitCode == 0);
    REQUIRE(status.out.find("warning") != std::string::npos);
    const auto reachable = sim.truth(kChat, true);
    REQUIRE(lines(sim.truth(kChat, false)) - lines(reachable) == 20);  // the sim's own account of what no page reaches
    REQUIRE(exportNdjson(sim, db, kChat, dir.file("h.ndjson")) == reachable);
}

TEST_CASE("bad usage and configuration exit 2 naming the culprit") {
    TempDir dir;
    auto noToken = runOkarchive({"-Darchive.database=" + dir.file("x.db"), "sync", "--chat=" + kChat});
    REQUIRE(noToken.exitCode == 2);
    REQUIRE(noToken.err.find("token") != std::string::npos);

    auto badKey = runOkarchive({"-Dsync.pagesize=5", "status"});
    REQUIRE(badKey.exitCode == 2);
    REQUIRE(badKey.err.find("sync.pagesize") != std::string::npos);

    auto badValue = runOkarchive({"-Dsync.page_size=lots", "-Dapi.access_token=x", "sync", "--chat=" + kChat});
    REQUIRE(badValue.exitCode == 2);
    REQUIRE(badValue.err.find("sync.page_size") != std::string::npos);

    auto badChat = runOkarchive({"-Dapi.access_token=x", "sync", "--chat=C3ecb9d02a600"});
    REQUIRE(badChat.exitCode == 2);
    REQUIRE(badChat.err.find("C3ecb9d02a600") != std::string::npos);

    auto unknownCommand = runOkarchive({"frobnicate"});
    REQUIRE(unknownCommand.exitCode == 2);

    auto missingArchive = runOkarchive({"-Darchive.database=" + dir.file("none.db"), "status"});
    REQUIRE(missingArchive.exitCode == 1);
    REQUIRE(missingArchive.err.find("none.db") != std::string::npos);
}
