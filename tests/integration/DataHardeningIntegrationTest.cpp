// The archive's data under odd conditions: digests judged by the server's clock and recoverable after a failed
// POST, undecodable messages quarantined, read-only users, chats that were never archived.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "integration/Harness.h"
#include "store/Archive.h"
#include "support/TestPaths.h"

using namespace okarchive::it;

namespace {

const std::string kChat = "chat:C3ecb9d02a600";  // okapi-sim's default chat

/// How many digests the chat holds, from the simulator's truth (every message it stored, posted ones included).
int digestsInChat(const SimProcess& sim) {
    const auto truth = sim.truth(kChat, false);
    const std::string marker = "\"text\":\"Chat digest: ";
    int count = 0;
    for (auto at = truth.find(marker); at != std::string::npos; at = truth.find(marker, at + 1)) ++count;
    return count;
}

long long lineCount(const std::string& text) {
    return static_cast<long long>(std::count(text.begin(), text.end(), '\n'));
}

/// The environment that runs okarchive with its wall clock shifted by `shiftMs` (LD_PRELOAD shim).
std::map<std::string, std::string> clockShifted(long long shiftMs) {
    const char* asan = std::getenv("ASAN_OPTIONS");
    return {{"LD_PRELOAD", okarchive::test::clockshiftLib()},
            {"OKARCHIVE_TEST_CLOCK_SHIFT_MS", std::to_string(shiftMs)},
            {"ASAN_OPTIONS", std::string(asan ? asan : "") + ":verify_asan_link_order=0"}};
}

/// Whether okarchive's last sync of the chat started by a clock shifted by about `shiftMs` from ours (the shim works:
/// without it the skewed cases would prove nothing).
bool shiftSeen(const std::string& db, long long shiftMs) {
    const auto runs = okarchive::openArchive(db)->syncRuns(kChat);
    const auto now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    return !runs.empty() && std::llabs(runs.back().startedAtMs - (now + shiftMs)) < 600'000;
}

}  // namespace

TEST_CASE("summary recovers from its own failed POST: after the advised sync a retry leaves exactly one digest") {
    struct Case {
        std::string fault;  // okapi-sim's post_fault mode
        long long shiftMs;  // our clock against the API's
        int storedByFault;  // digests the failed POST left in the chat
    };
    const std::vector<Case> cases = {{"lost", 0, 1},
                                     {"stored-500", 0, 1},
                                     {"500", 0, 0},
                                     {"stored-500", 3'600'000, 1},
                                     {"stored-500", -3'600'000, 1},
                                     {"lost", 3'600'000, 1}};
    for (const auto& c : cases) {
        INFO("fault " << c.fault << ", host clock off by " << c.shiftMs << " ms");
        TempDir dir;
        SimProcess sim({"--seed=31", "--chat=" + kChat + "=300"});
        const auto db = dir.file("s.db");
        const auto env = clockShifted(c.shiftMs);
        const auto sync = with(baseArgs(sim, db), {"sync", "--chat=" + kChat});
        const auto summary =
            with(baseArgs(sim, db), {"summary", "--chat=" + kChat, "--since=0", "--until=4102444800000"});
        REQUIRE(runOkarchive(sync, env).exitCode == 0);
        REQUIRE(shiftSeen(db, c.shiftMs));
        sim.post("/_sim/post_fault?mode=" + c.fault);
        const auto failed = runOkarchive(summary, env);
        INFO(failed.err);
        CHECK(failed.exitCode == 1);
        CHECK(failed.err.find("run okarchive sync --chat=" + kChat) != std::string::npos);
        REQUIRE(digestsInChat(sim) == c.storedByFault);
        const auto early = runOkarchive(summary, env);  // no sync since the attempt: it cannot tell yet
        INFO(early.err);
        CHECK(early.exitCode == 1);
        CHECK(early.err.find("run okarchive sync --chat=" + kChat) != std::string::npos);
        REQUIRE(digestsInChat(sim) == c.storedByFault);
        REQUIRE(runOkarchive(sync, env).exitCode == 0);  // the advice
        const auto retried = runOkarchive(summary, env);
        INFO(retried.err);
        CHECK(retried.exitCode == 0);
        CHECK(digestsInChat(sim) == 1);
        const auto again = runOkarchive(summary, env);
        CHECK(again.exitCode == 0);
        CHECK(again.err.find("posted already") != std::string::npos);
        CHECK(digestsInChat(sim) == 1);
    }
}

TEST_CASE("sync quarantines undecodable messages and archives every other one while status warns") {
    TempDir dir;
    SimProcess sim({"--seed=32", "--chat=" + kChat + "=300"});
    const auto db = dir.file("q.db");
    sim.post("/_sim/append?chat_id=" + kChat + "&undecodable=seq,float,empty-mid,null");
    sim.post("/_sim/append?chat_id=" + kChat + "&count=5");
    const auto sync = with(baseArgs(sim, db), {"sync", "--chat=" + kChat});
    const auto first = runOkarchive(sync);
    INFO(first.err);
    REQUIRE(first.exitCode == 0);
    CHECK(first.err.find("quarantine") != std::string::npos);
    const auto expected = lineCount(sim.truth(kChat));  // the truth leaves out what no client can decode
    REQUIRE(expected == 305);
    {
        const auto archive = okarchive::openArchive(db);
        CHECK(archive->messageCount(kChat) == expected);
        CHECK(archive->quarantined(kChat).size() == 4);
    }
    sim.post("/_sim/append?chat_id=" + kChat + "&count=3");  // the history keeps flowing past them
    REQUIRE(runOkarchive(sync).exitCode == 0);
    CHECK(okarchive::openArchive(db)->messageCount(kChat) == expected + 3);
    const auto status = runOkarchive(with(baseArgs(sim, db), {"status"}));
    INFO(status.out);
    REQUIRE(status.exitCode == 0);
    std::size_t warned = 0;
    for (auto at = status.out.find("quarantined"); at != std::string::npos; at = status.out.find("quarantined", at + 1))
        ++warned;
    CHECK(warned == 4);
    CHECK(status.out.find("could not be decoded") != std::string::npos);
}

TEST_CASE("status export and report work for a user who may not write the archive and change nothing") {
    TempDir dir;
    SimProcess sim({"--seed=33", "--chat=" + kChat + "=200"});
    const auto archiveDir = dir.path() / "archive";
    std::filesystem::create_directories(archiveDir);
    const auto db = (archiveDir / "a.db").string();
    REQUIRE(runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat})).exitCode == 0);
    const auto outDir = dir.path() / "out";
    std::filesystem::create_directories(outDir);
    ::chmod(outDir.c_str(), 0777);
    // Root bypasses file permissions: as root the commands run as nobody (setpriv), else as this user.
    const bool root = ::geteuid() == 0;
    const std::vector<std::string> as =
        root ? std::vector<std::string>{"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"}
             : std::vector<std::string>{"env"};
    if (root && runOkarchiveVia(as, {"--version"}).exitCode != 0) {
        WARN("nobody cannot run okarchive from this build directory: the read-only user cases are not run");
        return;
    }
    auto files = [&] {
        std::map<std::string, std::string> all;
        for (const auto& e : std::filesystem::directory_iterator(archiveDir))
            all[e.path().filename().string()] = readFile(e.path().string());
        return all;
    };
    auto check = [&](const char* what) {
        INFO(what);
        const auto before = files();
        CHECK(before.count("a.db-wal") == 0);  // its writer closed it: no -wal or -shm left
        CHECK(before.count("a.db-shm") == 0);
        const auto status = runOkarchiveVia(as, with(baseArgs(sim, db), {"status"}));
        INFO(status.err);
        CHECK(status.exitCode == 0);
        CHECK(status.out.find("messages   200") != std::string::npos);
        const auto out = (outDir / (std::string(what) + ".ndjson")).string();
        const auto exported = runOkarchiveVia(
            as, with(baseArgs(sim, db), {"export", "--format=ndjson", "--chat=" + kChat, "--output=" + out}));
        INFO(exported.err);
        CHECK(exported.exitCode == 0);
        CHECK(lineCount(readFile(out)) == 200);
        const auto report = runOkarchiveVia(
            as, with(baseArgs(sim, db), {"report", "--format=json", "--chat=" + kChat,
                                         "--output=" + (outDir / (std::string(what) + ".json")).string()}));
        INFO(report.err);
        CHECK(report.exitCode == 0);
        CHECK(files() == before);  // nothing created, nothing changed
    };
    ::chmod(db.c_str(), 0444);
    ::chmod(archiveDir.c_str(), 0555);
    check("read-only file and directory");
    if (root) {
        // A directory the reader may write, a database it does not own: no -wal or -shm of its own may be left,
        // or the owner's next sync could not open them.
        ::chmod(archiveDir.c_str(), 0777);
        ::chmod(db.c_str(), 0644);
        check("another user's database");
        // Root reading nobody's archive: what SQLite creates (-wal, -shm) it hands to the database's owner, so the
        // owner's next sync is not locked out.
        for (const auto& e : std::filesystem::directory_iterator(archiveDir)) ::chown(e.path().c_str(), 65534, 65534);
        ::chown(archiveDir.c_str(), 65534, 65534);
        ::chmod(archiveDir.c_str(), 0755);
        REQUIRE(runOkarchive(with(baseArgs(sim, db), {"status"})).exitCode == 0);
        for (const auto& e : std::filesystem::directory_iterator(archiveDir)) {
            struct stat st {};
            ::stat(e.path().c_str(), &st);
            INFO(e.path());
            CHECK(st.st_uid == 65534);
        }
        const auto owner = runOkarchiveVia(as, with(baseArgs(sim, db), {"sync", "--chat=" + kChat}));
        INFO(owner.err);
        CHECK(owner.exitCode == 0);
    } else {
        WARN("not root: the case of a reader who may write the directory but does not own the database is not run");
    }
    ::chmod(archiveDir.c_str(), 0755);
    ::chmod(db.c_str(), 0644);
    REQUIRE(runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat})).exitCode == 0);  // the writer still can
}

TEST_CASE("a mistyped --chat is never archived: export --chat=all still works and status names it") {
    TempDir dir;
    SimProcess sim({"--seed=34", "--chat=" + kChat + "=150"});
    const auto db = dir.file("m.db");
    REQUIRE(runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat})).exitCode == 0);
    const auto typo = runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=chat:C3ecb9d02a60"}));
    CHECK(typo.exitCode != 0);
    const std::string huge = "chat:" + std::string(100'000, 'x');
    CHECK(runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + huge})).exitCode != 0);
    const auto out = dir.file("all.ndjson");
    const auto exported =
        runOkarchive(with(baseArgs(sim, db), {"export", "--format=ndjson", "--chat=all", "--output=" + out}));
    INFO(exported.err.substr(0, 2000));
    REQUIRE(exported.exitCode == 0);
    CHECK(lineCount(readFile(dir.file("all.C3ecb9d02a600.ndjson"))) == 150);  // --chat=all: STEM.<id>.EXT
    CHECK(exported.err.find("skipped chat:C3ecb9d02a60: never synced successfully") != std::string::npos);
    CHECK(exported.err.size() < 5000);  // names the long id shortened, never 100,000 characters of it
    const auto report = runOkarchive(
        with(baseArgs(sim, db), {"report", "--format=json", "--chat=all", "--output=" + dir.file("r.json")}));
    INFO(report.err.substr(0, 2000));
    CHECK(report.exitCode == 0);
    const auto status = runOkarchive(with(baseArgs(sim, db), {"status"}));
    REQUIRE(status.exitCode == 1);  // the last sync of a chat shown failed: the typo's
    CHECK(status.err.find("the last sync of chat:C3ecb9d02a60 failed") != std::string::npos);
    const auto at = status.out.find("\nchat:C3ecb9d02a60\n");
    REQUIRE(at != std::string::npos);
    CHECK(status.out.find("never archived", at) != std::string::npos);
    const auto exportTypo =
        runOkarchive(with(baseArgs(sim, db), {"export", "--format=ndjson", "--chat=chat:C3ecb9d02a60", "--output=-"}));
    CHECK(exportTypo.exitCode != 0);
    CHECK(exportTypo.err.find("not in the archive") != std::string::npos);
}
