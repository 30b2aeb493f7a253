// Outputs never destroy what they must not (the archive, its log, its configuration), stop cleanly on signals,
// leave nothing behind, and publish partitioned sets atomically: the real binary, driven over loopback.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <poll.h>
#include <random>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Poco/Process.h>

#include "domain/Json.h"
#include "integration/Harness.h"

using namespace okarchive::it;

namespace {

const std::string kChat = "chat:C3ecb9d02a600";  // okapi-sim's default chat

long long lines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

std::vector<std::string> entries(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

/// Names in `dir` that start with `prefix`.
std::vector<std::string> entriesStartingWith(const std::filesystem::path& dir, const std::string& prefix) {
    auto all = entries(dir);
    std::vector<std::string> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out),
                 [&](const auto& n) { return n.rfind(prefix, 0) == 0; });
    return out;
}

/// File-system events in a directory (inotify): lets a test act at a moment of an export's life without sleeping.
class DirectoryEvents {
public:
    explicit DirectoryEvents(const std::string& dir) : _fd(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) {
        REQUIRE(_fd >= 0);
        watch(dir);
    }
    ~DirectoryEvents() { ::close(_fd); }
    void watch(const std::string& dir) {
        const int wd = ::inotify_add_watch(_fd, dir.c_str(), IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_CLOSE_WRITE);
        if (wd >= 0) _dirs[wd] = dir;
    }
    /// Waits (at most `timeoutMs`) for the next events; returns the names they were about ("" on timeout). New
    /// subdirectories are watched too.
    std::vector<std::string> next(int timeoutMs) {
        pollfd p{_fd, POLLIN, 0};
        std::vector<std::string> names;
        if (::poll(&p, 1, timeoutMs) <= 0) return names;
        alignas(inotify_event) char buf[64 * 1024];
        const auto n = ::read(_fd, buf, sizeof buf);
        for (ssize_t at = 0; at < n;) {
            const auto* e = reinterpret_cast<const inotify_event*>(buf + at);
            const std::string name = e->len ? e->name : "";
            names.push_back(name);
            if ((e->mask & IN_CREATE) && (e->mask & IN_ISDIR) && _dirs.count(e->wd)) watch(_dirs[e->wd] + "/" + name);
            at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
        }
        return names;
    }

private:
    int _fd;
    std::map<int, std::string> _dirs;
};

/// Whether `process` is still running: not yet exited (a zombie counts as exited; it is not reaped here).
bool running(const Poco::ProcessHandle& process) {
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(process.id()), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == 0;
}

/// Waits until an event names something starting with `prefix`, or `process` ends, or a minute passes (a bug).
bool waitForEntry(DirectoryEvents& events, const std::string& prefix, Poco::ProcessHandle& process) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (std::chrono::steady_clock::now() < deadline) {
        for (const auto& name : events.next(200))
            if (name.rfind(prefix, 0) == 0) return true;
        if (!running(process)) return false;
    }
    return false;
}

struct Archive {
    TempDir dir;
    SimProcess sim;
    std::string db;
    std::vector<std::string> base;
    explicit Archive(int messages)
        : sim({"--seed=9", "--chat=" + kChat + "=" + std::to_string(messages)}),
          db(dir.file("v.db")),
          base(baseArgs(sim, db)) {
        const auto r = runOkarchive(with(base, {"sync", "--chat=" + kChat}));
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
    }
    std::vector<std::string> exportTo(const std::string& output, std::initializer_list<std::string> more = {}) const {
        auto args = with(base, {"export", "--format=ndjson", "--chat=" + kChat, "--output=" + output});
        args.insert(args.end(), more.begin(), more.end());
        return args;
    }
};

}  // namespace

TEST_CASE(
    "export and report onto the archive, its files, its log or its configuration: exit 2 naming both, archive "
    "intact") {
    Archive a(300);
    const auto& dir = a.dir;
    const auto statusBefore = runOkarchive(with(a.base, {"status"}));
    REQUIRE(statusBefore.exitCode == 0);
    REQUIRE(runOkarchive(a.exportTo(dir.file("ref.ndjson"))).exitCode == 0);
    const auto messages = lines(readFile(dir.file("ref.ndjson")));
    REQUIRE(messages == 300);

    std::filesystem::create_directory(dir.path() / "sub");
    std::filesystem::create_symlink(a.db, dir.path() / "link.ndjson");
    std::filesystem::create_hard_link(a.db, dir.path() / "hard.ndjson");
    std::ofstream(dir.file("okarchive.ini")) << "[sync]\npage_size = 100\n";
    const std::vector<std::string> archiveOutputs{a.db,
                                                  dir.path().string() + "/./v.db",
                                                  dir.file("link.ndjson"),
                                                  dir.file("hard.ndjson"),
                                                  dir.file("sub/../v.db"),
                                                  a.db + "-wal",
                                                  a.db + "-shm",
                                                  a.db + ".media/x.ndjson"};
    for (const auto& output : archiveOutputs) {
        for (const auto* extra : {"", "--partition=10"}) {
            INFO(output << " " << extra);
            auto args = a.exportTo(output);
            if (*extra) args.push_back(extra);
            const auto r = runOkarchive(args);
            CHECK(r.exitCode == 2);
            CHECK(r.err.find(output) != std::string::npos);
            CHECK(r.err.find(a.db) != std::string::npos);
        }
        const auto report =
            runOkarchive(with(a.base, {"report", "--format=json", "--chat=" + kChat, "--output=" + output}));
        INFO("report " << output);
        CHECK(report.exitCode == 2);
        CHECK(report.err.find(output) != std::string::npos);
    }
    SECTION("relative paths from the archive's own directory: ./v.db and the archive named v.db") {
        auto relative = a.base;
        std::replace(relative.begin(), relative.end(), "-Darchive.database=" + a.db,
                     std::string("-Darchive.database=v.db"));
        for (const std::string output : {"./v.db", "v.db", "sub/../v.db", "./link.ndjson"}) {
            const auto r =
                runOkarchiveIn(dir.path().string(),
                               with(relative, {"export", "--format=ndjson", "--chat=" + kChat, "--output=" + output}));
            INFO(output << ": " << r.err);
            CHECK(r.exitCode == 2);
            CHECK(r.err.find(output) != std::string::npos);
            CHECK(r.err.find("the archive database v.db") != std::string::npos);
        }
    }
    SECTION("the configuration file and the log file") {
        const auto config = dir.file("okarchive.ini");
        auto args = a.exportTo(config);
        args.insert(args.begin(), "--config=" + config);
        auto r = runOkarchive(args);
        CHECK(r.exitCode == 2);
        CHECK(r.err.find(config) != std::string::npos);
        CHECK(readFile(config) == "[sync]\npage_size = 100\n");
        r = runOkarchive(with(with(a.base, {"-Dlogging.file=" + dir.file("serve.log")}),
                              {"export", "--format=ndjson", "--chat=" + kChat, "--output=" + dir.file("serve.log")}));
        CHECK(r.exitCode == 2);
        CHECK(r.err.find("serve.log") != std::string::npos);
    }
    SECTION("logging.file over the archive is refused at start") {
        for (const auto& log : {a.db, a.db + "-wal", dir.file("link.ndjson")}) {
            const auto r = runOkarchive(with(with(a.base, {"-Dlogging.file=" + log}), {"status"}));
            INFO(log << ": " << r.err);
            CHECK(r.exitCode == 2);
            CHECK(r.err.find("logging.file") != std::string::npos);
            CHECK(r.err.find(a.db) != std::string::npos);
        }
    }
    const auto statusAfter = runOkarchive(with(a.base, {"status"}));
    REQUIRE(statusAfter.exitCode == 0);
    REQUIRE(statusAfter.out == statusBefore.out);
    REQUIRE(runOkarchive(a.exportTo(dir.file("after.ndjson"))).exitCode == 0);
    REQUIRE(readFile(dir.file("after.ndjson")) == readFile(dir.file("ref.ndjson")));
}

TEST_CASE("export to a character device writes into it in place and leaves it a device") {
    Archive a(50);
    // As root: a null device node of our own in the test directory (never the real /dev); otherwise /dev/null.
    std::string device = "/dev/null";
    if (::geteuid() == 0) {
        device = a.dir.file("null");
        REQUIRE(::mknod(device.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) == 0);
    }
    const auto r = runOkarchive(a.exportTo(device));
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    struct stat st {};
    REQUIRE(::stat(device.c_str(), &st) == 0);
    REQUIRE(S_ISCHR(st.st_mode));
    // Nothing beside it: no temporary file, no replacement (the archive's own files aside).
    for (const auto& name : entries(a.dir.path())) CHECK((name == "null" || name.rfind("v.db", 0) == 0));
}

TEST_CASE("SIGTERM SIGINT and SIGHUP stop an export: 128+signal, no temporary left, the previous output untouched") {
    Archive a(20000);
    const auto out = a.dir.file("out/chat.html");
    std::filesystem::create_directory(a.dir.path() / "out");
    for (const auto& [signal, partition] : {std::pair{SIGTERM, "--partition=1000000"}, std::pair{SIGINT, ""},
                                            std::pair{SIGHUP, "--partition=1000000"}, std::pair{SIGTERM, ""}}) {
        INFO("signal " << signal << " " << partition);
        std::ofstream(out, std::ios::trunc) << "previous";
        auto args = with(a.base, {"export", "--format=html", "--chat=" + kChat, "--output=" + out});
        if (*partition) args.push_back(partition);
        // One file: its temporary; by default 20,000 messages are HTML parts in a generation directory.
        const std::string marker = *partition ? ".chat.html.tmp-" : ".chat.html.parts-";
        bool interrupted = false;
        for (int attempt = 0; attempt < 3 && !interrupted; ++attempt) {  // a run that ends first proves nothing
            DirectoryEvents events(a.dir.file("out"));
            auto process = startOkarchive(args);
            const bool started = waitForEntry(events, marker, process);
            if (started) ::kill(process.id(), signal);
            const int code = process.wait();
            if (code == 0) {
                std::ofstream(out, std::ios::trunc) << "previous";
                continue;
            }
            interrupted = true;
            CHECK(code == 128 + signal);
        }
        REQUIRE(interrupted);
        CHECK(readFile(out) == "previous");
        CHECK(entries(a.dir.path() / "out") == std::vector<std::string>{"chat.html"});
    }
}

TEST_CASE("what a killed export left is swept by the next export of the same output, nothing else") {
    Archive a(20000);
    std::filesystem::create_directory(a.dir.path() / "out");
    const auto out = a.dir.file("out/chat.html");
    std::ofstream(a.dir.file("out/.other.html.tmp-0badc0de")) << "another output's";
    bool killed = false;
    for (int attempt = 0; attempt < 3 && !killed; ++attempt) {
        for (const char* partition : {"--partition=1000000", ""}) {
            DirectoryEvents events(a.dir.file("out"));
            auto args = with(a.base, {"export", "--format=html", "--chat=" + kChat, "--output=" + out});
            if (*partition) args.push_back(partition);
            auto process = startOkarchive(args);
            if (waitForEntry(events, *partition ? ".chat.html.tmp-" : ".chat.html.parts-", process))
                ::kill(process.id(), SIGKILL);
            killed = process.wait() == 256 + SIGKILL || killed;
        }
    }
    REQUIRE(killed);
    REQUIRE_FALSE(entriesStartingWith(a.dir.path() / "out", ".chat.html.").empty());  // kill -9 leaves them
    const auto r = runOkarchive(
        with(a.base, {"export", "--format=html", "--chat=" + kChat, "--output=" + out, "--partition=1000000"}));
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    REQUIRE(entries(a.dir.path() / "out") == std::vector<std::string>{".other.html.tmp-0badc0de", "chat.html"});
}

namespace {

/// The partition size of the complete set the manifest at `path` lists, after checking that every part it lists
/// exists and holds what it says, that together they are exactly `reference`, and that nothing but the manifest is
/// visible beside it. 0 when there is no manifest yet.
std::size_t checkVisibleSet(const std::string& path, const std::string& reference) {
    const auto dir = std::filesystem::path(path).parent_path();
    std::vector<std::string> visible;
    for (const auto& name : entries(dir))
        if (name[0] != '.') visible.push_back(name);
    REQUIRE(visible == std::vector<std::string>{"chat.ndjson"});
    const auto doc = okarchive::JsonDocument::parse(readFile(path));
    const auto& parts = doc.root().find("parts")->items();
    REQUIRE_FALSE(parts.empty());
    std::string all;
    for (const auto& part : parts) {
        const auto file = (dir / part.find("file")->asString()).string();
        REQUIRE(std::filesystem::exists(file));
        const auto text = readFile(file);
        REQUIRE(lines(text) == part.find("messages")->asInt64());
        all += text;
    }
    REQUIRE(all == reference);
    const auto perPart = static_cast<std::size_t>(parts.front().find("messages")->asInt64());
    for (std::size_t i = 0; i + 1 < parts.size(); ++i)
        REQUIRE(static_cast<std::size_t>(parts[i].find("messages")->asInt64()) == perPart);
    return perPart;
}

}  // namespace

TEST_CASE("20 kills of a partitioned export over an earlier set: the visible set is always the whole old or new one") {
    Archive a(2000);
    REQUIRE(runOkarchive(a.exportTo(a.dir.file("ref.ndjson"))).exitCode == 0);
    const auto reference = readFile(a.dir.file("ref.ndjson"));
    std::filesystem::create_directory(a.dir.path() / "set");
    const auto out = a.dir.file("set/chat.ndjson");
    REQUIRE(runOkarchive(a.exportTo(out, {"--partition=100"})).exitCode == 0);
    REQUIRE(checkVisibleSet(out, reference) == 100);
    REQUIRE(entriesStartingWith(a.dir.path() / "set", ".chat.ndjson.parts-").size() == 1);

    // How many directory events one whole export of each partitioning makes: the kills are spread over all of them.
    std::map<std::size_t, std::size_t> eventsPerRun;
    for (const std::size_t perPart : {300, 100}) {
        DirectoryEvents events(a.dir.file("set"));
        auto process = startOkarchive(a.exportTo(out, {"--partition=" + std::to_string(perPart)}));
        while (running(process)) eventsPerRun[perPart] += events.next(200).size();  // live: the parts' events too
        REQUIRE(process.wait() == 0);
        for (auto names = events.next(0); !names.empty(); names = events.next(0)) eventsPerRun[perPart] += names.size();
        REQUIRE(checkVisibleSet(out, reference) == perPart);
        REQUIRE(eventsPerRun[perPart] > 10);
    }

    // A moment is the k-th directory event (anywhere in the run), or right after the index's temporary file appears
    // (publishing), or right after the index is renamed into place (the old generation being removed).
    std::mt19937 random(20261201);
    std::size_t current = 100, completed = 0, oldSeen = 0;
    for (int kill = 0; kill < 20; ++kill) {
        const std::size_t next = current == 100 ? 300 : 100;
        const int kind = std::uniform_int_distribution<int>(0, 3)(random);
        const auto moment = std::uniform_int_distribution<std::size_t>(1, eventsPerRun[next])(random);
        INFO("kill " << kill << " kind " << kind << " after " << moment << " of " << eventsPerRun[next] << " events, "
                     << current << " -> " << next);
        DirectoryEvents events(a.dir.file("set"));
        auto process = startOkarchive(a.exportTo(out, {"--partition=" + std::to_string(next)}));
        for (std::size_t seen = 0; running(process);) {
            const auto names = events.next(200);
            seen += names.size();
            const auto publishing = [&](const std::string& n) {
                return kind == 2 ? n.rfind(".chat.ndjson.tmp-", 0) == 0 : kind == 3 && n == "chat.ndjson";
            };
            if (kind < 2 ? seen >= moment : std::any_of(names.begin(), names.end(), publishing)) break;
        }
        ::kill(process.id(), SIGKILL);
        completed += process.wait() == 0;
        const auto visible = checkVisibleSet(out, reference);
        REQUIRE((visible == current || visible == next));
        oldSeen += visible == current;
        current = visible;
    }
    WARN("of 20 kills, " << oldSeen << " left the old set, " << completed << " runs finished first");
    REQUIRE(runOkarchive(a.exportTo(out, {"--partition=300"})).exitCode == 0);
    REQUIRE(checkVisibleSet(out, reference) == 300);
    const auto hidden = entriesStartingWith(a.dir.path() / "set", ".");
    REQUIRE(hidden.size() == 1);  // the one generation the manifest names: no temporary, no stale generation
    REQUIRE(hidden.front().rfind(".chat.ndjson.parts-", 0) == 0);
}
