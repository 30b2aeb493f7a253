// Issue 13: edits and deletions observed by re-checking recent history, driven through the real binaries.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <csignal>

#include "domain/Json.h"
#include "integration/Harness.h"
#include "store/Archive.h"

using namespace okarchive::it;
using okarchive::JsonDocument;
using okarchive::openArchive;

namespace {

const std::string kChat = "chat:C3ecb9d02a600";  // okapi-sim's default chat
constexpr std::int64_t kDay = 24LL * 3600 * 1000;
constexpr std::int64_t kHour = 3600LL * 1000;

/// A message of the simulator's ground truth, as the test needs it.
struct TruthMessage {
    std::string mid;
    std::int64_t timestamp = 0;
    std::optional<std::string> text;
};

std::vector<TruthMessage> parseTruth(const std::string& ndjson) {
    std::vector<TruthMessage> messages;
    std::istringstream lines(ndjson);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        const auto doc = JsonDocument::parse(line);
        const auto& root = doc.root();
        TruthMessage m;
        m.mid = root.find("mid")->asString();
        m.timestamp = root.find("timestamp")->asInt64();
        if (const auto* text = root.find("text"); text && !text->isNull()) m.text = text->asString();
        messages.push_back(std::move(m));
    }
    return messages;
}

/// What the archive holds of each message: its current text, its revisions' texts, whether it is marked deleted.
struct ArchivedState {
    std::optional<std::string> text;
    std::vector<std::optional<std::string>> revisionTexts;
    bool deleted = false;
};

std::map<std::string, ArchivedState> archivedStates(const std::string& db, const std::string& chat) {
    const auto archive = openArchive(db);
    std::map<std::string, ArchivedState> states;
    auto cursor = archive->openCursor({chat});
    while (cursor->next()) {
        const auto& m = cursor->current();
        ArchivedState state{m.text, {}, m.deletedObservedAtMs.has_value()};
        for (const auto& revision : m.revisions) state.revisionTexts.push_back(revision.text);
        REQUIRE(states.emplace(m.mid, std::move(state)).second);  // no duplicates
    }
    return states;
}

std::set<std::string> editedMids(const std::map<std::string, ArchivedState>& states) {
    std::set<std::string> mids;
    for (const auto& [mid, state] : states)
        if (!state.revisionTexts.empty()) mids.insert(mid);
    return mids;
}

std::set<std::string> deletedMids(const std::map<std::string, ArchivedState>& states) {
    std::set<std::string> mids;
    for (const auto& [mid, state] : states)
        if (state.deleted) mids.insert(mid);
    return mids;
}

std::string joined(const std::vector<std::string>& mids) {
    std::string list;
    for (const auto& mid : mids) list += (list.empty() ? "" : ",") + mid;
    return list;
}

void simEdit(const SimProcess& sim, const std::string& chat, const std::string& mid, const std::string& text) {
    sim.post("/_sim/edit?chat_id=" + chat + "&mid=" + mid + "&text=" + text);
}

void simDelete(const SimProcess& sim, const std::string& chat, const std::vector<std::string>& mids) {
    sim.post("/_sim/delete?chat_id=" + chat + "&mid=" + joined(mids));
}

/// `okarchive [settings...] sync --chat=kChat [options...]`.
RunResult sync(const SimProcess& sim, const std::string& db, const std::vector<std::string>& options = {},
               const std::vector<std::string>& settings = {}) {
    auto args = with(baseArgs(sim, db), {"-Dapi.max_retries=12"});
    args.insert(args.end(), settings.begin(), settings.end());
    args.insert(args.end(), {"sync", "--chat=" + kChat});
    args.insert(args.end(), options.begin(), options.end());
    return runOkarchive(args);
}

/// A plain text: no service event, no control character, no U+FFFD (a repaired lone surrogate or bad byte).
bool plainText(const std::optional<std::string>& text) {
    return text && !text->empty() && text->front() != '{' && text->find("\xEF\xBF\xBD") == std::string::npos &&
           std::none_of(text->begin(), text->end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

/// Every `step`-th message (by position) of `candidates`, `count` of them, skipping those in `taken`.
std::vector<TruthMessage> pick(const std::vector<TruthMessage>& candidates, std::size_t count, std::size_t step,
                               std::set<std::string>& taken) {
    std::vector<TruthMessage> picked;
    for (std::size_t i = 0; i < candidates.size() && picked.size() < count; i += step) {
        if (taken.insert(candidates[i].mid).second) picked.push_back(candidates[i]);
    }
    REQUIRE(picked.size() == count);
    return picked;
}

std::set<std::string> midsOf(const std::vector<TruthMessage>& messages) {
    std::set<std::string> mids;
    for (const auto& m : messages) mids.insert(m.mid);
    return mids;
}

std::set<std::string> united(std::set<std::string> a, const std::set<std::string>& b) {
    a.insert(b.begin(), b.end());
    return a;
}

}  // namespace

TEST_CASE("a re-check finds exactly the edits and deletions inside its window, --recheck=all the rest") {
    TempDir dir;
    SimProcess sim({"--seed=21", "--chat=" + kChat + "=20000"});
    const auto db = dir.file("r.db");
    REQUIRE(sync(sim, db).exitCode == 0);

    const auto truth = parseTruth(sim.truth(kChat));
    const auto newest = std::max_element(truth.begin(), truth.end(), [](const auto& a, const auto& b) {
                            return a.timestamp < b.timestamp;
                        })->timestamp;
    // Inside the default 7 day window (with an hour's margin from its edges), and well outside it.
    std::vector<TruthMessage> inside, outside;
    for (const auto& m : truth) {
        if (!plainText(m.text)) continue;  // plain texts only (no service events, nothing a decoder could repair)
        if (m.timestamp > newest - 7 * kDay + kHour && m.timestamp < newest - kHour) inside.push_back(m);
        if (m.timestamp < newest - 7 * kDay - kDay) outside.push_back(m);
    }
    const auto windowMessages = std::count_if(truth.begin(), truth.end(), [&](const auto& m) {
        return m.timestamp >= newest - 7 * kDay;
    });
    REQUIRE(inside.size() >= 100);
    std::set<std::string> taken;
    const auto editsInside = pick(inside, 30, 3, taken);
    const auto deletionsInside = pick(inside, 20, 2, taken);
    const auto editsOutside = pick(outside, 10, 97, taken);
    const auto deletionsOutside = pick(outside, 10, 89, taken);
    std::map<std::string, std::string> original;
    for (const auto* group : {&editsInside, &editsOutside})
        for (const auto& m : *group) {
            original[m.mid] = *m.text;
            simEdit(sim, kChat, m.mid, "edited-" + m.mid.substr(m.mid.size() - 6));
        }
    std::vector<std::string> toDelete;
    for (const auto* group : {&deletionsInside, &deletionsOutside})
        for (const auto& m : *group) toDelete.push_back(m.mid);
    simDelete(sim, kChat, toDelete);

    sim.resetStats();
    auto second = sync(sim, db);
    INFO(second.out << second.err);
    REQUIRE(second.exitCode == 0);
    // The window costs about one request per 100 of its messages (plus the head and a page past its floor).
    CHECK(sim.historyRequests() <= windowMessages / 100 + 4);

    auto states = archivedStates(db, kChat);
    REQUIRE(states.size() == truth.size());  // nothing removed, nothing doubled
    REQUIRE(editedMids(states) == midsOf(editsInside));
    for (const auto& m : editsInside) {
        const auto& state = states.at(m.mid);
        REQUIRE(state.revisionTexts.size() == 1);
        CHECK(state.revisionTexts.front() == original.at(m.mid));
        CHECK(state.text == "edited-" + m.mid.substr(m.mid.size() - 6));
    }
    REQUIRE(deletedMids(states) == midsOf(deletionsInside));

    // The exports say it, and their strictest reader reads it: jq 1.6 over --edited and --deleted.
    for (const auto& [filter, expected] : {std::pair{"--edited", 30}, std::pair{"--deleted", 20}}) {
        const auto out = dir.file(std::string(filter).substr(2) + ".ndjson");
        auto exported = runOkarchive(
            with(baseArgs(sim, db), {"export", "--format=ndjson", "--chat=" + kChat, filter, "--output=" + out}));
        INFO(exported.err);
        REQUIRE(exported.exitCode == 0);
        const auto jq = runProgram("jq", {"-r", std::string(filter) == "--edited"
                                                    ? "select(.edited_at != null) | .revisions[0].text"
                                                    : "select(.deleted_observed_at != null) | .mid",
                                          out});
        REQUIRE(jq.exitCode == 0);
        CHECK(std::count(jq.out.begin(), jq.out.end(), '\n') == expected);
        if (std::string(filter) == "--edited")
            for (const auto& m : editsInside) CHECK(jq.out.find(original.at(m.mid) + "\n") != std::string::npos);
    }

    auto all = sync(sim, db, {"--recheck=all"});
    INFO(all.out << all.err);
    REQUIRE(all.exitCode == 0);
    states = archivedStates(db, kChat);
    REQUIRE(states.size() == truth.size());
    REQUIRE(editedMids(states) == united(midsOf(editsInside), midsOf(editsOutside)));
    for (const auto& [mid, state] : states)
        if (!state.revisionTexts.empty()) CHECK(state.revisionTexts.size() == 1);
    REQUIRE(deletedMids(states) == united(midsOf(deletionsInside), midsOf(deletionsOutside)));
    REQUIRE(openArchive(db)->integrityCheck() == "ok");
}

TEST_CASE("with a 25% fault mix and a cluster larger than a page, a re-check marks nothing deleted that exists") {
    for (int seed = 1; seed <= 20; ++seed) {
        TempDir dir;
        SimProcess sim({"--seed=" + std::to_string(seed), "--chat=" + kChat + "=1200", "--cluster=150",
                        "--bounds=" + std::string(seed % 2 ? "inclusive" : "exclusive"), "--page-cap=" +
                        std::to_string(seed % 3 ? 100 : 40), "--fault-rate=0.25",
                        "--faults=500,503,429,error8,error2,truncated,nonjson,reset", "--retry-after=0"});
        const auto db = dir.file("f.db");
        const auto first = sync(sim, db);
        INFO("seed " << seed << "\n" << first.out << first.err);
        REQUIRE(first.exitCode == 0);
        // Delete three messages, one of them inside the cluster's millisecond (which no page reaches whole).
        const auto truth = parseTruth(sim.truth(kChat, false));
        std::map<std::int64_t, int> perMillisecond;
        for (const auto& m : truth) ++perMillisecond[m.timestamp];
        const auto cluster = std::max_element(perMillisecond.begin(), perMillisecond.end(),
                                              [](const auto& a, const auto& b) { return a.second < b.second; });
        REQUIRE(cluster->second > 100);
        // Two outside the cluster's millisecond (one old, one recent), and one inside it.
        const auto outsideCluster = [&](std::size_t from) {
            while (truth[from].timestamp == cluster->first) ++from;
            return truth[from].mid;
        };
        std::vector<std::string> gone{outsideCluster(seed * 7), outsideCluster(truth.size() * 3 / 4 + seed)};
        const auto inCluster = std::find_if(truth.begin(), truth.end(),
                                            [&](const auto& m) { return m.timestamp == cluster->first; });
        simDelete(sim, kChat, {gone[0], gone[1], inCluster->mid});

        const auto second = sync(sim, db, {"--recheck=all"});
        INFO(second.out << second.err);
        REQUIRE(second.exitCode == 0);
        const auto states = archivedStates(db, kChat);
        const auto deleted = deletedMids(states);
        // Never a message that still exists; the two outside the cluster are proven gone (the one inside the
        // overflowing millisecond may or may not be: no page reaches all of it).
        CHECK(deleted.count(gone[0]) == 1);
        CHECK(deleted.count(gone[1]) == 1);
        for (const auto& mid : deleted) CHECK((mid == gone[0] || mid == gone[1] || mid == inCluster->mid));
    }
}

TEST_CASE("kill -9 during a re-check loses nothing, marks nothing falsely, and the next run completes it") {
    TempDir dir;
    SimProcess sim({"--seed=31", "--chat=" + kChat + "=6000", "--cluster=60", "--bounds=exclusive"});
    const auto db = dir.file("k.db");
    REQUIRE(sync(sim, db).exitCode == 0);
    const auto truth = parseTruth(sim.truth(kChat));
    std::vector<std::string> gone;
    for (std::size_t i = 50; i < truth.size(); i += truth.size() / 20) gone.push_back(truth[i].mid);
    simDelete(sim, kChat, gone);

    std::mt19937 rng(std::random_device{}());
    int killedMidway = 0;
    for (int round = 0; round < 6; ++round) {
        sim.resetStats();
        const long long killAfter = std::uniform_int_distribution<long long>(3, 55)(rng);
        auto handle = startOkarchive(with(baseArgs(sim, db), {"sync", "--chat=" + kChat, "--recheck=all"}));
        if (killAfterHistoryRequests(handle, sim, killAfter))
            ++killedMidway;
        else
            handle.wait();
        // Whatever was marked so far is really gone.
        const auto marked = deletedMids(archivedStates(db, kChat));
        for (const auto& mid : marked) CHECK(std::find(gone.begin(), gone.end(), mid) != gone.end());
    }
    REQUIRE(killedMidway >= 3);
    const auto last = sync(sim, db);  // continues the open pass
    INFO(last.out << last.err);
    REQUIRE(last.exitCode == 0);
    const auto states = archivedStates(db, kChat);
    REQUIRE(states.size() == truth.size());
    REQUIRE(deletedMids(states) == std::set<std::string>(gone.begin(), gone.end()));
    REQUIRE(editedMids(states).empty());
    REQUIRE(openArchive(db)->integrityCheck() == "ok");
}

TEST_CASE("a deleted message that comes back is restored, and include_deleted marks what the API flags") {
    TempDir dir;
    SimProcess sim({"--seed=41", "--chat=" + kChat + "=3000"});
    const auto db = dir.file("u.db");
    REQUIRE(sync(sim, db).exitCode == 0);
    const auto truth = parseTruth(sim.truth(kChat));
    const std::vector<std::string> gone{truth[truth.size() - 5].mid, truth[truth.size() - 9].mid};
    simDelete(sim, kChat, gone);
    REQUIRE(sync(sim, db).exitCode == 0);
    REQUIRE(deletedMids(archivedStates(db, kChat)) == std::set<std::string>(gone.begin(), gone.end()));

    sim.post("/_sim/undelete?chat_id=" + kChat + "&mid=" + gone[0]);
    REQUIRE(sync(sim, db).exitCode == 0);
    REQUIRE(deletedMids(archivedStates(db, kChat)) == std::set<std::string>{gone[1]});

    // With include_deleted the API returns deleted messages flagged: they stay marked, and a new deletion is marked
    // from the flag.
    const auto third = truth[truth.size() - 20].mid;
    simDelete(sim, kChat, {third});
    auto flagged = sync(sim, db, {}, {"-Dsync.include_deleted=true"});
    INFO(flagged.out << flagged.err);
    REQUIRE(flagged.exitCode == 0);
    REQUIRE(deletedMids(archivedStates(db, kChat)) == std::set<std::string>{gone[1], third});
    REQUIRE(openArchive(db)->integrityCheck() == "ok");
}
