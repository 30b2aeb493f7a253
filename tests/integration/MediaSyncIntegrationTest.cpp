// Issue 12's "Done when" for media downloads: the real `okarchive sync` against okapi-sim serving media with faults.
// Every expectation comes from the simulator (its truth, its media truth, its request log) and from hashing the files
// here, never from okarchive's own ledger; the ledger is read as an admin would, through `export --format=ndjson`
// and jq.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "domain/Json.h"
#include "integration/Harness.h"
#include "store/Archive.h"

using namespace okarchive::it;

namespace {

const std::string kChat = "chat:Cmedia0sync001";
constexpr int kMaxAttempts = 3;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// One media id as /_sim/media-truth describes it.
struct SimMedia {
    std::string sha256;
    std::int64_t size = 0;
    std::string fault;
    std::string latestLink;
};

/// One attachment with media in the simulator's truth; `key` "kind/id" when the sim serves its link, else empty.
struct TruthAttachment {
    std::string mid;
    int position = 0;
    std::string key;
};

/// One line of the sim's request log (/_sim/requests).
struct Logged {
    std::int64_t seq = 0;
    std::string method, path, query, link;  ///< link: the media request's "valid", "expired"...
    int status = 0;
    std::int64_t bytes = 0;
    bool tokenSeen = false;
    std::string key;  ///< "kind/id" of a media request, else empty
};

/// The ledger's word on one attachment, from the NDJSON export.
struct Ledger {
    std::string state, sha256, path, reason, link;
};

using Position = std::pair<std::string, int>;  // (mid, position)

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

std::string text(const okarchive::JsonValue& object, const char* name) {
    const auto* value = object.find(name);
    return value && value->isString() ? value->asString() : std::string();
}

/// What a correct okarchive makes of a media id with `fault` (MediaFault in src/sim/MediaFaults.h): its state, a
/// part its reason must contain (any of `reasons`), and a part it must also contain.
struct Expected {
    std::string state;
    std::vector<std::string> reasons;
    std::string also;
};

Expected expectedOutcome(const std::string& fault, std::int64_t size) {
    const std::string gaveUp = "gave up after " + std::to_string(kMaxAttempts) + " attempts";
    if (fault == "none" || fault == "trickle" || fault == "500" || fault == "expired-first") return {"saved", {}, ""};
    if (fault == "404" || fault == "410") return {"expired", {"the platform no longer serves it: " + fault}, ""};
    if (fault == "html200") return {"failed_permanent", {"content is an HTML page"}, ""};
    if (fault == "huge") return {"skipped_policy", {"more than media.max_bytes"}, ""};
    if (fault == "short") return {"failed_permanent", {"short body"}, gaveUp};
    if (fault == "reset") return {"failed_permanent", {"Connection reset", "short body"}, gaveUp};
    if (fault == "redirect-private")  // the sim's Location: link-local for an even size, reserved for an odd one
        return {"failed_permanent",
                {"refused a redirect without connecting: " + std::string(size % 2 == 0
                                                                             ? "169.254.169.254 is a link-local address"
                                                                             : "240.0.0.1 is a reserved address")},
                ""};
    FAIL("a fault kind this test does not know: " << fault);
    return {};
}

/// okapi-sim serving media for one chat, an archive and its media directory, and okarchive run against them.
struct MediaRig {
    TempDir dir;
    SimProcess sim;
    std::string db = dir.file("m.db");
    std::string media = dir.file("media");

    MediaRig(int messages, std::vector<std::string> simArgs) : sim(simArguments(messages, std::move(simArgs))) {}

    static std::vector<std::string> simArguments(int messages, std::vector<std::string> args) {
        args.push_back("--chat=" + kChat + "=" + std::to_string(messages));
        return args;
    }

    RunResult okarchive(std::initializer_list<std::string> words) const {
        auto args = with(baseArgs(sim, db),
                         {"-Dmedia.directory=" + media,
                          "-Dmedia.allow_private_addresses=true",  // the sim is on loopback
                          "-Dmedia.requests_per_second=0", "-Dmedia.max_attempts=" + std::to_string(kMaxAttempts)});
        args.insert(args.end(), words.begin(), words.end());
        return runOkarchive(args);
    }

    /// `okarchive sync` of the chat; REQUIREs exit 0; its chat line.
    std::string sync() const {
        const auto r = okarchive({"sync", "--chat=" + kChat});
        INFO(r.out << r.err);
        REQUIRE(r.exitCode == 0);
        const auto at = r.out.find(kChat + "  ok  ");
        REQUIRE(at != std::string::npos);
        return r.out.substr(at, r.out.find('\n', at) - at);
    }

    std::vector<TruthAttachment> attachments() const {
        std::vector<TruthAttachment> out;
        const std::string prefix = sim.baseUrl() + "/media/";
        for (const auto& line : lines(sim.truth(kChat))) {
            const auto message = okarchive::JsonDocument::parse(line);
            const auto* list = message.root().find("attachments");
            for (std::size_t i = 0; list && i < list->items().size(); ++i) {
                const auto link = truthMediaLink(list->items()[i]);
                if (!link) continue;
                const bool served = link->rfind(prefix, 0) == 0;
                out.push_back({text(message.root(), "mid"), static_cast<int>(i),
                               served ? link->substr(prefix.size(), link->find('?') - prefix.size()) : ""});
            }
        }
        return out;
    }

    std::map<std::string, SimMedia> mediaTruth() const {
        std::map<std::string, SimMedia> out;
        const auto truth = okarchive::JsonDocument::parse(sim.get("/_sim/media-truth"));
        for (const auto& m : truth.root().items())
            out[text(m, "kind") + "/" + text(m, "id")] = {text(m, "sha256"), m.find("size")->asInt64(),
                                                          text(m, "fault"), text(m, "latest_link")};
        return out;
    }

    std::vector<Logged> requests(std::int64_t since = 0) const {
        std::vector<Logged> out;
        for (const auto& line : lines(sim.get("/_sim/requests?since=" + std::to_string(since)))) {
            const auto doc = okarchive::JsonDocument::parse(line);
            const auto& r = doc.root();
            Logged logged{r.find("seq")->asInt64(),
                          text(r, "method"),
                          text(r, "path"),
                          text(r, "query"),
                          "",
                          static_cast<int>(r.find("status")->asInt64()),
                          r.find("bytes")->asInt64(),
                          r.find("token_seen")->asBool(),
                          ""};
            if (const auto* m = r.find("media"); m && !m->isNull()) {
                logged.key = text(*m, "kind") + "/" + text(*m, "id");
                logged.link = text(*m, "link");
            }
            out.push_back(logged);
        }
        return out;
    }

    /// Each attachment's media as `export --format=ndjson` states it, read with jq.
    std::map<Position, Ledger> ledger() const {
        const auto file = dir.file("export.ndjson");
        const auto r = okarchive({"export", "--format=ndjson", "--chat=" + kChat, "--output=" + file});
        INFO(r.out << r.err);
        REQUIRE(r.exitCode == 0);
        const auto jq = runProgram(
            "jq", {"-r",
                   ".mid as $m | .attachments | to_entries[] | select(.value.media != null) | [$m, (.key | tostring), "
                   ".value.media.state, .value.media.sha256 // \"\", .value.media.path // \"\", "
                   ".value.media.reason // \"\", .value.payload.url // .value.payload.photoUrl // \"\"] | @tsv",
                   file});
        INFO(jq.err);
        REQUIRE(jq.exitCode == 0);
        std::map<Position, Ledger> out;
        for (const auto& line : lines(jq.out)) {
            std::vector<std::string> f;
            std::istringstream fields(line);
            for (std::string field; std::getline(fields, field, '\t');) f.push_back(field);
            f.resize(7);
            out[{f[0], std::stoi(f[1])}] = {f[2], f[3], f[4], f[5], f[6]};
        }
        return out;
    }
};

/// Item 4: no media request of the whole log carried the access token, anywhere (the sim looks at URI, headers
/// and body); the API requests did (so the sim's detector works).
void checkNoTokenInMedia(const std::vector<Logged>& log) {
    int media = 0, api = 0;
    for (const auto& r : log) {
        if (r.key.empty()) {
            api += r.tokenSeen;
            continue;
        }
        ++media;
        INFO(r.path << "?" << r.query);
        CHECK_FALSE(r.tokenSeen);
        CHECK_FALSE(has(r.query, "sim-token"));
    }
    CHECK(media > 0);
    CHECK(api > 0);
}

/// The file a saved entry names holds the bytes the sim served: hashed here, at the path built here.
void checkSavedFile(const MediaRig& rig, const Ledger& entry, const SimMedia& truth) {
    CHECK(entry.sha256 == truth.sha256);
    const auto path = "sha256/" + truth.sha256.substr(0, 2) + "/" + truth.sha256.substr(2, 2) + "/" + truth.sha256;
    CHECK(entry.path == path);
    const auto file = std::filesystem::path(rig.media) / path;
    REQUIRE(std::filesystem::is_regular_file(file));
    const auto content = readFile(file.string());
    CHECK(static_cast<std::int64_t>(content.size()) == truth.size);
    CHECK(sha256Hex(content) == truth.sha256);
}

/// Whether the log holds a whole 200 answer for `key` (the sim counts body bytes as it sends them).
bool servedWhole(const std::vector<Logged>& log, const std::string& key, std::int64_t size) {
    for (const auto& r : log)
        if (r.key == key && r.status == 200 && r.bytes == size) return true;
    return false;
}

/// The sync line's media part for these ledger states.
std::string syncLineMedia(const std::map<std::string, int>& states) {
    const auto n = [&](const char* state) {
        const auto it = states.find(state);
        return it == states.end() ? 0 : it->second;
    };
    auto line = ", " + std::to_string(n("saved")) + " media saved, " +
                std::to_string(n("failed_permanent") + n("failed_transient")) + " failed";
    if (n("skipped_policy") > 0) line += ", " + std::to_string(n("skipped_policy")) + " skipped";
    if (n("expired") > 0) line += ", " + std::to_string(n("expired")) + " expired";
    return line;
}

}  // namespace

TEST_CASE(
    "media sync with a 20% fault mix saves every servable file with the bytes the simulator served and gives "
    "every other attachment the state and reason of its fault") {
    MediaRig rig(2000, {"--seed=13", "--media-fault-rate=0.2", "--media-trickle-ms=50"});
    const auto line = rig.sync();
    const auto attachments = rig.attachments();
    const auto truth = rig.mediaTruth();
    const auto log = rig.requests();
    const auto ledger = rig.ledger();
    REQUIRE(attachments.size() >= 200);
    CHECK(ledger.size() == attachments.size());

    std::map<std::string, int> expectedStates;
    std::set<std::string> faults;
    for (const auto& a : attachments) {
        INFO(a.mid << " position " << a.position << " " << a.key);
        const auto entry = ledger.find({a.mid, a.position});
        REQUIRE(entry != ledger.end());
        const auto& got = entry->second;
        INFO(got.state << ": " << got.reason);
        if (a.key.empty()) {  // a link elsewhere (the sim's hostile ones at ok.ru.invalid): failed, saying why
            ++expectedStates["failed_permanent"];
            CHECK(got.state == "failed_permanent");
            CHECK(has(got.reason, "cannot resolve the host ok.ru.invalid"));
            continue;
        }
        REQUIRE(truth.count(a.key) == 1);
        const auto& media = truth.at(a.key);
        faults.insert(media.fault);
        const auto expected = expectedOutcome(media.fault, media.size);
        ++expectedStates[expected.state];
        INFO("fault " << media.fault);
        CHECK(got.state == expected.state);
        if (expected.state == "saved") {
            CHECK(got.reason.empty());
            CHECK(servedWhole(log, a.key, media.size));
            checkSavedFile(rig, got, media);
            continue;
        }
        CHECK(std::any_of(expected.reasons.begin(), expected.reasons.end(),
                          [&](const std::string& part) { return has(got.reason, part); }));
        CHECK(has(got.reason, expected.also));
        CHECK(got.sha256.empty());
        CHECK(got.path.empty());
    }
    CHECK(faults.size() == 11);  // none and every fault kind occurred
    CHECK(expectedStates["saved"] > 150);
    INFO(line);
    CHECK(has(line, syncLineMedia(expectedStates)));
    checkNoTokenInMedia(log);
}

TEST_CASE("media sync rerun fetches nothing already saved and leaves the saved entries as they were") {
    MediaRig rig(800, {"--seed=14", "--media-fault-rate=0.2", "--media-trickle-ms=50"});
    rig.sync();
    const auto ledger = rig.ledger();
    std::set<std::string> saved;
    for (const auto& a : rig.attachments())
        if (!a.key.empty() && ledger.at({a.mid, a.position}).state == "saved") saved.insert(a.key);
    REQUIRE(saved.size() > 50);
    const auto firstRun = rig.requests();

    rig.sync();
    int api = 0;
    for (const auto& r : rig.requests(firstRun.back().seq)) {
        if (r.key.empty()) {
            ++api;
            continue;
        }
        INFO(r.key << " requested again by the rerun");
        CHECK_FALSE(saved.count(r.key));
    }
    CHECK(api > 0);  // the rerun did ask for new messages
    for (const auto& [position, entry] : rig.ledger()) {
        const auto& before = ledger.at(position);
        if (before.state != "saved") continue;
        CHECK(entry.state == "saved");
        CHECK(entry.sha256 == before.sha256);
    }
    checkNoTokenInMedia(rig.requests());
}

TEST_CASE(
    "media sync refreshes links that expired before the download through the API, saves them, keeps no "
    "revision for the fresh link") {
    MediaRig rig(400, {"--seed=15", "--media-fault-rate=1", "--media-fault-kinds=expired-first"});
    const auto line = rig.sync();
    const auto truth = rig.mediaTruth();
    const auto log = rig.requests();
    const auto ledger = rig.ledger();
    auto archive = okarchive::openArchive(rig.db);
    int refreshed = 0;
    std::set<std::string> renewedByPaging;
    for (const auto& a : rig.attachments()) {
        if (a.key.empty()) continue;  // a link elsewhere: the fault mix test checks those
        INFO(a.mid << " position " << a.position << " " << a.key);
        const auto& media = truth.at(a.key);
        const auto& got = ledger.at({a.mid, a.position});
        CHECK(got.state == "saved");
        checkSavedFile(rig, got, media);
        CHECK(got.link == media.latestLink);  // the stored link is the fresh one
        CHECK(archive->messageRevisions(kChat, a.mid).empty());
        const auto first = std::find_if(log.begin(), log.end(), [&](const Logged& r) { return r.key == a.key; });
        REQUIRE(first != log.end());
        const auto whole = std::find_if(first, log.end(), [&](const Logged& r) {
            return r.key == a.key && r.status == 200 && r.bytes == media.size;
        });
        REQUIRE(whole != log.end());
        if (first->link == "valid") {  // the next page re-served its message (the inclusive bound) before the download
            renewedByPaging.insert(a.mid);
            continue;
        }
        CHECK(first->link == "expired");
        CHECK(first->status == 403);
        const bool askedApi = std::any_of(
            first, whole, [](const Logged& r) { return r.method == "GET" && r.path == "/me/messages/" + kChat; });
        CHECK(askedApi);  // between the refused link and the download: the message fetched again
        refreshed += askedApi;
    }
    CHECK(renewedByPaging.size() <= 4);  // at most the oldest message of each of the 4 pages
    CHECK(refreshed >= 30);
    INFO(line);
    CHECK(has(line, " 0 revised, "));
    checkNoTokenInMedia(log);
}

TEST_CASE(
    "media sync refuses a redirect to a link-local or reserved address even with allow_private_addresses, "
    "naming the address") {
    MediaRig rig(300, {"--seed=16", "--media-fault-rate=1", "--media-fault-kinds=redirect-private"});
    rig.sync();
    const auto truth = rig.mediaTruth();
    const auto log = rig.requests();
    const auto ledger = rig.ledger();
    std::map<bool, int> byParity;
    for (const auto& a : rig.attachments()) {
        if (a.key.empty()) continue;
        INFO(a.mid << " position " << a.position << " " << a.key);
        const auto& media = truth.at(a.key);
        const auto& got = ledger.at({a.mid, a.position});
        const auto expected = expectedOutcome(media.fault, media.size);
        CHECK(got.state == expected.state);
        CHECK(has(got.reason, expected.reasons.front()));
        ++byParity[media.size % 2 == 0];
        const auto asked = std::count_if(log.begin(), log.end(), [&](const Logged& r) { return r.key == a.key; });
        const auto redirected =
            std::count_if(log.begin(), log.end(), [&](const Logged& r) { return r.key == a.key && r.status == 302; });
        CHECK(asked >= 1);
        CHECK(redirected == asked);  // never an answer with content: only the redirect, refused
    }
    CHECK(byParity[true] > 0);   // to 169.254.169.254
    CHECK(byParity[false] > 0);  // to 240.0.0.1
    checkNoTokenInMedia(log);
}
