// kill -9 at random moments while `okarchive sync` downloads media (issue 12, "Done when"): after every kill no file
// under its final name sha256/ab/cd/<hex> is partial or wrong (each hashed here, against its name and the contents
// the simulator serves) and the ledger names no file that is not intact; the next complete run saves every entry the
// simulator can serve, with the simulator's SHA-256, and leaves no temporary file behind.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <Poco/DigestStream.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>

#include "domain/Json.h"
#include "integration/Harness.h"

using namespace okarchive::it;
namespace fs = std::filesystem;

namespace {

const std::string kChat = "chat:Ckill9crash01";
constexpr int kKills = 22;
constexpr int kMaxRounds = 40;

/// What the simulator serves under each "kind/id" it linked so far (its SHA-256), from /_sim/media-truth.
std::map<std::string, std::string> servedContent(const SimProcess& sim) {
    std::map<std::string, std::string> served;
    const auto truth = okarchive::JsonDocument::parse(sim.get("/_sim/media-truth"));
    for (const auto& entry : truth.root().items())
        served[entry.find("kind")->asString() + "/" + entry.find("id")->asString()] = entry.find("sha256")->asString();
    return served;
}

std::set<std::string> servedHashes(const SimProcess& sim) {
    std::set<std::string> hashes;
    for (const auto& [key, hash] : servedContent(sim)) hashes.insert(hash);
    return hashes;
}

std::string fileSha256(const fs::path& path) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    Poco::DigestOutputStream digest(engine);
    std::ifstream in(path, std::ios::binary);
    Poco::StreamCopier::copyStream(in, digest);
    digest.close();
    return Poco::DigestEngine::digestToHex(engine.digest());
}

bool isTemporary(const fs::path& path) { return path.filename().string().rfind(".tmp-", 0) == 0; }

struct StoreFiles {
    int final = 0;
    int temporaries = 0;
};

/// Walks the media directory: every file is a temporary in the top directory or a final file whose content hashes to
/// its name sha256/ab/cd/<hex> and is one the simulator serves (CHECKed, naming the file).
StoreFiles checkStore(const fs::path& media, const std::set<std::string>& servedHashes) {
    StoreFiles files;
    if (!fs::exists(media)) return files;
    for (const auto& entry : fs::recursive_directory_iterator(media)) {
        if (!entry.is_regular_file()) continue;
        const auto relative = fs::relative(entry.path(), media).generic_string();
        if (isTemporary(entry.path()) && entry.path().parent_path() == media) {
            ++files.temporaries;
            continue;
        }
        const auto name = entry.path().filename().string();
        const auto hash = fileSha256(entry.path());
        INFO(relative << " (" << entry.file_size() << " bytes) hashes to " << hash);
        CHECK(relative == "sha256/" + name.substr(0, 2) + "/" + name.substr(2, 2) + "/" + name);
        CHECK(hash == name);
        CHECK(servedHashes.contains(hash));
        ++files.final;
    }
    return files;
}

/// The exit code of the process if it ended (reaped here); nullopt while it runs. (Poco::Process::isRunning counts
/// an ended process not yet reaped as running.)
std::optional<int> ended(pid_t pid) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) != pid) return std::nullopt;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int mediaRequestsLogged(const SimProcess& sim) {
    const auto log = sim.get("/_sim/requests");
    int n = 0;
    for (std::size_t at = log.find("\"media\":{"); at != std::string::npos; at = log.find("\"media\":{", at + 1)) ++n;
    return n;
}

/// When a round kills the sync: after `requests` media requests reached the simulator, and then (by `kind`) at
/// once, once a download is in flight (a temporary file exists), or once a file reached its final name.
struct KillMoment {
    int kind = 0;
    int requests = 1;
};

/// Counts the media directory's files by name only (no hashing: the poll must be quick).
StoreFiles countStore(const fs::path& media) {
    StoreFiles files;
    std::error_code ignored;
    for (auto it = fs::recursive_directory_iterator(media, ignored); it != fs::recursive_directory_iterator();
         it.increment(ignored))
        if (!it->is_directory(ignored)) ++(isTemporary(it->path()) ? files.temporaries : files.final);
    return files;
}

/// The simulator's "kind/id" of a link it serves, or "" for a link elsewhere.
std::string servedKey(const std::string& link, const std::string& baseUrl) {
    const auto prefix = baseUrl + "/media/";
    if (link.rfind(prefix, 0) != 0) return "";
    return link.substr(prefix.size(), link.find('?') - prefix.size());
}

struct CrashRig {
    TempDir dir;
    SimProcess sim{{"--seed=13", "--chat=" + kChat + "=1800", "--media-max-size=16K", "--media-fault-rate=0.5",
                    "--media-fault-kinds=trickle", "--media-trickle-ms=150"}};
    fs::path media = dir.path() / "media";
    std::vector<std::string> args = with(
        baseArgs(sim, dir.file("k.db")),
        {"-Dmedia.directory=" + media.string(), "-Dmedia.allow_private_addresses=true", "-Dmedia.requests_per_second=0",
         "-Dmedia.timeout_ms=10000", "-Dmedia.stall_timeout_ms=3000"});  // the few hostile links elsewhere

    std::vector<std::string> command(std::initializer_list<std::string> words) const { return with(args, words); }

    /// Polls until the moment comes (nullopt) or the sync ends by itself (its exit code); a deadline only a hang
    /// reaches.
    std::optional<int> awaitMoment(pid_t pid, const KillMoment& moment, int finalBefore, std::mt19937& rng) const {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        std::uniform_int_distribution<int> pause(0, 3);
        while (std::chrono::steady_clock::now() < deadline) {
            if (const auto exitCode = ended(pid)) return exitCode;
            if (mediaRequestsLogged(sim) >= moment.requests) {
                const auto files = countStore(media);
                if (moment.kind == 0 || (moment.kind == 1 && files.temporaries > 0) ||
                    (moment.kind == 2 && files.final > finalBefore))
                    return std::nullopt;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(pause(rng)));  // poll pacing, not a wait for work
        }
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        FAIL("the sync neither reached the kill moment nor ended within 30 s");
        return std::nullopt;
    }

    /// One sync killed at a random moment; whether it was killed (false: it ended first, with exit code 0).
    bool killedRun(std::mt19937& rng) {
        const KillMoment moment{std::uniform_int_distribution<int>(0, 2)(rng),
                                std::uniform_int_distribution<int>(1, 4)(rng)};
        INFO("kill after " << moment.requests << " media requests, moment kind " << moment.kind);
        sim.post("/_sim/requests/reset");
        const int finalBefore = countStore(media).final;
        const auto pid = static_cast<pid_t>(startOkarchive(command({"sync", "--chat=" + kChat})).id());
        if (const auto exitCode = awaitMoment(pid, moment, finalBefore, rng)) {
            CHECK(*exitCode == 0);
            return false;
        }
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);  // reaped: the next run must not see its pid alive
        return true;
    }
};

/// Every attachment of the chat's NDJSON export whose link the simulator serves is saved with the simulator's
/// SHA-256; returns the distinct hashes saved.
std::set<std::string> checkAllSaved(const CrashRig& rig, const std::map<std::string, std::string>& served) {
    const auto out = rig.dir.file("chat.ndjson");
    const auto exported =
        runOkarchive(rig.command({"export", "--format=ndjson", "--chat=" + kChat, "--output=" + out}));
    REQUIRE(exported.exitCode == 0);
    std::set<std::string> saved;
    std::istringstream lines(readFile(out));
    for (std::string line; std::getline(lines, line);) {
        const auto message = okarchive::JsonDocument::parse(line);
        const auto* attachments = message.root().find("attachments");
        for (const auto& a : attachments ? attachments->items() : std::vector<okarchive::JsonValue>{}) {
            const auto* payload = a.find("payload");
            const auto* link =
                payload ? payload->find(a.find("type")->asString() == "CONTACT" ? "photoUrl" : "url") : nullptr;
            const auto key = link && link->isString() ? servedKey(link->asString(), rig.sim.baseUrl()) : "";
            if (key.empty() || !served.contains(key)) continue;
            const auto* media = a.find("media");
            INFO(key << ": " << (media ? media->raw() : "no media object"));
            REQUIRE(media);
            REQUIRE(media->find("state")->asString() == "saved");
            CHECK(media->find("sha256")->asString() == served.at(key));
            saved.insert(served.at(key));
        }
    }
    return saved;
}

}  // namespace

TEST_CASE(
    "media crash safety: kill -9 at random moments of the downloads leaves no partial or wrong file, and the "
    "next run saves everything") {
    CrashRig rig;
    const auto seed = std::random_device{}();
    std::cout << "media crash test: seed " << seed << "\n";
    INFO("seed " << seed);
    std::mt19937 rng(seed);

    int kills = 0, midDownload = 0;
    for (int round = 0; round < kMaxRounds && kills < kKills; ++round) {
        INFO("round " << round);
        const bool killed = rig.killedRun(rng);
        kills += killed;
        const auto files = checkStore(rig.media, servedHashes(rig.sim));
        midDownload += killed && files.temporaries > 0;
        const auto verify = runOkarchive(rig.command({"-Dmedia.download=none", "media", "verify"}));
        INFO(verify.out << verify.err);
        REQUIRE(verify.exitCode == 0);  // every entry the ledger calls saved names an intact file
    }
    std::cout << "media crash test: " << kills << " kills, " << midDownload << " of them with a download in flight\n";
    REQUIRE(kills >= 20);
    CHECK(midDownload >= 5);  // the kills did land in downloads, not only between them

    const auto last = runOkarchive(rig.command({"sync", "--chat=" + kChat}));
    INFO(last.out << last.err);
    REQUIRE(last.exitCode == 0);
    const auto files = checkStore(rig.media, servedHashes(rig.sim));
    CHECK(files.temporaries == 0);
    const auto verify = runOkarchive(rig.command({"-Dmedia.download=none", "media", "verify"}));
    INFO(verify.out << verify.err);
    CHECK(verify.exitCode == 0);
    CHECK(verify.out.find("\nhealthy\n") != std::string::npos);
    const auto saved = checkAllSaved(rig, servedContent(rig.sim));
    CHECK(static_cast<int>(saved.size()) == files.final);  // one file per content, none left over
    CHECK(saved.size() >= 60);
}
