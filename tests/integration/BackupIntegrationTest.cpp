// The Done-when of issue 11's operations: `okarchive backup` while `serve` writes yields an archive `okarchive check`
// passes, holding one consistent moment (coverage matches the messages). Also check --json and exit codes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <chrono>
#include <filesystem>
#include <regex>
#include <fstream>
#include <sstream>
#include <thread>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Process.h>
#include <SQLiteCpp/Database.h>

#include "integration/Harness.h"
#include "store/Archive.h"

using namespace okarchive::it;

namespace {

const std::string kChat = "chat:C3ecb9d02a600";  // okapi-sim's default chat

/// Messages of the chat in the archive now (0 before serve created and migrated it).
long long archivedNow(const std::string& db) {
    if (!std::filesystem::exists(db)) return 0;
    try {
        return okarchive::openArchive(db, okarchive::Env::system(), okarchive::ArchiveMode::ReadOnly)
            ->messageCount(kChat);
    } catch (const okarchive::StorageError&) {
        return 0;  // the empty file serve's lock created, not migrated yet
    }
}

/// The messages count a backup's summary line reports ("..., N messages, ...").
long long reportedMessages(const std::string& out) {
    std::smatch match;
    REQUIRE(std::regex_search(out, match, std::regex(R"(, (\d+) messages, )")));
    return std::stoll(match[1]);
}

/// The timestamps of the simulator's ground truth for the chat (its key follows seq, before any text).
std::vector<long long> truthTimestamps(const SimProcess& sim) {
    std::vector<long long> timestamps;
    std::istringstream lines(sim.truth(kChat));
    const std::regex key(R"("seq":-?[0-9]+,"timestamp":(-?[0-9]+))");
    for (std::string line; std::getline(lines, line);) {
        std::smatch match;
        if (!std::regex_search(line, match, key)) FAIL("no timestamp in the truth line " << line);
        timestamps.push_back(std::stoll(match[1]));
    }
    return timestamps;
}

/// `okarchive serve` of the chat; SIGKILLed at scope exit.
struct RunningServe {
    explicit RunningServe(const std::vector<std::string>& args) : handle(startOkarchive(args)) {}
    ~RunningServe() {
        ::kill(handle.id(), SIGKILL);
        handle.wait();
    }
    Poco::ProcessHandle handle;
};

}  // namespace

TEST_CASE("backup during a running serve that keeps writing passes check and holds one consistent moment") {
    TempDir dir;
    SimProcess sim({"--seed=21", "--chat=" + kChat + "=20000"});
    const auto db = dir.file("live.db"), copy = dir.file("backup.db");
    // 20 requests a second of 100 messages: the first sync writes for about 10 s.
    RunningServe serve(with(baseArgs(sim, db), {"-Dsync.chats=" + kChat, "-Dsync.interval=1h",
                                                "-Dstatus.listen=", "-Dapi.requests_per_second=20",
                                                "-Dlogging.file=" + dir.file("log"), "serve"}));
    // Back up until one copy is of a moment in the middle of the writes: the archive grew before its snapshot and
    // again after it. A backup (~50 ms here) that never lands inside a 10 s sync is the bug this bounds.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    bool overlapped = false;
    long long inCopy = 0;
    while (!overlapped && std::chrono::steady_clock::now() < deadline) {
        const auto before = archivedNow(db);
        const auto r = runOkarchive(with(baseArgs(sim, db), {"backup", "--output=" + copy}));
        if (r.exitCode != 0 && before == 0) continue;  // serve has not created (or migrated) the archive yet
        INFO(r.out << r.err);
        REQUIRE(r.exitCode == 0);
        inCopy = reportedMessages(r.out);
        const auto after = archivedNow(db);
        overlapped = before < inCopy && inCopy < after;
        REQUIRE(after < 20000);  // the sync ended before any backup overlapped it
    }
    REQUIRE(overlapped);
    const auto live = runOkarchive({"-Darchive.database=" + db, "check"});  // the live archive, serve still writing
    INFO(live.out << live.err);
    CHECK(live.exitCode == 0);

    const auto check = runOkarchive({"-Darchive.database=" + copy, "check", "--json"});
    INFO(check.out << check.err);
    CHECK(check.exitCode == 0);
    CHECK(check.out.find("\"healthy\":true") != std::string::npos);

    // The copy is one moment: every message of the truth inside its coverage, and the count it reported.
    const auto archive = okarchive::openArchive(copy, okarchive::Env::system(), okarchive::ArchiveMode::ReadOnly);
    CHECK(archive->messageCount(kChat) == inCopy);
    const auto coverage = archive->coverage(kChat);
    REQUIRE_FALSE(coverage.empty());
    const auto truth = truthTimestamps(sim);
    for (const auto& range : coverage.ranges()) {
        const auto expected = std::count_if(truth.begin(), truth.end(), [&](long long t) { return range.contains(t); });
        CHECK(archive->countMessages({kChat, range.lo, range.hi + 1}) == expected);
    }
}

TEST_CASE("check exits 1 naming each problem of a damaged archive and 2 naming a missing one") {
    TempDir dir;
    const auto db = dir.file("demo.db");
    {
        SimProcess sim({"--seed=22", "--chat=" + kChat + "=300"});
        REQUIRE(runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat})).exitCode == 0);
    }
    const auto healthy = runOkarchive({"-Darchive.database=" + db, "check"});
    CHECK(healthy.exitCode == 0);
    CHECK(healthy.out.find("healthy") != std::string::npos);
    {
        SQLite::Database damaged(db, SQLite::OPEN_READWRITE);
        damaged.exec(
            "INSERT INTO coverage VALUES ('chat:Cghost', 1, 2); "
            "INSERT INTO attachments VALUES (424242, 0, 'IMAGE', 'null', NULL)");
    }
    const auto broken = runOkarchive({"-Darchive.database=" + db, "check"});
    INFO(broken.out << broken.err);
    CHECK(broken.exitCode == 1);
    CHECK(broken.out.find("coverage: chat:Cghost range [1, 2]") != std::string::npos);
    CHECK(broken.out.find("foreign-keys: attachments row") != std::string::npos);
    CHECK(broken.out.find("message_id 424242 names no messages row") != std::string::npos);
    CHECK(broken.err.find("2 problems") != std::string::npos);
    const auto json = runOkarchive({"-Darchive.database=" + db, "check", "--json"});
    CHECK(json.exitCode == 1);
    const auto parsed = Poco::JSON::Parser().parse(json.out).extract<Poco::JSON::Object::Ptr>();
    CHECK_FALSE(parsed->getValue<bool>("healthy"));
    CHECK(parsed->getArray("problems")->size() == 2);

    const auto missing = runOkarchive({"-Darchive.database=" + dir.file("none.db"), "check"});
    CHECK(missing.exitCode == 2);
    CHECK(missing.err.find(dir.file("none.db")) != std::string::npos);
}

TEST_CASE("backup refuses the archive and its -wal as output with exit 2 naming both, and standard output") {
    TempDir dir;
    const auto db = dir.file("a.db");
    {
        SimProcess sim({"--seed=23", "--chat=" + kChat + "=50"});
        REQUIRE(runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat})).exitCode == 0);
    }
    for (const auto& output : {db, db + "-wal", std::string("-")}) {
        const auto r = runOkarchive({"-Darchive.database=" + db, "backup", "--output=" + output});
        INFO(r.err);
        CHECK(r.exitCode == 2);
        CHECK(r.err.find(output) != std::string::npos);
        if (output != "-") CHECK(r.err.find("archive") != std::string::npos);
    }
    CHECK(runOkarchive({"-Darchive.database=" + db, "check"}).exitCode == 0);
}

TEST_CASE("SIGTERM during a backup leaves no temporary copy and the earlier backup untouched") {
    TempDir dir;
    const auto db = dir.file("big.db"), copy = dir.file("backup.db");
    {
        auto archive = okarchive::openArchive(db);
        std::vector<okarchive::Message> page;
        for (int i = 0; i < 30000; ++i) {  // ~40 MiB: a copy of several steps
            okarchive::Message m;
            m.chatId = kChat;
            m.mid = "mid:" + std::to_string(i);
            m.seq = i;
            m.timestamp = 1'600'000'000'000 + i;
            m.text = std::string(1024, 'x');
            m.rawJson = "{\"n\":" + std::to_string(i) + "}";
            page.push_back(std::move(m));
        }
        archive->commitPage(kChat, page, {{1'600'000'000'000, 1'600'000'029'999}});
    }
    { std::ofstream(copy) << "the earlier backup"; }
    const auto temporaries = [&] {
        int count = 0;
        for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
            count += entry.path().filename().string().find(".tmp-") != std::string::npos;
        return count;
    };
    auto backup = startOkarchive({"-Darchive.database=" + db, "backup", "--output=" + copy});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (temporaries() == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    REQUIRE(temporaries() > 0);  // the copy has begun (its file, maybe its -journal)
    ::kill(backup.id(), SIGTERM);
    const int code = backup.wait();
    CHECK(temporaries() == 0);
    if (code == 0) {  // it had finished copying: the signal came after (never undoes a verified backup)
        CHECK(runOkarchive({"-Darchive.database=" + copy, "check"}).exitCode == 0);
    } else {
        CHECK(code == 128 + SIGTERM);
        CHECK(readFile(copy) == "the earlier backup");
    }
}
