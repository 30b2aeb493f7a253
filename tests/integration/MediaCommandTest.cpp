// okarchive media status|verify|retry and status's media lines (issue 12), on a synced archive whose media the test
// itself stores and damages: the commands are checked against the simulator's truth and the files on disk.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "domain/Json.h"
#include "domain/Media.h"
#include "integration/Harness.h"
#include "store/Archive.h"

using namespace okarchive::it;

namespace {

const std::string kChat = "chat:Cmedia0cmd0001";

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// Attachments with media in the simulator's truth, by type (truthMediaLink).
std::map<std::string, int> mediaByType(const std::string& truthNdjson) {
    std::map<std::string, int> counts;
    std::istringstream lines(truthNdjson);
    for (std::string line; std::getline(lines, line);) {
        const auto message = okarchive::JsonDocument::parse(line);
        const auto* attachments = message.root().find("attachments");
        for (const auto& attachment : attachments ? attachments->items() : std::vector<okarchive::JsonValue>{})
            if (truthMediaLink(attachment)) ++counts[attachment.find("type")->asString()];
    }
    return counts;
}

/// A chat synced without downloads (every entry pending), whose first entries the test then "downloads" itself.
struct Synced {
    TempDir dir;
    SimProcess sim{{"--seed=12", "--chat=" + kChat + "=700"}};
    std::string db = dir.file("m.db");
    std::string media = dir.file("m.db.media");
    std::map<std::string, int> expected;
    int total = 0;

    Synced() {
        const auto r = runOkarchive(command({"-Dmedia.download=none", "sync", "--chat=" + kChat}));
        INFO(r.out << r.err);
        REQUIRE(r.exitCode == 0);
        expected = mediaByType(sim.truth(kChat));
        for (const auto& [type, n] : expected) total += n;
        REQUIRE(total >= 20);
    }
    std::vector<std::string> command(std::initializer_list<std::string> words) const {
        return with(baseArgs(sim, db), words);
    }
    std::vector<std::string> mediaCommand(std::initializer_list<std::string> words) const {
        auto args = with(baseArgs(sim, db), {"-Dmedia.download=none", "-Dmedia.directory=" + media, "media"});
        args.insert(args.end(), words.begin(), words.end());
        return args;
    }
    /// Stores a content for each of the first `n` pending entries, as the media store would, and records it saved.
    std::vector<okarchive::MediaItem> save(int n) {
        auto archive = okarchive::openArchive(db);
        auto items = archive->mediaItems(kChat, okarchive::MediaState::Pending);
        REQUIRE(static_cast<int>(items.size()) >= n);
        items.resize(static_cast<std::size_t>(n));
        for (auto& item : items) {
            const auto content = "bytes of " + item.mid + " #" + std::to_string(item.position);
            const auto hash = sha256Hex(content);
            const auto path = std::filesystem::path(media) / okarchive::mediaStorePath(hash);
            std::filesystem::create_directories(path.parent_path());
            std::ofstream(path, std::ios::binary) << content;
            okarchive::MediaOutcome outcome;
            outcome.state = okarchive::MediaState::Saved;
            outcome.httpStatus = 200;
            outcome.bytes = static_cast<std::int64_t>(content.size());
            outcome.sha256 = hash;
            outcome.mime = "text/plain";
            outcome.atMs = 1;
            archive->recordMediaOutcome(item.chatId, item.mid, item.position, outcome);
            item.media.sha256 = hash;
            item.media.bytes = outcome.bytes;
        }
        return items;
    }
    /// Records `times` failed attempts of `state` for the newest pending entry; returns it.
    okarchive::MediaItem fail(okarchive::MediaState state, int times) {
        auto archive = okarchive::openArchive(db);
        const auto item = archive->mediaItems(kChat, okarchive::MediaState::Pending).back();
        okarchive::MediaOutcome outcome;
        outcome.state = state;
        outcome.httpStatus = 500;
        outcome.error = "HTTP 500 from the test";
        outcome.atMs = 2;
        for (int i = 0; i < times; ++i) archive->recordMediaOutcome(item.chatId, item.mid, item.position, outcome);
        return item;
    }
};

std::string jq(const std::string& filter, const std::string& json, const TempDir& dir) {
    std::ofstream(dir.file("status.json")) << json;
    const auto r = runProgram("jq", {"-e", "-r", filter, dir.file("status.json")});
    INFO(filter << "\n" << r.err);
    REQUIRE(r.exitCode == 0);
    return r.out.substr(0, r.out.find_last_not_of('\n') + 1);
}

}  // namespace

TEST_CASE("media status counts every attachment with media the simulator sent, by type and state, text and JSON") {
    Synced s;
    const auto saved = s.save(5);
    std::int64_t savedBytes = 0;
    for (const auto& item : saved) savedBytes += *item.media.bytes;

    const auto text = runOkarchive(s.mediaCommand({"status"}));
    INFO(text.out << text.err);
    REQUIRE(text.exitCode == 0);
    const auto sentence = "5 saved (" + std::to_string(savedBytes) + " B), " + std::to_string(s.total - 5) + " pending";
    CHECK(has(text.out, "media      " + sentence + "\n"));
    CHECK(has(text.out, "\n" + kChat + "  \""));
    CHECK(has(text.out, "\n  media    " + sentence + "\n"));
    for (const auto& [type, n] : s.expected) CHECK(has(text.out, "\n  " + type));

    const auto json = runOkarchive(s.mediaCommand({"status", "--json"}));
    REQUIRE(json.exitCode == 0);
    CHECK(jq(".total.files", json.out, s.dir) == std::to_string(s.total));
    CHECK(jq("[.types | to_entries[] | \"\\(.key)=\\(.value.files)\"] | join(\",\")", json.out, s.dir) == [&] {
        std::string list;
        for (const auto& [type, n] : s.expected) list += (list.empty() ? "" : ",") + type + "=" + std::to_string(n);
        return list;
    }());
    CHECK(jq(".total.saved == 5 and .total.missing == .total.files - 5 and .total.saved_bytes == " +
                 std::to_string(savedBytes) +
                 " and (.total.states | keys | length) == 6 and "
                 ".total.states.pending.files == .total.missing and .chats[0].chat == \"" +
                 kChat +
                 "\" and .chats[0].media == .total and .chats[0].types == .types and "
                 "([.chats[0].types[].files] | add) == .total.files",
             json.out, s.dir) == "true");

    const auto status = runOkarchive(s.command({"status"}));
    INFO(status.out);
    CHECK(status.exitCode == 0);
    CHECK(has(status.out, ": 1 chats\nmedia      " + sentence + "\n"));
    CHECK(has(status.out, "\n  media      " + sentence + "\n"));
}

TEST_CASE("media verify exits 0 when every saved file is intact and 1 naming each missing, changed or misnamed one") {
    Synced s;
    const auto clean = runOkarchive(s.mediaCommand({"verify"}));
    INFO(clean.out << clean.err);
    CHECK(clean.exitCode == 0);  // nothing saved yet: nothing to miss, and the media directory is not created
    CHECK(has(clean.out, ": 0 saved entries naming 0 files"));
    CHECK_FALSE(std::filesystem::exists(s.media));

    const auto saved = s.save(6);
    const auto intact = runOkarchive(s.mediaCommand({"verify"}));
    INFO(intact.out << intact.err);
    CHECK(intact.exitCode == 0);
    CHECK(has(intact.out, ": 6 saved entries naming 6 files, each present at its size; 6 re-hashed"));
    CHECK(has(intact.out, "\nhealthy\n"));

    const auto pathOf = [&](const okarchive::MediaItem& item) { return okarchive::mediaStorePath(item.media.sha256); };
    const auto where = [&](const okarchive::MediaItem& item) {
        return item.chatId + " " + item.mid + " position " + std::to_string(item.position) + ": " + pathOf(item);
    };
    std::filesystem::remove(std::filesystem::path(s.media) / pathOf(saved[0]));
    {
        std::fstream changed(std::filesystem::path(s.media) / pathOf(saved[1]), std::ios::in | std::ios::out);
        changed.put('X');  // same size, other content
    }
    const auto stray = std::filesystem::path(s.media) / "sha256/00/00/stray.jpg";
    std::filesystem::create_directories(stray.parent_path());
    std::ofstream(stray) << "not a store file";
    const auto damaged = runOkarchive(s.mediaCommand({"verify"}));
    INFO(damaged.out << damaged.err);
    CHECK(damaged.exitCode == 1);
    CHECK(has(damaged.out, where(saved[0]) + ": missing\n"));
    CHECK(has(damaged.out, where(saved[1]) + ": its content does not hash to its name"));
    CHECK(has(damaged.out, "sha256/00/00/stray.jpg: not a media store file"));
    CHECK(has(damaged.out, "\n3 problems\n"));
    CHECK(has(damaged.err, "okarchive media verify: media " + s.media + ": 3 problems"));

    const auto sampled = runOkarchive(s.mediaCommand({"verify", "--sample=50", "--seed=4"}));
    INFO(sampled.out);
    CHECK(sampled.exitCode == 1);  // the missing file and the stray one are found whatever the sample
    CHECK(has(sampled.out, "; 3 re-hashed"));
    CHECK(has(sampled.out, "a 50% sample, seed 4 (--sample=50 --seed=4 checks the same files)"));
    CHECK(runOkarchive(s.mediaCommand({"verify", "--sample=50", "--seed=4"})).out == sampled.out);
}

TEST_CASE("media retry --dry-run lists what sync would fetch, says what it leaves out, and fetches nothing") {
    Synced s;
    s.save(3);
    s.fail(okarchive::MediaState::FailedPermanent, 1);
    const auto outOfAttempts = s.fail(okarchive::MediaState::FailedTransient, 2);
    const auto again = s.fail(okarchive::MediaState::FailedTransient, 1);
    const auto before = s.sim.get("/_sim/stats");
    auto args = s.mediaCommand({"retry", "--dry-run"});
    args.insert(args.begin(), "-Dmedia.max_attempts=2");
    const auto r = runOkarchive(args);
    INFO(r.out << r.err);
    CHECK(r.exitCode == 0);
    const auto fetched = s.total - 3 - 3 + 1;
    CHECK(has(r.out, "would fetch " + std::to_string(fetched) + " files of 1 chat (" + std::to_string(fetched - 1) +
                         " pending, 1 failed_transient)"));
    CHECK(has(r.out, "\nnot fetched again: 1 failed_transient, 1 failed_permanent"));
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == fetched + 2);
    CHECK(has(r.out, kChat + " " + again.mid + " position " + std::to_string(again.position) + " " + again.type +
                         " failed_transient after 1 attempt: HTTP 500 from the test"));
    CHECK_FALSE(has(r.out, kChat + " " + outOfAttempts.mid + " position " + std::to_string(outOfAttempts.position)));
    CHECK(s.sim.get("/_sim/stats") == before);
}

TEST_CASE("media retry downloads what a sync without downloads left pending, each file the simulator's bytes") {
    Synced s;
    auto args = with(baseArgs(s.sim, s.db), {"-Dmedia.allow_private_addresses=true", "-Dmedia.directory=" + s.media,
                                             "-Dmedia.requests_per_second=0", "media", "retry"});
    const auto r = runOkarchive(args);
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
    // The simulator's own links (on its loopback address) are served; its hostile ones name hosts that do not exist.
    std::set<std::string> local;
    std::istringstream truth(s.sim.truth(kChat));
    for (std::string line; std::getline(truth, line);) {
        const auto message = okarchive::JsonDocument::parse(line);
        const auto* attachments = message.root().find("attachments");
        for (const auto& attachment : attachments ? attachments->items() : std::vector<okarchive::JsonValue>{})
            if (const auto link = truthMediaLink(attachment); link && has(*link, "//127.0.0.1:")) local.insert(*link);
    }
    REQUIRE(local.size() >= 20);
    int files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(s.media)) {
        if (!entry.is_regular_file()) continue;
        ++files;
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(sha256Hex(content) == entry.path().filename().string());  // never a partial or foreign file
    }
    CHECK(files > 0);
    auto archive = okarchive::openArchive(s.db);
    const auto saved = archive->mediaItems(kChat, okarchive::MediaState::Saved);
    std::set<std::string> savedLinks;
    for (const auto& item : saved) savedLinks.insert(item.url);
    CHECK(savedLinks == local);
    CHECK(archive->mediaItems(kChat, okarchive::MediaState::Pending).empty());
    CHECK(has(r.out, kChat + "  media retried, " + std::to_string(saved.size()) + " media saved"));
    const auto again = runOkarchive(args);  // nothing left that a retry fetches
    CHECK(again.exitCode == 0);
    CHECK(has(again.out, "nothing to fetch"));
    CHECK(runOkarchive(with(baseArgs(s.sim, s.db), {"-Dmedia.directory=" + s.media, "media", "verify"})).exitCode == 0);
}

TEST_CASE("media: a missing or unknown subcommand, or another subcommand's option, exits 2 naming it") {
    Synced s;
    const auto none = runOkarchive(s.mediaCommand({}));
    CHECK(none.exitCode == 2);
    CHECK(has(none.err, "media needs what to do: status, verify, retry"));
    const auto unknown = runOkarchive(s.mediaCommand({"fix"}));
    CHECK(unknown.exitCode == 2);
    CHECK(has(unknown.err, "unknown media subcommand 'fix'"));
    const auto foreign = runOkarchive(s.mediaCommand({"status", "--sample=5"}));
    CHECK(foreign.exitCode == 2);
    CHECK(has(foreign.err, "option --sample is not an option of 'media status'; it applies to media verify only"));
    for (const auto* bad : {"--sample=0", "--sample=101", "--sample=ten", "--seed=-1"}) {
        const auto r = runOkarchive(s.mediaCommand({"verify", bad}));
        INFO(bad << " " << r.err);
        CHECK(r.exitCode == 2);
        CHECK(has(r.err, std::string(bad)));
    }
    const auto elsewhere = runOkarchive(s.mediaCommand({"status", "--chat=chat:Cnot0there01"}));
    CHECK(elsewhere.exitCode == 1);
    CHECK(has(elsewhere.err, "chat:Cnot0there01 is not in the archive"));
}
