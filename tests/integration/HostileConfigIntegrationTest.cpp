// The settings file is whatever the admin or the environment names: a file that is no file must be named at once,
// never hang the command. The real binary, each run bounded by timeout(1) so a hang fails instead of blocking.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "integration/Harness.h"

using namespace okarchive::it;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

constexpr int kTimedOut = 124;  // timeout(1)'s status: the command hung

}  // namespace

TEST_CASE("a FIFO nobody writes to as the settings file is refused by name, not waited on") {
    TempDir dir;
    const auto fifo = dir.file("okarchive.ini");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);

    const auto given = runOkarchiveVia({"timeout", "30"}, {"--config=" + fifo, "status"});
    INFO(given.err);
    CHECK(given.exitCode != kTimedOut);
    CHECK(given.exitCode == 2);
    CHECK(has(given.err, "settings file '" + fifo + "'"));
    CHECK(has(given.err, "FIFO"));

    const auto lookedUp = runOkarchiveVia({"env", "OKARCHIVE_CONFIG=" + fifo, "timeout", "30"}, {"status"});
    INFO(lookedUp.err);
    CHECK(lookedUp.exitCode == 2);
    CHECK(has(lookedUp.err, "settings file '" + fifo + "'"));
}

TEST_CASE("a pipe with a writer as the settings file is read as before (--config=<(...))") {
    TempDir dir;
    const auto db = dir.file("from-the-pipe.db");
    // bash's process substitution hands okarchive /dev/fd/N, a pipe whose writer is printf.
    const std::string script =
        "exec timeout 30 \"$0\" --config=<(printf '[archive]\\ndatabase = " + db + "\\n') \"$@\"";
    const auto piped = runOkarchiveVia({"bash", "-c", script}, {"status"});
    INFO(piped.err);
    CHECK(piped.exitCode != kTimedOut);
    CHECK(piped.exitCode != 2);
    CHECK(has(piped.err, "archive " + db + " does not exist"));  // the database the piped settings name
}

TEST_CASE("a settings file the user may not look at is named, not skipped for the built-in defaults") {
    // The packaged layout: /etc/okarchive is 0750 root:okarchive, so an admin outside the group cannot even stat the
    // file in it. The lookup must not take that for "no file" and run on the defaults (./okarchive.db).
    TempDir dir;
    const auto settingsDir = dir.path() / "xdg" / "okarchive";
    std::filesystem::create_directories(settingsDir);
    const auto settings = (settingsDir / "okarchive.ini").string();
    std::ofstream(settings) << "[archive]\ndatabase = " << dir.file("from-the-file.db") << "\n";
    REQUIRE(::chmod(settingsDir.c_str(), 0600) == 0);  // no search permission: stat(2) of the file fails, EACCES
    const bool root = ::geteuid() == 0;                // root bypasses permissions: run as nobody then
    std::vector<std::string> as =
        root ? std::vector<std::string>{"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env"}
             : std::vector<std::string>{"env"};
    if (root && runOkarchiveVia(as, {"--version"}).exitCode != 0) {
        WARN("nobody cannot run okarchive from this build directory: the unreadable settings case is not run");
        return;
    }
    for (const char* more : {"-u", "OKARCHIVE_CONFIG", "HOME=/nonexistent", "timeout", "30"}) as.push_back(more);
    as.insert(as.end() - 2, "XDG_CONFIG_HOME=" + (dir.path() / "xdg").string());
    const auto status = runOkarchiveVia(as, {"status"});
    ::chmod(settingsDir.c_str(), 0700);
    INFO(status.err);
    CHECK(status.exitCode == 2);
    CHECK(has(status.err, "settings file '" + settings + "'"));
    CHECK(!has(status.err, "okarchive.db does not exist"));
}
