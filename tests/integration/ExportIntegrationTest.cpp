#include <catch2/catch.hpp>

#include <filesystem>
#include <sys/stat.h>

#include "integration/Harness.h"

using namespace okarchive::it;

namespace {

const std::string kChat = "chat:C3ecb9d02a600";  // okapi-sim's default chat

long long lines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

/// Lines of the ground truth whose field `"key":value` matches, counted independently of okarchive.
long long truthLinesWith(const std::string& truth, const std::string& fragment) {
    long long n = 0;
    std::size_t start = 0;
    for (auto end = truth.find('\n'); end != std::string::npos; start = end + 1, end = truth.find('\n', start))
        if (truth.substr(start, end - start).find(fragment) != std::string::npos) ++n;
    return n;
}

}  // namespace

TEST_CASE("export from the command line: formats, filters, partitions and clear failures") {
    TempDir dir;
    SimProcess sim({"--seed=4", "--chat=" + kChat + "=1200"});
    const auto db = dir.file("x.db");
    const auto base = baseArgs(sim, db);
    REQUIRE(runOkarchive(with(base, {"sync", "--chat=" + kChat})).exitCode == 0);
    const auto truth = sim.truth(kChat);

    SECTION("kind=service selects exactly the service lines of the ground truth") {
        auto r = runOkarchive(with(base, {"export", "--format=ndjson", "--chat=" + kChat, "--kind=service",
                                          "--output=" + dir.file("s.ndjson")}));
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        REQUIRE(lines(readFile(dir.file("s.ndjson"))) == truthLinesWith(truth, R"("kind":"service")"));
    }
    SECTION("--has selects the messages carrying that attachment type") {
        auto r = runOkarchive(with(base, {"export", "--format=ndjson", "--chat=" + kChat, "--has=LOCATION",
                                          "--output=" + dir.file("l.ndjson")}));
        REQUIRE(r.exitCode == 0);
        const auto expected = truthLinesWith(truth, R"({"type":"LOCATION")");
        REQUIRE(expected > 0);
        REQUIRE(lines(readFile(dir.file("l.ndjson"))) == expected);
        auto lower = runOkarchive(with(base, {"export", "--format=ndjson", "--chat=" + kChat, "--has=location",
                                              "--output=" + dir.file("lower.ndjson")}));
        REQUIRE(lower.exitCode == 0);
        REQUIRE(readFile(dir.file("lower.ndjson")) == readFile(dir.file("l.ndjson")));  // types ignore case
    }
    SECTION("an empty result is a valid, empty export with exit 0") {
        auto r = runOkarchive(with(base, {"export", "--format=json", "--chat=" + kChat, "--since=1990-01-01",
                                          "--until=1990-01-02", "--output=" + dir.file("e.json")}));
        REQUIRE(r.exitCode == 0);
        REQUIRE(readFile(dir.file("e.json")).find(R"("message_count":0)") != std::string::npos);
    }
    SECTION("partitions of 500 write three numbered CSV parts, listed by the manifest at --output") {
        auto r = runOkarchive(with(
            base, {"export", "--format=csv", "--chat=" + kChat, "--partition=500", "--output=" + dir.file("p.csv")}));
        REQUIRE(r.exitCode == 0);
        const auto manifest = readFile(dir.file("p.csv"));
        const auto generation = manifest.substr(manifest.find("\"generation\":\"") + 14, 8 + 5 + 16);
        REQUIRE(generation.rfind(".p.csv.parts-", 0) == 0);
        REQUIRE(r.err.find(generation) != std::string::npos);
        REQUIRE(std::filesystem::exists(dir.file(generation + "/p.part-0001.csv")));
        REQUIRE(std::filesystem::exists(dir.file(generation + "/p.part-0003.csv")));
        REQUIRE_FALSE(std::filesystem::exists(dir.file(generation + "/p.part-0004.csv")));
        REQUIRE(manifest.find("\"file\":\"" + generation + "/p.part-0003.csv\",") != std::string::npos);
        REQUIRE(manifest.find("\"messages\":200}") != std::string::npos);  // 1200 = 500 + 500 + 200
    }
    SECTION("bad input gets its own message and a non-zero exit; nothing half-written remains") {
        auto badDate = runOkarchive(with(
            base, {"export", "--format=csv", "--chat=" + kChat, "--since=yesterday", "--output=" + dir.file("a.csv")}));
        REQUIRE(badDate.exitCode == 2);
        REQUIRE(badDate.err.find("--since") != std::string::npos);

        auto badZone = runOkarchive(with(base, {"export", "--format=csv", "--chat=" + kChat, "--timezone=Mars/Olympus",
                                                "--output=" + dir.file("a.csv")}));
        REQUIRE(badZone.exitCode == 2);
        REQUIRE(badZone.err.find("Mars/Olympus") != std::string::npos);

        auto missingChat =
            runOkarchive(with(base, {"export", "--format=csv", "--chat=chat:Cnope", "--output=" + dir.file("a.csv")}));
        REQUIRE(missingChat.exitCode == 1);
        REQUIRE(missingChat.err.find("chat:Cnope") != std::string::npos);

        std::filesystem::create_directories(dir.file("ro"));
        ::chmod(dir.file("ro").c_str(), 0555);
        auto unwritable = runOkarchive(
            with(base, {"export", "--format=html", "--chat=" + kChat, "--output=" + dir.file("ro/out.html")}));
        ::chmod(dir.file("ro").c_str(), 0755);
        if (::geteuid() != 0) {  // root writes anywhere; the permission check only means something for others
            REQUIRE(unwritable.exitCode == 1);
            REQUIRE(unwritable.err.find("ro/out.html") != std::string::npos);
        }
        if (::geteuid() != 0) REQUIRE(std::filesystem::is_empty(dir.file("ro")));
        // Even root cannot create a file below a regular file.
        auto belowFile =
            runOkarchive(with(base, {"export", "--format=html", "--chat=" + kChat, "--output=" + db + "/out.html"}));
        REQUIRE(belowFile.exitCode == 1);
        REQUIRE(belowFile.err.find("out.html") != std::string::npos);
        auto missingDir = runOkarchive(
            with(base, {"export", "--format=html", "--chat=" + kChat, "--output=" + dir.file("no/such/dir/out.html")}));
        REQUIRE(missingDir.exitCode == 1);
        REQUIRE(missingDir.err.find("no/such/dir") != std::string::npos);
        REQUIRE_FALSE(std::filesystem::exists(dir.file("a.csv")));
    }
}
