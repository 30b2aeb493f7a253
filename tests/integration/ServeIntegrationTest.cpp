#include <catch2/catch.hpp>

#include <sys/prctl.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <csignal>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <SQLiteCpp/Database.h>

#include "integration/Harness.h"
#include "store/Archive.h"
#include "support/TestPaths.h"

using namespace okarchive::it;
using namespace std::chrono_literals;

namespace {

const std::string kChat = "chat:C3ecb9d02a600";  // okapi-sim's default chat

/// okarchive_dispatcher_cycles_total of serve's /metrics.
std::uint64_t dispatcherCycles(int port) {
    const std::string name = "\nokarchive_dispatcher_cycles_total ";
    const auto metrics = httpGet(port, "/metrics").second;
    const auto at = metrics.find(name);
    if (at == std::string::npos) throw std::runtime_error("no " + name.substr(1) + "in /metrics");
    return std::stoull(metrics.substr(at + name.size()));
}

/// The archive serve writes, read through the store; nothing before serve created it (never creates it).
std::unique_ptr<okarchive::Archive> existing(const std::string& db) {
    if (!std::filesystem::exists(db)) return nullptr;
    return okarchive::openArchive(db);
}

long long archived(const std::string& db, const std::string& chat = kChat) {
    const auto archive = existing(db);
    return archive ? archive->messageCount(chat) : 0;
}

/// Sync runs of the chat recorded with `result` (any result when empty).
long long syncRuns(const std::string& db, const std::string& result = "") {
    const auto archive = existing(db);
    if (!archive) return 0;
    const auto runs = archive->syncRuns(kChat);
    return std::count_if(runs.begin(), runs.end(),
                         [&](const okarchive::SyncRunRecord& r) { return result.empty() || r.result == result; });
}

/// The chat's digests in `state`.
long long digests(const std::string& db, const std::string& state) {
    const auto archive = existing(db);
    if (!archive) return 0;
    const auto rows = archive->digests(kChat);
    return std::count_if(rows.begin(), rows.end(), [&](const okarchive::DigestRow& r) { return r.state == state; });
}

long long lines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

/// A running `okarchive serve`; SIGKILLed if the test did not stop it.
class Serve {
public:
    static Serve start(const SimProcess& sim, const std::string& db, const std::vector<std::string>& extra,
                       const std::string& log) {
        auto args = with(baseArgs(sim, db), {"-Dsync.chats=" + kChat, "-Dlogging.file=" + log});
        args.insert(args.end(), extra.begin(), extra.end());
        args.push_back("serve");
        return Serve(startOkarchive(args));
    }
    Serve(Serve&& other) noexcept : _handle(std::move(other._handle)) {}
    ~Serve() {
        if (_handle && _running) {
            ::kill(_handle->id(), SIGKILL);
            _handle->wait();
        }
    }
    int pid() const { return _handle->id(); }
    /// Sends `sig` and waits; returns (exit code, seconds it took).
    std::pair<int, double> stop(int sig = SIGTERM) {
        const auto t0 = std::chrono::steady_clock::now();
        ::kill(_handle->id(), sig);
        const int code = _handle->wait();
        _running = false;
        return {code, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()};
    }

private:
    explicit Serve(Poco::ProcessHandle handle) : _handle(std::make_unique<Poco::ProcessHandle>(handle)) {}
    std::unique_ptr<Poco::ProcessHandle> _handle;
    bool _running = true;
};

/// Every digest text in the simulator's ground truth (the messages okarchive posted), by period label.
std::map<std::string, int> digestsInChat(const SimProcess& sim) {
    std::map<std::string, int> byLabel;
    const auto truth = sim.truth(kChat, false);
    static const std::string marker = "\"text\":\"Chat digest: ";
    for (auto at = truth.find(marker); at != std::string::npos; at = truth.find(marker, at + 1)) {
        const auto start = at + marker.size();
        const auto end = truth.find(" (UTC)", start);
        ++byLabel[truth.substr(start, end - start)];
    }
    return byLabel;
}

}  // namespace

TEST_CASE("serve archives what arrives while it runs, and exits 0 within 5 s of SIGTERM") {
    TempDir dir;
    SimProcess sim({"--seed=11", "--chat=" + kChat + "=1500"});
    const auto db = dir.file("s.db");
    auto serve = Serve::start(sim, db, {"-Dsync.interval=1s", "-Dstatus.listen="}, dir.file("serve.log"));
    const auto total = lines(sim.truth(kChat));
    REQUIRE(eventually([&] { return archived(db) == total; }));
    sim.post("/_sim/append?chat_id=" + kChat + "&count=9");
    INFO(readFile(dir.file("serve.log")));
    REQUIRE(eventually([&] { return archived(db) == total + 9; }));
    const auto [code, seconds] = serve.stop(SIGTERM);
    REQUIRE(code == 0);
    REQUIRE(seconds < 5.0);
    const auto log = readFile(dir.file("serve.log"));
    REQUIRE(log.find(kChat + "  ok  ") != std::string::npos);  // one line per run per chat
    REQUIRE(log.find("sim-token") == std::string::npos);       // never the token
    REQUIRE(okarchive::openArchive(db)->integrityCheck() == "ok");
}

TEST_CASE("SIGTERM in the middle of a long sync stops between pages, commits what it fetched, exits 0 in time") {
    TempDir dir;
    SimProcess sim({"--seed=12", "--chat=" + kChat + "=30000"});
    const auto db = dir.file("s.db");
    // A slow API (20 requests a second) makes the first sync take many seconds.
    auto serve = Serve::start(sim, db, {"-Dsync.interval=1h", "-Dstatus.listen=", "-Dapi.requests_per_second=20"},
                              dir.file("serve.log"));
    REQUIRE(eventually([&] { return archived(db) > 0; }));
    const auto [code, seconds] = serve.stop(SIGINT);
    INFO(readFile(dir.file("serve.log")));
    REQUIRE(code == 0);
    REQUIRE(seconds < 5.0);
    const auto kept = archived(db);
    REQUIRE(kept > 0);
    REQUIRE(kept < 30000);
    // What was archived is proven: a sync afterwards completes the chat exactly.
    auto rerun = runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat}));
    REQUIRE(rerun.exitCode == 0);
    REQUIRE(archived(db) == lines(sim.truth(kChat)));
}

namespace {

/// API requests the simulator has received (history or not), from /_sim/stats.
long long apiRequests(const SimProcess& sim) {
    const auto body = sim.get("/_sim/stats");
    return std::stoll(body.substr(body.find("\"requests\":") + 11));
}

/// Archives all of the chat with a one-shot sync, then makes every API request hang for 30 s.
long long archiveThenHang(const SimProcess& sim, const std::string& db) {
    REQUIRE(runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat})).exitCode == 0);
    const auto kept = archived(db);
    REQUIRE(kept == lines(sim.truth(kChat)));
    sim.post("/_sim/append?chat_id=" + kChat + "&count=250");
    sim.post("/_sim/faults?rate=1&kinds=delay");
    return kept;
}

/// What is archived is intact and proven: once the API answers again, a sync completes the chat exactly.
void requireNothingLost(const SimProcess& sim, const std::string& db, long long keptBefore) {
    REQUIRE(archived(db) == keptBefore);
    REQUIRE(okarchive::openArchive(db)->integrityCheck() == "ok");
    sim.post("/_sim/faults?rate=0");
    REQUIRE(runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat})).exitCode == 0);
    REQUIRE(archived(db) == lines(sim.truth(kChat)));
}

/// A simulator whose chat is all archived in `db`, after which every API request hangs for 30 s.
struct HangingApi {
    explicit HangingApi(const std::string& seed)
        : sim({"--seed=" + seed, "--chat=" + kChat + "=2000", "--delay-ms=30000"}),
          db(dir.file("s.db")),
          kept(archiveThenHang(sim, db)),
          before(apiRequests(sim)) {}
    bool requestHangs() const {
        return eventually([&] { return apiRequests(sim) > before; });
    }

    TempDir dir;
    SimProcess sim;
    std::string db;
    long long kept;    ///< messages archived before the hang
    long long before;  ///< API requests before the hang
};

}  // namespace

TEST_CASE("SIGTERM while a request hangs for 30 s: serve exits 0 in under 1 s and nothing is lost") {
    HangingApi api("13");
    auto serve = Serve::start(api.sim, api.db, {"-Dsync.interval=1s", "-Dstatus.listen="}, api.dir.file("serve.log"));
    REQUIRE(api.requestHangs());  // serve's first request hangs now
    const auto [code, seconds] = serve.stop(SIGTERM);
    INFO(readFile(api.dir.file("serve.log")));
    REQUIRE(code == 0);
    REQUIRE(seconds < 1.0);
    requireNothingLost(api.sim, api.db, api.kept);
}

TEST_CASE("SIGINT while a request hangs: sync stops at once, exits 1 saying why, and nothing is lost") {
    HangingApi api("14");
    Poco::Pipe errPipe;
    auto handle = Poco::Process::launch(okarchive::test::okarchiveBin(),
                                        with(baseArgs(api.sim, api.db), {"sync", "--chat=" + kChat}), ".", nullptr,
                                        nullptr, &errPipe);
    REQUIRE(api.requestHangs());
    const auto t0 = std::chrono::steady_clock::now();
    ::kill(handle.id(), SIGINT);
    const int code = handle.wait();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    Poco::PipeInputStream errStream(errPipe);
    std::string err;
    Poco::StreamCopier::copyToString(errStream, err);
    INFO(err);
    REQUIRE(code == 1);
    REQUIRE(seconds < 1.0);
    REQUIRE(err.find("stopped by SIGINT") != std::string::npos);
    REQUIRE(err.find("sim-token") == std::string::npos);
    requireNothingLost(api.sim, api.db, api.kept);
}

TEST_CASE("a second instance on the same archive exits 4 naming the holder - a killed holder's lock is recovered") {
    TempDir dir;
    SimProcess sim({"--seed=13", "--chat=" + kChat + "=200"});
    const auto db = dir.file("s.db");
    auto serve = Serve::start(sim, db, {"-Dsync.interval=1h", "-Dstatus.listen="}, dir.file("serve.log"));
    REQUIRE(eventually([&] { return archived(db) > 0; }));

    auto sync = runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat}));
    REQUIRE(sync.exitCode == 4);
    REQUIRE(sync.err.find("pid " + std::to_string(serve.pid())) != std::string::npos);
    REQUIRE(sync.err.find("okarchive serve") != std::string::npos);
    auto second = runOkarchive(with(baseArgs(sim, db), {"-Dsync.chats=" + kChat, "-Dstatus.listen=", "serve"}));
    REQUIRE(second.exitCode == 4);

    serve.stop(SIGKILL);  // no chance to clean up
    auto after = runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat}));
    INFO(after.err);
    REQUIRE(after.exitCode == 0);
}

TEST_CASE("/metrics is Prometheus text whose counters match the archive") {
    TempDir dir;
    SimProcess sim({"--seed=14", "--chat=" + kChat + "=800"});
    const auto db = dir.file("s.db");
    const int port = freePort();
    auto serve = Serve::start(sim, db, {"-Dsync.interval=1h", "-Dstatus.listen=127.0.0.1:" + std::to_string(port)},
                              dir.file("serve.log"));
    std::string metrics;
    REQUIRE(eventually([&] {
        metrics = httpGet(port, "/metrics").second;
        return metrics.find("result=\"ok\"} 1") != std::string::npos;
    }));
    std::map<std::string, double> samples;
    const std::regex sample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?) (-?[0-9.e+]+|\+Inf)$)");
    std::istringstream in(metrics);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') {
            REQUIRE((line.empty() || line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0));
            continue;
        }
        std::smatch m;
        INFO(line);
        REQUIRE(std::regex_match(line, m, sample));
        samples[m[1]] = m[3] == "+Inf" ? 1e308 : std::stod(m[3]);
    }
    const auto chatLabel = "{chat=\"" + kChat + "\"}";
    REQUIRE(samples.at("okarchive_archive_messages" + chatLabel) == archived(db));
    REQUIRE(samples.at("okarchive_sync_runs_total{chat=\"" + kChat + "\",result=\"ok\"}") == syncRuns(db, "ok"));
    REQUIRE(samples.at("okarchive_sync_duration_seconds_count") == 1);
    REQUIRE(samples.at("okarchive_api_requests_total{code=\"200\"}") >= 1);
    REQUIRE(samples.at("okarchive_archive_bytes") > 0);
    REQUIRE(samples.count("okarchive_last_success_timestamp_seconds" + chatLabel) == 1);
    serve.stop();
}

TEST_CASE("/healthz turns 503 when the API starts failing and 200 again after") {
    TempDir dir;
    SimProcess sim({"--seed=15", "--chat=" + kChat + "=300"});
    const auto db = dir.file("s.db");
    const int port = freePort();
    auto serve = Serve::start(
        sim, db, {"-Dsync.interval=1s", "-Dapi.max_retries=0", "-Dstatus.listen=127.0.0.1:" + std::to_string(port)},
        dir.file("serve.log"));
    REQUIRE(eventually([&] { return httpGet(port, "/healthz").first == 200 && archived(db) > 0; }));
    sim.post("/_sim/faults?rate=1&kinds=500");
    std::string body;
    REQUIRE(eventually([&] {
        auto [code, text] = httpGet(port, "/healthz");
        body = text;
        return code == 503;
    }));
    REQUIRE(body.find("\"last_error\":\"") != std::string::npos);
    sim.post("/_sim/faults?rate=0");
    INFO(readFile(dir.file("serve.log")));
    REQUIRE(eventually([&] { return httpGet(port, "/healthz").first == 200; }, 30s));
    serve.stop();
}

TEST_CASE("digests: exactly one per closed period, tagged once archived") {
    TempDir dir;
    SimProcess sim({"--seed=16", "--chat=" + kChat + "=400"});
    const auto db = dir.file("s.db");
    auto serve = Serve::start(
        sim, db, {"-Dsync.interval=1s", "-Dstatus.listen=", "-Dsummary.enabled=true", "-Dsummary.period=2s"},
        dir.file("serve.log"));
    REQUIRE(eventually([&] { return digestsInChat(sim).size() >= 3; }, 30s));
    REQUIRE(serve.stop().first == 0);
    const auto digests = digestsInChat(sim);
    INFO(readFile(dir.file("serve.log")));
    for (const auto& [label, count] : digests) {
        INFO(label);
        REQUIRE(count == 1);
    }
    REQUIRE(::digests(db, "posted") == static_cast<long long>(digests.size()));
    REQUIRE(::digests(db, "intent") == 0);
    const auto rows = okarchive::openArchive(db)->digests(kChat);  // tagged: the ones a later sync archived
    REQUIRE(std::any_of(rows.begin(), rows.end(), [](const okarchive::DigestRow& r) { return r.messageKey; }));
}

TEST_CASE("digests survive kill -9 between intent and outcome without a duplicate") {
    TempDir dir;
    SimProcess sim({"--seed=17", "--chat=" + kChat + "=300"});
    const auto db = dir.file("s.db");
    const std::vector<std::string> args = {"-Dsync.interval=1s", "-Dstatus.listen=", "-Dsummary.enabled=true",
                                           "-Dsummary.period=1h"};
    {
        auto serve = Serve::start(sim, db, args, dir.file("serve.log"));
        REQUIRE(eventually([&] { return digestsInChat(sim).size() == 1; }));
        serve.stop(SIGKILL);
    }
    // Put the archive back in the state a kill -9 right after the POST leaves: intent recorded, outcome not.
    {
        const auto archive = okarchive::openArchive(db);
        const auto rows = archive->digests(kChat);
        REQUIRE(rows.size() == 1);
        archive->recordDigestIntent(kChat, rows[0].period, rows[0].text, false, rows[0].attemptedAt);
    }
    {
        auto serve = Serve::start(sim, db, args, dir.file("serve2.log"));
        REQUIRE(eventually([&] { return digests(db, "posted") == 1; }));
        // Several more cycles: still one digest.
        REQUIRE(eventually([&] { return syncRuns(db) >= 6; }));
        serve.stop();
        INFO(readFile(dir.file("serve2.log")));
        REQUIRE(readFile(dir.file("serve2.log")).find("found in the chat's history") != std::string::npos);
    }
    REQUIRE(digestsInChat(sim).size() == 1);
    REQUIRE(digestsInChat(sim).begin()->second == 1);

    // And the state a kill -9 right BEFORE the POST leaves: an intent whose text never reached the chat is posted
    // once, after a sync proves it absent.
    {
        const auto archive = okarchive::openArchive(db);
        const auto rows = archive->digests(kChat);
        REQUIRE(rows.size() == 1);
        const okarchive::DigestPeriod earlier{rows[0].period.start - 3600000, rows[0].period.end - 3600000, "earlier"};
        archive->recordDigestIntent(kChat, earlier, "Chat digest: earlier (UTC)\nMessages: 0", false,
                                    rows[0].attemptedAt);
    }
    {
        auto serve = Serve::start(sim, db, args, dir.file("serve3.log"));
        REQUIRE(eventually([&] { return digestsInChat(sim).count("earlier") == 1 && digestsInChat(sim).size() == 2; }));
        REQUIRE(eventually([&] { return syncRuns(db) >= 14; }));
        serve.stop();
    }
    const auto digests = digestsInChat(sim);
    INFO(readFile(dir.file("serve3.log")));
    REQUIRE(digests.size() == 2);
    for (const auto& [label, count] : digests) REQUIRE(count == 1);
}

TEST_CASE("okarchive summary prints a digest, posts it once, and --force posts again") {
    TempDir dir;
    SimProcess sim({"--seed=18", "--chat=" + kChat + "=500"});
    const auto db = dir.file("s.db");
    REQUIRE(runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat})).exitCode == 0);
    const auto base = with(baseArgs(sim, db), {"summary", "--chat=" + kChat, "--since=0", "--until=4102444800000"});
    auto dry = runOkarchive(with(base, {"--dry-run"}));
    INFO(dry.err);
    REQUIRE(dry.exitCode == 0);
    REQUIRE(dry.out.rfind("Chat digest: ", 0) == 0);
    REQUIRE(digestsInChat(sim).empty());
    REQUIRE(runOkarchive(base).exitCode == 0);
    REQUIRE(digestsInChat(sim).size() == 1);
    auto again = runOkarchive(base);
    REQUIRE(again.exitCode == 0);
    REQUIRE(again.err.find("posted already") != std::string::npos);
    REQUIRE(digestsInChat(sim).begin()->second == 1);
    REQUIRE(runOkarchive(with(base, {"--force"})).exitCode == 0);
    REQUIRE(digestsInChat(sim).begin()->second == 2);
    REQUIRE(runOkarchive(with(baseArgs(sim, db), {"summary", "--chat=" + kChat})).exitCode == 2);  // no period
}

TEST_CASE("an invalid token stops syncing and is reported until SIGHUP brings a good one") {
    TempDir dir;
    SimProcess sim({"--seed=19", "--chat=" + kChat + "=200"});
    const auto db = dir.file("s.db");
    const auto tokenFile = dir.file("token");
    { std::ofstream(tokenFile) << "wrong-token\n"; }
    const int port = freePort();
    auto args = baseArgs(sim, db);
    args.erase(std::remove_if(args.begin(), args.end(),
                              [](const std::string& a) { return a.rfind("-Dapi.access_token=", 0) == 0; }),
               args.end());
    args.insert(args.end(), {"-Dapi.access_token_file=" + tokenFile, "-Dsync.chats=" + kChat,
                             "-Dlogging.file=" + dir.file("serve.log"), "-Dsync.interval=1s",
                             "-Dstatus.listen=127.0.0.1:" + std::to_string(port), "serve"});
    auto handle = startOkarchive(args);
    std::string body;
    REQUIRE(eventually([&] {
        auto [code, text] = httpGet(port, "/healthz");
        body = text;
        return code == 503 && text.find("\"auth_error\":\"") != std::string::npos;
    }));
    REQUIRE(readFile(dir.file("serve.log")).find("ACCESS TOKEN REFUSED") != std::string::npos);
    REQUIRE(readFile(dir.file("serve.log")).find("wrong-token") == std::string::npos);
    // Proving a negative by events, not by a sleep: two whole dispatcher rounds pass without one request.
    const auto before = sim.historyRequests();
    const auto cycles = dispatcherCycles(port);
    REQUIRE(eventually([&] { return dispatcherCycles(port) >= cycles + 2; }));
    REQUIRE(sim.historyRequests() == before);

    { std::ofstream(tokenFile) << "sim-token\n"; }
    ::kill(handle.id(), SIGHUP);
    INFO(readFile(dir.file("serve.log")));
    REQUIRE(eventually([&] { return httpGet(port, "/healthz").first == 200 && archived(db) > 0; }));
    ::kill(handle.id(), SIGTERM);
    REQUIRE(handle.wait() == 0);
}

TEST_CASE("serve with sync.chats = all discovers every chat and syncs them on parallel workers") {
    TempDir dir;
    const std::string other = "chat:C3ecb9d02a601";
    SimProcess sim({"--seed=20", "--chat=" + kChat + "=2000", "--chat=" + other + "=1500"});
    const auto db = dir.file("s.db");
    auto args = with(baseArgs(sim, db), {"-Dsync.chats=all", "-Dsync.workers=2", "-Dsync.interval=1h",
                                         "-Dstatus.listen=", "-Dlogging.file=" + dir.file("serve.log"), "serve"});
    auto handle = startOkarchive(args);
    auto count = [&](const std::string& chat) { return archived(db, chat); };
    // A chat run ends after its media downloads too: wait for both chat lines, not only for the messages.
    auto ended = [&](const std::string& chat) { return readFile(dir.file("serve.log")).find(chat + "  ok  "); };
    REQUIRE(eventually([&] { return ended(kChat) != std::string::npos && ended(other) != std::string::npos; }));
    CHECK(count(kChat) == lines(sim.truth(kChat)));
    CHECK(count(other) == lines(sim.truth(other)));
    ::kill(handle.id(), SIGTERM);
    REQUIRE(handle.wait() == 0);
}

TEST_CASE("serve settings are validated before anything starts: bad values exit 2 naming the key") {
    TempDir dir;
    SimProcess sim({"--seed=21", "--chat=" + kChat + "=10"});
    const auto db = dir.file("s.db");
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"-Dsync.interval=5", "sync.interval"},
        {"-Dsync.workers=0", "sync.workers"},
        {"-Dstatus.listen=nowhere", "status.listen"},
        {"-Dsummary.period=fortnight", "summary.period"},
        {"-Dsummary.language=de", "summary.language"},
        {"-Dsync.interval.chat:C1=soon", "sync.interval.chat:C1"},
        {"-Dsummary.timezone=Mars/Base", "summary.timezone"}};
    for (const auto& [define, key] : bad) {
        auto r = runOkarchive(with(baseArgs(sim, db), {"-Dsync.chats=" + kChat, define, "serve"}));
        INFO(define << "\n" << r.err);
        REQUIRE(r.exitCode == 2);
        REQUIRE(r.err.find(key) != std::string::npos);
    }
    // A per-chat interval is a known key in a file too; an unknown key next to it is not.
    { std::ofstream(dir.file("ok.ini")) << "[sync]\ninterval = 1h\ninterval.chat:C1 = 1m\n"; }
    REQUIRE(
        runOkarchive(with(baseArgs(sim, db), {"--config=" + dir.file("ok.ini"), "sync", "--chat=" + kChat})).exitCode ==
        0);
    { std::ofstream(dir.file("bad.ini")) << "[sync]\nintervall = 1h\n"; }
    REQUIRE(runOkarchive(with(baseArgs(sim, db), {"--config=" + dir.file("bad.ini"), "sync", "--chat=" + kChat}))
                .exitCode == 2);
}

TEST_CASE("serve and sync archive the same chat metadata: the simulator's own description, not a bare id") {
    TempDir dir;
    SimProcess sim({"--seed=14", "--chat=" + kChat + "=300"});
    const auto viaSync = dir.file("sync.db"), viaServe = dir.file("serve.db");
    REQUIRE(runOkarchive(with(baseArgs(sim, viaSync), {"sync", "--chat=" + kChat})).exitCode == 0);
    auto serve = Serve::start(sim, viaServe, {"-Dsync.interval=1h", "-Dstatus.listen="}, dir.file("serve.log"));
    const auto total = lines(sim.truth(kChat));
    INFO(readFile(dir.file("serve.log")));
    REQUIRE(eventually([&] { return archived(viaServe) == total; }));
    REQUIRE(serve.stop(SIGTERM).first == 0);

    const auto described = sim.get("/me/chat/" + kChat + "?access_token=sim-token");  // what the API says
    const auto bySync = okarchive::openArchive(viaSync)->chatInfo(kChat);
    const auto byServe = okarchive::openArchive(viaServe)->chatInfo(kChat);
    REQUIRE(bySync);
    REQUIRE(byServe);
    CHECK(byServe->rawJson == described);
    CHECK(bySync->rawJson == described);
    CHECK_FALSE(byServe->title.empty());
    CHECK(byServe->title == bySync->title);
    CHECK(byServe->type == "CHAT");
    CHECK(byServe->type == bySync->type);
    CHECK(byServe->status == bySync->status);
    CHECK(byServe->ownerId == bySync->ownerId);
    CHECK(byServe->participantsCount == bySync->participantsCount);
}

namespace {

/// Holds the archive's write lock from this process (BEGIN IMMEDIATE): every write okarchive tries fails with
/// "database is locked" once its busy timeout (archive.busy_timeout_ms) is over, while reads go on (WAL), as on a full
/// disk.
class WriteLockHolder {
public:
    explicit WriteLockHolder(const std::string& db) : _db(db, SQLite::OPEN_READWRITE) { _db.exec("BEGIN IMMEDIATE"); }

private:
    SQLite::Database _db;  // closing it rolls back and releases the lock
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("an archive refusing every write: sync reports each chat, /healthz is 503, /metrics counts the failures") {
    TempDir dir;
    const std::string other = "chat:C3ecb9d02a601";
    SimProcess sim({"--seed=22", "--chat=" + kChat + "=40", "--chat=" + other + "=30"});
    const auto db = dir.file("s.db");
    okarchive::openArchive(db);  // the schema exists; nothing is archived yet
    WriteLockHolder locked(db);
    const std::string busy = "-Darchive.busy_timeout_ms=200";  // each refused write waits 0.2 s, not 5 s

    const auto began = std::chrono::steady_clock::now();
    const auto sync = runOkarchive(with(baseArgs(sim, db), {busy, "sync", "--chat=" + kChat, "--chat=" + other}));
    INFO(sync.out << "\n" << sync.err);
    CHECK(std::chrono::steady_clock::now() - began < 8s);  // the default wait, once per chat, would take 10 s
    CHECK(sync.exitCode == 1);
    for (const auto& chat : {kChat, other}) CHECK(contains(sync.out, chat + "  FAILED  "));
    CHECK(contains(sync.out, "database is locked"));
    CHECK_FALSE(contains(sync.out + sync.err, "record a sync run"));  // the first cause, not the last

    const int port = freePort();
    auto serve =
        Serve::start(sim, db, {busy, "-Dsync.interval=1h", "-Dstatus.listen=127.0.0.1:" + std::to_string(port)},
                     dir.file("serve.log"));
    std::pair<int, std::string> health;
    REQUIRE(eventually(
        [&] {
            health = httpGet(port, "/healthz");
            return health.first != 200 || contains(health.second, "\"failed\"");
        },
        40s));
    INFO(health.second << "\n" << readFile(dir.file("serve.log")));
    CHECK(health.first == 503);
    CHECK(contains(health.second, "\"status\":\"failing\""));
    CHECK(contains(health.second, "database is locked"));
    CHECK(contains(httpGet(port, "/metrics").second,
                   "okarchive_sync_runs_total{chat=\"" + kChat + "\",result=\"failed\"} "));
    CHECK(serve.stop().first == 0);
}

TEST_CASE("a lock file deleted from under a running serve lets no second instance in: there is none to delete") {
    TempDir dir;
    SimProcess sim({"--seed=23", "--chat=" + kChat + "=200"});
    const auto db = dir.file("s.db");
    auto serve = Serve::start(sim, db, {"-Dsync.interval=1h", "-Dstatus.listen="}, dir.file("serve.log"));
    REQUIRE(eventually([&] { return archived(db) > 0; }));
    CHECK_FALSE(std::filesystem::exists(db + ".lock"));  // the database file itself is locked
    std::filesystem::remove(db + ".lock");
    const auto sync = runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat}));
    INFO(sync.err);
    CHECK(sync.exitCode == 4);
    CHECK(contains(sync.err, "pid " + std::to_string(serve.pid()) + ", okarchive serve"));
    CHECK(runOkarchive(with(baseArgs(sim, db), {"-Dsync.chats=" + kChat, "-Dstatus.listen=", "serve"})).exitCode == 4);
    CHECK(serve.stop().first == 0);
    CHECK_FALSE(std::filesystem::exists(db + ".lock"));
}

namespace {

/// `okarchive ... serve --daemon` with `extra` settings; waits for the command (not for the daemon it leaves).
RunResult serveDaemon(const SimProcess& sim, const std::string& db, const std::vector<std::string>& extra) {
    auto args = with(baseArgs(sim, db), {"-Dsync.chats=" + kChat, "-Dsync.interval=1h"});
    args.insert(args.end(), extra.begin(), extra.end());
    return runOkarchive(with(args, {"serve", "--daemon"}));
}

}  // namespace

TEST_CASE("serve --daemon says on the caller's stderr what keeps it from starting, and exits non-zero") {
    TempDir dir;
    SimProcess sim({"--seed=24", "--chat=" + kChat + "=100"});
    const auto db = dir.file("s.db"), log = "-Dlogging.file=" + dir.file("serve.log");
    const auto relative = serveDaemon(sim, "relative.db", {log});
    CHECK(relative.exitCode == 2);
    CHECK(contains(relative.err, "archive.database"));
    const auto noLog = serveDaemon(sim, db, {});
    CHECK(noLog.exitCode == 2);
    CHECK(contains(noLog.err, "logging.file"));
    const auto badSetting = serveDaemon(sim, db, {log, "-Dsync.interval=5"});
    CHECK(badSetting.exitCode == 2);
    CHECK(contains(badSetting.err, "sync.interval"));
    // The daemon changes to /: a relative pid file would be written there, not where the caller looks for it.
    const auto relativePid = serveDaemon(sim, db, {log, "-Dstatus.listen=", "--pidfile=okarchive-relative.pid"});
    CHECK(relativePid.exitCode == 2);
    CHECK(contains(relativePid.err, "option --pidfile = 'okarchive-relative.pid'"));
    CHECK_FALSE(std::filesystem::exists("/okarchive-relative.pid"));

    Poco::Net::ServerSocket taken(Poco::Net::SocketAddress("127.0.0.1", 0));
    const auto listen = "127.0.0.1:" + std::to_string(taken.address().port());
    const auto portTaken = serveDaemon(sim, db, {log, "-Dstatus.listen=" + listen});
    INFO(portTaken.err);
    CHECK(portTaken.exitCode == 1);
    CHECK(contains(portTaken.err, "status.listen = '" + listen + "'"));

    auto holder = Serve::start(sim, db, {"-Dsync.interval=1h", "-Dstatus.listen="}, dir.file("holder.log"));
    REQUIRE(eventually([&] { return archived(db) > 0; }));
    const auto locked = serveDaemon(sim, db, {log, "-Dstatus.listen="});
    INFO(locked.err);
    CHECK(locked.exitCode == 4);
    CHECK(contains(locked.err, "pid " + std::to_string(holder.pid())));
    CHECK(holder.stop().first == 0);
    CHECK_FALSE(contains(relative.err + noLog.err + badSetting.err + relativePid.err + portTaken.err + locked.err,
                         "sim-token"));
}

TEST_CASE("serve --daemon returns once serving: its pid file names it, /healthz answers, SIGTERM stops it") {
    TempDir dir;
    SimProcess sim({"--seed=25", "--chat=" + kChat + "=100"});
    const auto db = dir.file("s.db"), pidFile = dir.file("serve.pid"), logFile = dir.file("serve.log");
    const int port = freePort();
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);  // the daemon, orphaned by the command, becomes this test's child to reap
    const auto started = serveDaemon(sim, db,
                                     {"-Dlogging.file=" + logFile, "-Dstatus.listen=127.0.0.1:" + std::to_string(port),
                                      "--pidfile=" + pidFile, "--umask=077"});
    INFO(started.err);
    REQUIRE(started.exitCode == 0);
    REQUIRE(started.err.empty());
    const pid_t pid = std::stoi(readFile(pidFile));  // written before the command returned
    REQUIRE(::kill(pid, 0) == 0);
    const auto health = httpGet(port, "/healthz");  // bound before the command returned: no waiting
    CHECK((health.first == 200 || health.first == 503));
    const auto sync = runOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat}));  // the daemon holds it
    CHECK(sync.exitCode == 4);
    CHECK(contains(sync.err, "pid " + std::to_string(pid) + ", okarchive serve"));
    CHECK((std::filesystem::status(logFile).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    REQUIRE(::kill(pid, SIGTERM) == 0);
    int status = -1;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    ::prctl(PR_SET_CHILD_SUBREAPER, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK_FALSE(std::filesystem::exists(pidFile));
    INFO(readFile(logFile));
    CHECK(contains(readFile(logFile), "SIGTERM: stopping"));
}

TEST_CASE("sync.chats = all: /healthz is 503 naming why while the bot's chats cannot be listed, 200 after") {
    TempDir dir;
    SimProcess sim({"--seed=26", "--chat=" + kChat + "=50"});
    sim.post("/_sim/faults?rate=1&kinds=500");
    const auto db = dir.file("s.db");
    const int port = freePort();
    auto args = with(baseArgs(sim, db),
                     {"-Dsync.chats=all", "-Dsync.interval=1s", "-Dapi.max_retries=0",
                      "-Dstatus.listen=127.0.0.1:" + std::to_string(port), "-Dlogging.file=" + dir.file("serve.log")});
    auto handle = startOkarchive(with(args, {"serve"}));
    std::pair<int, std::string> health;
    REQUIRE(eventually([&] {
        health = httpGet(port, "/healthz");
        return health.first != 200 || contains(health.second, "discovery_error\":\"");
    }));
    INFO(health.second);
    CHECK(health.first == 503);
    CHECK(contains(health.second, "\"chats\":[]"));
    sim.post("/_sim/faults?rate=0");
    REQUIRE(eventually([&] { return httpGet(port, "/healthz").first == 200 && archived(db) > 0; }));
    ::kill(handle.id(), SIGTERM);
    CHECK(handle.wait() == 0);
}
