// status that tells the truth (issue 10): --chat filters, exit 1 when a shown chat's last sync failed, a chat never
// synced successfully says so, and `--chat=all` exports and reports leave it out (named on stderr).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

#include "integration/Harness.h"
#include "store/Archive.h"

using namespace okarchive::it;

namespace {

const std::string kGood = "chat:C5tatus000good";
const std::string kBroken = "chat:C5tatus00broke";  // its first sync fails half-way: some pages, never a success

long long countLines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

/// The block `status` prints for `chat` (from its id line to the next blank line).
std::string blockOf(const std::string& out, const std::string& chat) {
    const auto at = out.find("\n" + chat);
    if (at == std::string::npos) return {};
    const auto end = out.find("\n\n", at + 1);
    return out.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

struct TwoChats {
    TempDir dir;
    SimProcess sim{{"--seed=43", "--chat=" + kGood + "=150", "--chat=" + kBroken + "=600"}};
    std::string db = dir.file("s.db");
    long long brokenMessages = 0;

    TwoChats() {
        REQUIRE(runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kGood})).exitCode == 0);
        // Every third API request fails and is not retried: the first pages land, then the sync gives up.
        sim.post("/_sim/faults?rate=0.34&kinds=500");
        const auto failed = runOkarchive(
            with(baseArgs(sim, db), {"-Dapi.max_retries=0", "-Dsync.page_size=50", "sync", "--chat=" + kBroken}));
        INFO(failed.err);
        REQUIRE(failed.exitCode == 1);
        sim.post("/_sim/faults?rate=0");
        brokenMessages = okarchive::openArchive(db)->messageCount(kBroken);
        REQUIRE(brokenMessages > 0);  // pages of the failed sync are archived (and kept)
        REQUIRE(brokenMessages < 600);
    }
};

}  // namespace

TEST_CASE("status --chat shows only the chats asked for and exits 1 when a shown chat's last sync failed") {
    TwoChats t;
    const auto all = runOkarchive(with(baseArgs(t.sim, t.db), {"status"}));
    INFO(all.out << all.err);
    CHECK(all.exitCode == 1);
    CHECK(all.err.find("the last sync of " + kBroken + " failed") != std::string::npos);
    CHECK(all.err.find(kGood) == std::string::npos);
    const auto broken = blockOf(all.out, kBroken);
    CHECK(broken.find("never synced successfully") != std::string::npos);
    CHECK(broken.find("gaps       none") == std::string::npos);
    const auto good = blockOf(all.out, kGood);
    CHECK(good.find("gaps       none") != std::string::npos);
    CHECK(good.find("never synced") == std::string::npos);

    const auto onlyGood = runOkarchive(with(baseArgs(t.sim, t.db), {"status", "--chat=" + kGood}));
    INFO(onlyGood.out << onlyGood.err);
    CHECK(onlyGood.exitCode == 0);
    CHECK(onlyGood.out.find(": 1 chats\n") != std::string::npos);
    CHECK(onlyGood.out.find(kGood) != std::string::npos);
    CHECK(onlyGood.out.find(kBroken) == std::string::npos);

    const auto onlyBroken = runOkarchive(with(baseArgs(t.sim, t.db), {"status", "--chat=" + kBroken}));
    CHECK(onlyBroken.exitCode == 1);
    CHECK(onlyBroken.out.find(kGood) == std::string::npos);
    const auto both = runOkarchive(with(baseArgs(t.sim, t.db), {"status", "--chat=" + kGood, "--chat=" + kBroken}));
    CHECK(both.exitCode == 1);
    CHECK(both.out.find(": 2 chats\n") != std::string::npos);

    const auto unknown = runOkarchive(with(baseArgs(t.sim, t.db), {"status", "--chat=chat:C5tatus0nothere"}));
    CHECK(unknown.exitCode == 1);
    CHECK(unknown.err.find("chat:C5tatus0nothere is not in the archive") != std::string::npos);
    CHECK(runOkarchive(with(baseArgs(t.sim, t.db), {"status", "--chat=nochat"})).exitCode == 2);

    // A later successful sync makes the chat an ordinary one.
    REQUIRE(runOkarchive(with(baseArgs(t.sim, t.db), {"sync", "--chat=" + kBroken})).exitCode == 0);
    const auto healed = runOkarchive(with(baseArgs(t.sim, t.db), {"status"}));
    CHECK(healed.exitCode == 0);
    CHECK(blockOf(healed.out, kBroken).find("never synced") == std::string::npos);
}

TEST_CASE("a chat never synced successfully is left out of --chat=all exports and reports, and named") {
    TwoChats t;
    const auto out = t.dir.file("all.ndjson");
    const auto exported =
        runOkarchive(with(baseArgs(t.sim, t.db), {"export", "--format=ndjson", "--chat=all", "--output=" + out}));
    INFO(exported.err);
    REQUIRE(exported.exitCode == 0);
    CHECK(countLines(readFile(t.dir.file("all.C5tatus000good.ndjson"))) == 150);  // the good chat alone: STEM.<id>.EXT
    CHECK_FALSE(std::filesystem::exists(out));
    CHECK(exported.err.find("skipped " + kBroken + ": never synced successfully") != std::string::npos);

    const auto report = t.dir.file("all.json");
    const auto reported =
        runOkarchive(with(baseArgs(t.sim, t.db), {"report", "--format=json", "--chat=all", "--output=" + report}));
    INFO(reported.err);
    REQUIRE(reported.exitCode == 0);
    CHECK(readFile(t.dir.file("all.C5tatus000good.json")).find("\"chat_id\":\"" + kGood + "\"") != std::string::npos);
    CHECK(reported.err.find("skipped " + kBroken + ": never synced successfully") != std::string::npos);

    // Named explicitly, it still exports what its failed sync archived: nothing archived is hidden from its owner.
    const auto named = t.dir.file("broken.ndjson");
    const auto one = runOkarchive(
        with(baseArgs(t.sim, t.db), {"export", "--format=ndjson", "--chat=" + kBroken, "--output=" + named}));
    INFO(one.err);
    REQUIRE(one.exitCode == 0);
    CHECK(countLines(readFile(named)) == t.brokenMessages);
}
