#pragma once

// Drives the real binaries: okarchive and okapi-sim, over loopback.

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <Poco/Process.h>

#include "support/HttpGet.h"

namespace okarchive {
class JsonValue;
}

namespace okarchive::it {

struct RunResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

/// Runs `program` (a path, or a name looked up on PATH) with `args` and extra environment (OKARCHIVE_CONFIG is
/// /dev/null unless given), waits, returns its exit code and output.
RunResult runProgram(const std::string& program, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {}, const std::string& directory = ".");

/// Runs okarchive with `args` (and extra environment), waits, returns its exit code and output.
RunResult runOkarchive(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {});
/// The same, run in `directory` (for relative paths such as ./v.db).
RunResult runOkarchiveIn(const std::string& directory, const std::vector<std::string>& args);

/// Runs okarchive through `wrapper` (a command and its arguments, e.g. setpriv dropping privileges): `wrapper`,
/// then the okarchive binary, then `args`.
RunResult runOkarchiveVia(const std::vector<std::string>& wrapper, const std::vector<std::string>& args);

/// Starts okarchive without waiting (for kill tests), with extra environment.
Poco::ProcessHandle startOkarchive(const std::vector<std::string>& args,
                                   const std::map<std::string, std::string>& env = {});

class SimProcess;

/// Waits until `sim` has counted `requests` history requests (since its last resetStats), then kills the okarchive
/// behind `handle` with SIGKILL and reaps it; false (and nothing killed) when it exited before that.
bool killAfterHistoryRequests(Poco::ProcessHandle& handle, const SimProcess& sim, long long requests);

/// A running okapi-sim on a free loopback port; killed when destroyed.
class SimProcess {
public:
    explicit SimProcess(std::vector<std::string> args);
    ~SimProcess();
    SimProcess(const SimProcess&) = delete;
    SimProcess& operator=(const SimProcess&) = delete;

    const std::string& baseUrl() const { return _baseUrl; }
    std::string truth(const std::string& chatId, bool reachableOnly = true) const;  ///< ground-truth NDJSON
    std::string get(const std::string& pathAndQuery) const;                         ///< a control endpoint's body
    std::string post(const std::string& pathAndQuery) const;
    long long historyRequests() const;  ///< from /_sim/stats
    void resetStats() const;

private:
    std::unique_ptr<Poco::ProcessHandle> _handle;
    std::string _baseUrl;
};

/// A fresh directory under the system temp dir, removed when destroyed.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const { return _path; }
    std::string file(const std::string& name) const { return (_path / name).string(); }

private:
    std::filesystem::path _path;
};

std::string readFile(const std::string& path);
/// Every file's bytes under `dir` concatenated (to search for secrets).
std::string readAllFiles(const std::filesystem::path& dir);

/// The media link of an attachment of the simulator's truth as issue 12 defines it, independent of okarchive's media
/// code: a top-level http(s) "url" of any type but the page types (SHARE, INLINE_KEYBOARD, LOCATION, MUSIC, CALL,
/// PRESENT), a CONTACT's "photoUrl"; nullopt for none.
std::optional<std::string> truthMediaLink(const okarchive::JsonValue& attachment);

/// The SHA-256 of `content`, lower-case hex.
std::string sha256Hex(const std::string& content);

/// A loopback TCP port that was free a moment ago.
int freePort();

using okarchive::test::httpGet;  // GET http://127.0.0.1:PORT/PATH: the status code and the body

/// Polls `ready` every 50 ms until it holds or `timeout` passes; an exception counts as not ready yet (no database,
/// port not bound).
template <class F>
bool eventually(F ready, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        try {
            if (ready()) return true;
        } catch (const std::exception&) {}
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

/// `args` followed by `more`: a command line built on top of baseArgs().
inline std::vector<std::string> with(std::vector<std::string> args, std::initializer_list<std::string> more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

/// The common arguments pointing okarchive at a sim and an archive.
std::vector<std::string> baseArgs(const SimProcess& sim, const std::string& database,
                                  const std::string& token = "sim-token");

}  // namespace okarchive::it
