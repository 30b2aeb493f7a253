#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <thread>

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <sys/stat.h>

#include "integration/Harness.h"
#include "support/TestPaths.h"

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

/// Runs okarchive with its standard output into a pipe whose reader takes `lines` lines and then closes it, as
/// `| head -1` does: exit code, the lines read, stderr.
RunResult runIntoClosingReader(const std::vector<std::string>& args, int lines) {
    Poco::Pipe outPipe, errPipe;
    auto handle = Poco::Process::launch(okarchive::test::okarchiveBin(), args, ".", nullptr, &outPipe, &errPipe);
    RunResult result;
    std::thread errReader([&] {
        Poco::PipeInputStream in(errPipe);
        result.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    });
    char c = 0;
    for (int read = 0; read < lines && outPipe.readBytes(&c, 1) == 1;) {
        result.out += c;
        if (c == '\n') ++read;
    }
    outPipe.close(Poco::Pipe::CLOSE_READ);
    result.exitCode = handle.wait();
    errReader.join();
    return result;
}

/// The names in `dir`, hidden ones included, sorted.
std::vector<std::string> entries(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

/// A sim serving kChat with `messages` messages, and an archive in a fresh directory that synced it.
struct SyncedChat {
    SyncedChat(int seed, int messages)
        : sim({"--seed=" + std::to_string(seed), "--chat=" + kChat + "=" + std::to_string(messages)}),
          db(dir.file("x.db")),
          base(baseArgs(sim, db)) {
        REQUIRE(runOkarchive(with(base, {"sync", "--chat=" + kChat})).exitCode == 0);
    }
    TempDir dir;
    SimProcess sim;
    std::string db;
    std::vector<std::string> base;
};

}  // namespace

TEST_CASE("export from the command line: formats, filters, partitions and clear failures") {
    SyncedChat chat(4, 1200);
    const auto& dir = chat.dir;
    const auto& db = chat.db;
    const auto& base = chat.base;
    const auto truth = chat.sim.truth(kChat);

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
    SECTION("--has takes an attachment type by the name the exports show (photo, Фото), and refuses an empty one") {
        auto api = runOkarchive(with(
            base, {"export", "--format=ndjson", "--chat=" + kChat, "--has=IMAGE", "--output=" + dir.file("i.ndjson")}));
        REQUIRE(api.exitCode == 0);
        REQUIRE(lines(readFile(dir.file("i.ndjson"))) == truthLinesWith(truth, R"({"type":"IMAGE")"));
        REQUIRE(truthLinesWith(truth, R"({"type":"IMAGE")") > 0);
        for (const std::string name : {"photo", "Фото", "фото"}) {
            auto named = runOkarchive(with(base, {"export", "--format=ndjson", "--chat=" + kChat, "--has=" + name,
                                                  "--output=" + dir.file("named.ndjson")}));
            INFO(name << ": " << named.err);
            REQUIRE(named.exitCode == 0);
            REQUIRE(readFile(dir.file("named.ndjson")) == readFile(dir.file("i.ndjson")));
        }
        auto empty = runOkarchive(
            with(base, {"export", "--format=ndjson", "--chat=" + kChat, "--has=", "--output=" + dir.file("e.ndjson")}));
        REQUIRE(empty.exitCode == 2);
        REQUIRE(empty.err.find("--has") != std::string::npos);
        REQUIRE_FALSE(std::filesystem::exists(dir.file("e.ndjson")));
    }
    SECTION("--locale, else the setting export.locale, chooses the HTML export's language; a bad one exits 2") {
        auto ru = runOkarchive(with(
            base, {"export", "--format=html", "--chat=" + kChat, "--locale=ru", "--output=" + dir.file("ru.html")}));
        INFO(ru.err);
        REQUIRE(ru.exitCode == 0);
        const auto page = readFile(dir.file("ru.html"));
        REQUIRE(page.find("<html lang=\"ru\">") != std::string::npos);
        REQUIRE(page.find(" г.</time></h2>") != std::string::npos);  // day headers as Russian dates
        auto setting = runOkarchive(with(base, {"-Dexport.locale=ru", "export", "--format=html", "--chat=" + kChat,
                                                "--output=" + dir.file("setting.html")}));
        REQUIRE(setting.exitCode == 0);
        REQUIRE(readFile(dir.file("setting.html")).find("<html lang=\"ru\">") != std::string::npos);
        auto overridden = runOkarchive(with(base, {"-Dexport.locale=ru", "export", "--format=html", "--locale=en",
                                                   "--chat=" + kChat, "--output=" + dir.file("en.html")}));
        REQUIRE(overridden.exitCode == 0);
        REQUIRE(readFile(dir.file("en.html")).find("<html lang=\"en\">") != std::string::npos);
        auto bad = runOkarchive(with(
            base, {"export", "--format=html", "--chat=" + kChat, "--locale=fr", "--output=" + dir.file("fr.html")}));
        REQUIRE(bad.exitCode == 2);
        REQUIRE(bad.err.find("--locale") != std::string::npos);
        REQUIRE_FALSE(std::filesystem::exists(dir.file("fr.html")));
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
        // Even root cannot create a file below a regular file: a usage error naming the component.
        auto belowFile =
            runOkarchive(with(base, {"export", "--format=html", "--chat=" + kChat, "--output=" + db + "/out.html"}));
        REQUIRE(belowFile.exitCode == 2);
        REQUIRE(belowFile.err.find(db + " is not a directory") != std::string::npos);
        REQUIRE_FALSE(std::filesystem::exists(dir.file("a.csv")));
    }
}

TEST_CASE("export and report into a closed standard output end quietly with exit 0") {
    const SyncedChat chat(7, 3000);
    const auto& base = chat.base;
    for (const std::string format : {"ndjson", "json", "csv", "html"}) {
        // 3,000 messages are far more than a pipe holds: the writes after `head -1` left meet EPIPE.
        const auto r =
            runIntoClosingReader(with(base, {"export", "--format=" + format, "--chat=" + kChat, "--output=-"}), 1);
        INFO(format << ": " << r.err);
        REQUIRE(r.exitCode == 0);
        REQUIRE(r.err.empty());
        REQUIRE(r.out.size() > 1);
    }
    const auto report =
        runIntoClosingReader(with(base, {"report", "--format=html", "--chat=" + kChat, "--output=-"}), 0);
    INFO(report.err);
    REQUIRE(report.exitCode == 0);
    REQUIRE(report.err.empty());
}

TEST_CASE("export and report write the output names asked for and create missing directories") {
    const SyncedChat chat(8, 3000);
    const auto& dir = chat.dir;
    const auto& db = chat.db;
    const auto& base = chat.base;
    const mode_t umaskNow = ::umask(0);
    ::umask(umaskNow);

    SECTION("3,000 messages in HTML: exactly x.html, in a directory created for it, whatever --partition says") {
        for (const std::string partition : {"", "--partition=none", "--partition=0"}) {
            INFO(partition);
            std::filesystem::remove_all(dir.file("out"));
            auto args =
                with(base, {"export", "--format=html", "--chat=" + kChat, "--output=" + dir.file("out/sub/x.html")});
            if (!partition.empty()) args.push_back(partition);
            const auto r = runOkarchive(args);
            INFO(r.err);
            REQUIRE(r.exitCode == 0);
            REQUIRE(entries(dir.file("out/sub")) == std::vector<std::string>{"x.html"});
            REQUIRE(readFile(dir.file("out/sub/x.html")).find("id=\"mid:") != std::string::npos);  // messages, no index
            struct stat st {};
            REQUIRE(::stat(dir.file("out").c_str(), &st) == 0);
            REQUIRE((st.st_mode & 07777) == (0755 & ~umaskNow));
        }
    }
    SECTION("--partition=none writes one CSV, into directories created for it") {
        const auto r = runOkarchive(with(base, {"export", "--format=csv", "--chat=" + kChat, "--partition=none",
                                                "--output=" + dir.file("a/b/x.csv")}));
        REQUIRE(r.exitCode == 0);
        REQUIRE(entries(dir.file("a/b")) == std::vector<std::string>{"x.csv"});
        const auto csv = readFile(dir.file("a/b/x.csv"));
        REQUIRE(std::count(csv.begin(), csv.end(), '\n') >= 3001);
    }
    SECTION("a report into a missing directory creates it") {
        const auto r = runOkarchive(
            with(base, {"report", "--format=json", "--chat=" + kChat, "--output=" + dir.file("reports/r.json")}));
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        REQUIRE(entries(dir.file("reports")) == std::vector<std::string>{"r.json"});
    }
    SECTION("a path component that is a file is a usage error naming it, and nothing is written") {
        const auto r = runOkarchive(
            with(base, {"report", "--format=json", "--chat=" + kChat, "--output=" + db + "/reports/r.json"}));
        REQUIRE(r.exitCode == 2);
        REQUIRE(r.err.find(db + " is not a directory") != std::string::npos);
    }
}

TEST_CASE("export and report with --chat=all name their files per chat even when the archive holds one chat") {
    const SyncedChat chat(9, 120);
    const auto& dir = chat.dir;
    const auto& base = chat.base;
    // A cron job's names never change with the archive's content: all is STEM.<id>.EXT with one chat as with many.
    auto r =
        runOkarchive(with(base, {"export", "--format=ndjson", "--chat=all", "--output=" + dir.file("all/out.ndjson")}));
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    REQUIRE(entries(dir.file("all")) == std::vector<std::string>{"out.C3ecb9d02a600.ndjson"});
    CHECK(lines(readFile(dir.file("all/out.C3ecb9d02a600.ndjson"))) == 120);
    r = runOkarchive(with(base, {"report", "--format=json", "--chat=all", "--output=" + dir.file("rep/r.json")}));
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    REQUIRE(entries(dir.file("rep")) == std::vector<std::string>{"r.C3ecb9d02a600.json"});

    // Exactly one explicit --chat: PATH itself.
    r = runOkarchive(
        with(base, {"export", "--format=ndjson", "--chat=" + kChat, "--output=" + dir.file("one/out.ndjson")}));
    REQUIRE(r.exitCode == 0);
    REQUIRE(entries(dir.file("one")) == std::vector<std::string>{"out.ndjson"});
    r = runOkarchive(with(base, {"report", "--format=json", "--chat=" + kChat, "--output=" + dir.file("one/r.json")}));
    REQUIRE(r.exitCode == 0);
    REQUIRE(entries(dir.file("one")) == std::vector<std::string>{"out.ndjson", "r.json"});

    // Standard output is never renamed: --chat=all with one chat may use it (several are refused, as before).
    r = runOkarchive(with(base, {"export", "--format=ndjson", "--chat=all", "--output=-"}));
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(lines(r.out) == 120);
    CHECK_FALSE(std::filesystem::exists(dir.file("-")));
}
