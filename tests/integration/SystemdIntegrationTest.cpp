// serve under a service manager: sd_notify readiness, watchdog and stop; journal log lines; the checks of serve
// --daemon before it detaches; the modes of what it creates. The real okarchive against okapi-sim over loopback.

#include <catch2/catch.hpp>

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include "integration/Harness.h"
#include "store/Archive.h"
#include "support/TestPaths.h"

using namespace okarchive::it;
using namespace std::chrono_literals;

namespace {

const std::string kChat = "chat:C3ecb9d02a600";  // okapi-sim's default chat
using Clock = std::chrono::steady_clock;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

int healthStatus(int port) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest request("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    session.receiveResponse(response);
    return response.getStatus();
}

/// The service manager's end: a datagram socket bound in the test's directory, read with a deadline.
class NotifySocket {
public:
    explicit NotifySocket(const std::string& path) : _path(path) {
        _fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        REQUIRE(path.size() < sizeof address.sun_path);
        std::memcpy(address.sun_path, path.data(), path.size());
        REQUIRE(::bind(_fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    }
    ~NotifySocket() { ::close(_fd); }
    const std::string& path() const { return _path; }

    /// The next datagram, or nothing once `deadline` passed.
    std::optional<std::string> next(Clock::time_point deadline) const {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        pollfd ready{_fd, POLLIN, 0};
        if (left <= 0 || ::poll(&ready, 1, static_cast<int>(left)) != 1) return std::nullopt;
        char buffer[4096];
        const auto n = ::recv(_fd, buffer, sizeof buffer, 0);
        return n < 0 ? std::nullopt : std::optional<std::string>(std::string(buffer, static_cast<std::size_t>(n)));
    }
    /// Reads until a datagram starting with `prefix` arrives; every one read is appended to `seen`.
    bool awaitPrefix(const std::string& prefix, std::vector<std::string>& seen, std::chrono::seconds within) const {
        const auto deadline = Clock::now() + within;
        while (const auto message = next(deadline)) {
            seen.push_back(*message);
            if (message->rfind(prefix, 0) == 0) return true;
        }
        return false;
    }

private:
    std::string _path;
    int _fd = -1;
};

/// okarchive started with `env` (besides OKARCHIVE_CONFIG=/dev/null), its standard error a pipe the test reads.
struct Started {
    Poco::Pipe err;
    std::unique_ptr<Poco::ProcessHandle> handle;
    std::string stderrText;
    bool running = true;

    Started(const std::vector<std::string>& args, std::map<std::string, std::string> env, bool journalStderr = false) {
        env.emplace("OKARCHIVE_CONFIG", "/dev/null");
        if (journalStderr) {
            struct stat st {};
            REQUIRE(::fstat(err.writeHandle(), &st) == 0);
            env["JOURNAL_STREAM"] = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
        }
        Poco::Process::Env environment(env.begin(), env.end());
        handle = std::make_unique<Poco::ProcessHandle>(
            Poco::Process::launch(okarchive::test::okarchiveBin(), args, ".", nullptr, nullptr, &err, environment));
        err.close(Poco::Pipe::CLOSE_WRITE);
    }
    ~Started() {
        if (!running) return;
        ::kill(handle->id(), SIGKILL);
        handle->wait();
    }
    /// Reads standard error until it holds every part or `within` passed.
    bool awaitStderr(const std::vector<std::string>& parts, std::chrono::seconds within) {
        const auto deadline = Clock::now() + within;
        const auto complete = [&] {
            for (const auto& p : parts)
                if (!has(stderrText, p)) return false;
            return true;
        };
        while (!complete()) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            pollfd ready{err.readHandle(), POLLIN, 0};
            if (left <= 0 || ::poll(&ready, 1, static_cast<int>(left)) != 1) return false;
            char buffer[4096];
            const auto n = ::read(err.readHandle(), buffer, sizeof buffer);
            if (n <= 0) return complete();
            stderrText.append(buffer, static_cast<std::size_t>(n));
        }
        return true;
    }
    int stop() {
        ::kill(handle->id(), SIGTERM);
        running = false;
        return handle->wait();
    }
};

std::vector<std::string> serveArgs(const SimProcess& sim, const std::string& db, std::vector<std::string> extra) {
    auto args = with(baseArgs(sim, db), {"-Dsync.interval=1h"});
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("serve");
    return args;
}

/// Processes whose command line mentions `part` (this test's temp dir): a daemon left behind would be one.
int processesMentioning(const std::string& part) {
    int found = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "cmdline", std::ios::binary);
        const std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (has(cmdline, part) && has(cmdline, "serve")) ++found;
    }
    return found;
}

unsigned modeOf(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

}  // namespace

TEST_CASE(
    "serve under systemd: READY=1 once the port is bound, WATCHDOG=1 repeatedly, RELOADING=1 and READY=1 at SIGHUP, "
    "STOPPING=1 at SIGTERM") {
    TempDir dir;
    SimProcess sim({"--seed=31", "--chat=" + kChat + "=50"});
    NotifySocket manager(dir.file("notify"));
    const int port = freePort();
    Started serve(serveArgs(sim, dir.file("n.db"),
                            {"-Dsync.chats=" + kChat, "-Dstatus.listen=127.0.0.1:" + std::to_string(port)}),
                  {{"NOTIFY_SOCKET", manager.path()}, {"WATCHDOG_USEC", "200000"}});
    std::vector<std::string> seen;
    REQUIRE(manager.awaitPrefix("READY=1", seen, 30s));
    INFO(seen.back());
    CHECK(has(seen.back(), "\nSTATUS="));
    const int health = healthStatus(port);  // bound before READY=1: no waiting
    CHECK((health == 200 || health == 503));

    // WATCHDOG_USEC=200000: a keep-alive at least every 0.1 s, though the loop has nothing due for an hour (it
    // would wait a second per cycle if the watchdog did not bound its waits).
    const auto t0 = Clock::now();
    int keepAlives = 0;
    std::string statuses;
    while (keepAlives < 10 && manager.awaitPrefix("WATCHDOG=1", seen, 10s)) {
        ++keepAlives;
        statuses += seen.back();
    }
    CHECK(keepAlives == 10);
    CHECK(Clock::now() - t0 < 8s);
    for (const auto& m : seen)
        if (has(m, "STATUS=")) statuses += m + "|";
    CHECK(has(statuses, "STATUS=1 chats, "));

    ::kill(serve.handle->id(), SIGHUP);  // a reload: RELOADING=1 (with the time systemd wants), then READY=1 again
    std::vector<std::string> reload;
    REQUIRE(manager.awaitPrefix("RELOADING=1\nMONOTONIC_USEC=", reload, 10s));
    CHECK(manager.awaitPrefix("READY=1", reload, 10s));

    ::kill(serve.handle->id(), SIGTERM);
    CHECK(manager.awaitPrefix("STOPPING=1", seen, 10s));
    CHECK(serve.stop() == 0);
}

TEST_CASE("the watchdog is fed while the bot's chats are listed from an API that answers in 30 s") {
    TempDir dir;
    SimProcess sim({"--seed=37", "--chat=" + kChat + "=10", "--delay-ms=30000"});
    sim.post("/_sim/faults?rate=1&kinds=delay");  // every API request now waits 30 s
    NotifySocket manager(dir.file("notify"));
    Started serve(serveArgs(sim, dir.file("w.db"),
                            {"-Dsync.chats=all", "-Dstatus.listen=", "-Dapi.timeout_ms=5000", "-Dapi.max_retries=0"}),
                  {{"NOTIFY_SOCKET", manager.path()}, {"WATCHDOG_USEC", "400000"}});
    std::vector<std::string> seen;
    REQUIRE(manager.awaitPrefix("READY=1", seen, 30s));
    // The listing waits 5 s for its answer; the loop must not: a keep-alive within every 2 s all along.
    const auto t0 = Clock::now();
    int keepAlives = 0;
    while (Clock::now() - t0 < 6s) {
        INFO("keep-alives so far: " << keepAlives);
        REQUIRE(manager.awaitPrefix("WATCHDOG=1", seen, 2s));
        ++keepAlives;
    }
    CHECK(keepAlives >= 10);
    CHECK(serve.stop() == 0);
}

TEST_CASE("serve logs to the journal with priority prefixes and no timestamp when JOURNAL_STREAM is its stderr") {
    TempDir dir;
    const std::string bad = "chat:C00000000bad1";
    SimProcess sim({"--seed=32", "--chat=" + kChat + "=30", "--chat=" + bad + "=10:forbidden"});
    Started serve(serveArgs(sim, dir.file("j.db"), {"-Dsync.chats=" + kChat + "," + bad, "-Dstatus.listen="}), {},
                  true);
    REQUIRE(serve.awaitStderr({"<3>" + bad + "  FAILED", "<6>" + kChat + "  ok  "}, 30s));
    CHECK(serve.stop() == 0);
    serve.awaitStderr({"<6>stopped"}, 10s);
    INFO(serve.stderrText);
    std::istringstream lines(serve.stderrText);
    int count = 0;
    for (std::string line; std::getline(lines, line); ++count) {
        CHECK(line.size() > 3);
        CHECK(line[0] == '<');
        CHECK(line[2] == '>');
        CHECK_FALSE(std::isdigit(static_cast<unsigned char>(line[3])));  // no timestamp of its own
    }
    CHECK(count >= 4);
    CHECK(has(serve.stderrText, "\n<6>stopped"));
}

TEST_CASE("logging.level = warning keeps info lines out, and a bad level exits 2 naming logging.level") {
    TempDir dir;
    SimProcess sim({"--seed=33", "--chat=" + kChat + "=30"});
    const auto badLevel =
        runOkarchive(serveArgs(sim, dir.file("l.db"), {"-Dsync.chats=" + kChat, "-Dlogging.level=loud"}));
    CHECK(badLevel.exitCode == 2);
    CHECK(has(badLevel.err, "logging.level = 'loud'"));
    const std::string bad = "chat:C00000000bad1";
    SimProcess failing({"--seed=33", "--chat=" + bad + "=10:forbidden"});
    Started serve(
        serveArgs(failing, dir.file("w.db"), {"-Dsync.chats=" + bad, "-Dstatus.listen=", "-Dlogging.level=warning"}),
        {});
    REQUIRE(serve.awaitStderr({bad + "  FAILED"}, 30s));
    CHECK(serve.stop() == 0);
    INFO(serve.stderrText);
    CHECK_FALSE(has(serve.stderrText, "Information"));
    CHECK_FALSE(has(serve.stderrText, "serving "));
}

TEST_CASE("a status port another process holds is a transient failure: exit 1 naming status.listen, never 2") {
    TempDir dir;
    SimProcess sim({"--seed=34", "--chat=" + kChat + "=10"});
    Poco::Net::ServerSocket taken(Poco::Net::SocketAddress("127.0.0.1", 0));
    const auto listen = "127.0.0.1:" + std::to_string(taken.address().port());
    for (const bool daemon : {false, true}) {
        auto args =
            serveArgs(sim, dir.file("p.db"),
                      {"-Dsync.chats=" + kChat, "-Dstatus.listen=" + listen, "-Dlogging.file=" + dir.file("p.log")});
        if (daemon) args.push_back("--daemon");
        const auto busy = runOkarchiveVia({"timeout", "60"}, args);
        INFO(busy.err);
        CHECK(busy.exitCode == 1);
        CHECK(has(busy.err, "setting status.listen = '" + listen + "'"));
    }
    CHECK(processesMentioning(dir.path().string()) == 0);
}

TEST_CASE("serve --daemon refuses before detaching: a directory as --config, an unwritable log or pid file") {
    TempDir dir;
    SimProcess sim({"--seed=35", "--chat=" + kChat + "=10"});
    const auto db = dir.file("d.db");
    const std::string log = "-Dlogging.file=" + dir.file("d.log");
    const auto daemonArgs = [&](std::vector<std::string> extra) {
        auto args = serveArgs(sim, db, std::move(extra));
        args.push_back("--daemon");
        return args;
    };
    // Poco's INI reader loops for ever on a directory: the command must say so at once instead.
    auto configDir = daemonArgs({log, "-Dsync.chats=" + kChat});
    configDir.insert(configDir.begin(), "--config=" + dir.path().string());
    const auto directory = runOkarchiveVia({"timeout", "30"}, configDir);
    CHECK(directory.exitCode == 2);
    CHECK(has(directory.err, "settings file '" + dir.path().string() + "'"));

    const auto missingConfig =
        runOkarchiveVia({"timeout", "30"}, with({"--config=" + dir.file("none.ini")}, {"serve", "--daemon"}));
    CHECK(missingConfig.exitCode == 2);
    CHECK(has(missingConfig.err, dir.file("none.ini")));

    const auto logFile = dir.file("no-such-dir/d.log");
    const auto unwritableLog =
        runOkarchiveVia({"timeout", "30"}, daemonArgs({"-Dlogging.file=" + logFile, "-Dsync.chats=" + kChat}));
    CHECK(unwritableLog.exitCode == 2);
    CHECK(has(unwritableLog.err, "setting logging.file = '" + logFile + "'"));

    const auto pidFile = dir.file("no-such-dir/d.pid");
    const auto unwritablePid = runOkarchiveVia(
        {"timeout", "30"}, daemonArgs({log, "-Dsync.chats=" + kChat, "-Dstatus.listen=", "--pidfile=" + pidFile}));
    CHECK(unwritablePid.exitCode == 2);
    CHECK(has(unwritablePid.err, "option --pidfile '" + pidFile + "'"));
    CHECK(processesMentioning(dir.path().string()) == 0);
}

TEST_CASE("with umask 027 serve creates its archive, WAL, shared memory and log 0640") {
    TempDir dir;
    SimProcess sim({"--seed=36", "--chat=" + kChat + "=40"});
    const auto db = dir.file("m.db"), log = dir.file("m.log");
    auto args = serveArgs(sim, db, {"-Dsync.chats=" + kChat, "-Dstatus.listen=", "-Dlogging.file=" + log});
    args.push_back("--umask=027");
    NotifySocket manager(dir.file("notify"));
    Started serve(args, {{"NOTIFY_SOCKET", manager.path()}});
    std::vector<std::string> seen;
    REQUIRE(manager.awaitPrefix("STATUS=1 chats, 0 running, 0 failed", seen, 30s));  // the first run is done
    REQUIRE(has(readFile(log), kChat + "  ok  "));
    for (const auto& file : {db, db + "-wal", db + "-shm", log}) {
        INFO(file);
        CHECK(modeOf(file) == 0640);
    }
    CHECK(serve.stop() == 0);
}

TEST_CASE("a command failing on a journal standard error says so at priority 3, so journalctl -p err shows why") {
    const auto onJournal = [](const std::string& arguments) {
        return runProgram("/bin/sh",
                          {"-c", "JOURNAL_STREAM=$(stat -L -c %d:%i /dev/stderr) exec \"$0\" " + arguments,
                           okarchive::test::okarchiveBin()},
                          {});
    };
    const auto badSetting = onJournal("-D sync.nope=1 status");
    CHECK(badSetting.exitCode == 2);
    CHECK(badSetting.err == "<3>okarchive: --define: unknown setting 'sync.nope' (see okarchive.ini(5))\n");

    TempDir dir;
    const auto failed =
        onJournal("-D archive.database=" + dir.file("none.db") + " backup --output=" + dir.file("b.db"));
    CHECK(failed.exitCode == 2);
    CHECK(failed.err.rfind("<3>okarchive backup: ", 0) == 0);

    const auto elsewhere = runOkarchive({"-D", "sync.nope=1", "status"});  // standard error not the journal: as before
    CHECK(elsewhere.err == "okarchive: --define: unknown setting 'sync.nope' (see okarchive.ini(5))\n");
}
