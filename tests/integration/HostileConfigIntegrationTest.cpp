// The settings file is whatever the admin or the environment names: a file that is no file must be named at once,
// never hang the command. The real binary, each run bounded by timeout(1) so a hang fails instead of blocking.

#include <catch2/catch.hpp>

#include <string>
#include <sys/stat.h>

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
