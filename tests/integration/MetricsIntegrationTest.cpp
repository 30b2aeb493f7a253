#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <csignal>
#include <fstream>

#include <Poco/Process.h>

#include "integration/Harness.h"
#include "support/TestPaths.h"

using namespace okarchive::it;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// A running `okarchive serve` (with `env` added to its environment), SIGKILLed if the test did not stop it.
class RunningServe {
public:
    RunningServe(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {})
        : _handle(startOkarchive(with(args, {"serve"}), env)) {}
    ~RunningServe() {
        if (!_stopped) {
            ::kill(_handle.id(), SIGKILL);
            _handle.wait();
        }
    }
    RunningServe(const RunningServe&) = delete;
    RunningServe& operator=(const RunningServe&) = delete;
    int stop() {
        ::kill(_handle.id(), SIGTERM);
        _stopped = true;
        return _handle.wait();
    }

private:
    Poco::ProcessHandle _handle;
    bool _stopped = false;
};

}  // namespace

TEST_CASE("promtool check metrics finds nothing in a live /metrics with a synced, a failed and a never-synced chat") {
    TempDir dir;
    // chat:Z1 takes 2,000 pages at 5 requests a second (400 s): it is still running, never synced, when A1 and B1
    // (which the simulator does not know) are done.
    SimProcess sim({"--seed=31", "--chat=chat:A1=30", "--chat=chat:Z1=20000"});
    const int port = freePort();
    const auto log = dir.file("serve.log");
    RunningServe serve(with(baseArgs(sim, dir.file("m.db")),
                            {"-Dsync.chats=chat:A1,chat:B1,chat:Z1", "-Dsync.page_size=10", "-Dsync.workers=2",
                             "-Dapi.requests_per_second=5", "-Dsync.interval=1h", "-Dlogging.file=" + log,
                             "-Dstatus.listen=127.0.0.1:" + std::to_string(port)}));
    std::string metrics;
    const bool settled = eventually(
        [&] {
            metrics = httpGet(port, "/metrics").second;
            return contains(metrics, "okarchive_sync_runs_total{chat=\"chat:A1\",result=\"ok\"} 1\n") &&
                   contains(metrics, "okarchive_sync_runs_total{chat=\"chat:B1\",result=\"failed\"} 1\n");
        },
        120s);
    INFO(metrics << "\n" << readFile(log));
    REQUIRE(settled);
    for (const char* line :
         {"okarchive_sync_runs_total{chat=\"chat:A1\",result=\"failed\"} 0",
          "okarchive_sync_runs_total{chat=\"chat:B1\",result=\"ok\"} 0",
          "okarchive_sync_runs_total{chat=\"chat:Z1\",result=\"ok\"} 0",
          "okarchive_sync_runs_total{chat=\"chat:Z1\",result=\"failed\"} 0",
          "okarchive_last_success_timestamp_seconds{chat=\"chat:Z1\"} 0",
          "okarchive_last_success_timestamp_seconds{chat=\"chat:B1\"} 0",
          "okarchive_archive_messages{chat=\"chat:A1\"} 30", "okarchive_digests_failed_total{chat=\"chat:Z1\"} 0",
          "okarchive_api_retries_total{reason=\"http_5xx\"} 0"})
        CHECK(contains(metrics, std::string(line) + "\n"));
    CHECK(contains(metrics, "\nokarchive_build_info{version=\""));
    CHECK(contains(metrics, "\nokarchive_last_sync_duration_seconds{chat=\"chat:A1\"} "));

    const auto file = dir.file("metrics.txt");
    std::ofstream(file) << metrics;
    const auto checked = runProgram("/bin/sh", {"-c", "exec promtool check metrics < \"$0\"", file});
    INFO("promtool: " << checked.out << checked.err);
    CHECK(checked.exitCode == 0);
    CHECK(checked.out + checked.err == "");  // a lint problem is printed, though the exit status is 0
    CHECK(serve.stop() == 0);
}

TEST_CASE("an unknown OKARCHIVE_ variable is a warning naming the closest known one, never its value") {
    const auto run = runOkarchive({"help"}, {{"OKARCHIVE_SYNC_PAGESIZE", "s3cr3t-value"}, {"OKARCHIVE_BIN", "x"}});
    INFO(run.err);
    CHECK(run.exitCode == 0);
    CHECK(contains(run.out, "serve"));
    CHECK(run.err ==
          "okarchive: warning: unknown environment variable OKARCHIVE_SYNC_PAGESIZE (did you mean "
          "OKARCHIVE_SYNC_PAGE_SIZE?)\n");
    CHECK_FALSE(contains(run.out + run.err, "s3cr3t"));
}

TEST_CASE("on a journal standard error the unknown variable warning carries priority 4") {
    const auto run = runProgram(
        "/bin/sh",
        {"-c", "JOURNAL_STREAM=$(stat -L -c %d:%i /dev/stderr) exec \"$0\" help", okarchive::test::okarchiveBin()},
        {{"OKARCHIVE_SYNC_PAGESIZE", "1"}});
    CHECK(run.exitCode == 0);
    CHECK(run.err ==
          "<4>okarchive: warning: unknown environment variable OKARCHIVE_SYNC_PAGESIZE (did you mean "
          "OKARCHIVE_SYNC_PAGE_SIZE?)\n");
}

TEST_CASE("serve logs an unknown OKARCHIVE_ variable at start into logging.file") {
    TempDir dir;
    SimProcess sim({"--seed=32", "--chat=chat:A1=5"});
    const auto log = dir.file("serve.log");
    RunningServe serve(
        with(baseArgs(sim, dir.file("m.db")), {"-Dsync.chats=chat:A1", "-Dlogging.file=" + log, "-Dstatus.listen="}),
        {{"OKARCHIVE_STATUS_LISTN", "s3cr3t-value"}});
    const bool logged = eventually([&] { return contains(readFile(log), "chat:A1  ok"); }, 60s);
    const auto text = readFile(log);
    INFO(text);
    REQUIRE(logged);
    CHECK(
        contains(text, "unknown environment variable OKARCHIVE_STATUS_LISTN (did you mean OKARCHIVE_STATUS_LISTEN?)"));
    CHECK_FALSE(contains(text, "s3cr3t"));
    CHECK(serve.stop() == 0);
}
