#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "api/HistoryPager.h"
#include "support/ScriptedHistory.h"

using namespace okarchive;
using okarchive::testing::ScriptedHistory;

namespace {

/// Plays the archive of a re-check: what it holds (mid -> timestamp), and it marks deleted every archived message a
/// page's `repaged` ranges prove absent, as commitRecheckPage does.
struct RecheckArchive : RecheckSink {
    struct Step {
        std::vector<TimeRange> proven;
        std::vector<TimeRange> repaged;
        std::optional<TimeRange> remaining;
    };
    std::map<std::string, std::int64_t> archived;
    std::set<std::string> deleted;
    std::set<std::string> delivered;
    std::vector<Step> steps;
    std::vector<std::int64_t> overflows;

    void commitRecheck(std::vector<Message> messages, std::vector<TimeRange> proven, std::vector<TimeRange> repaged,
                       std::optional<TimeRange> remaining) override {
        std::set<std::string> inPage;
        for (const auto& m : messages) inPage.insert(m.mid), delivered.insert(m.mid);
        for (const auto& [mid, t] : archived)
            for (const auto& r : repaged)
                if (r.contains(t) && !inPage.count(mid)) deleted.insert(mid);
        steps.push_back({std::move(proven), std::move(repaged), remaining});
    }
    void commit(std::vector<Message>, std::vector<TimeRange>) override { FAIL("a re-check commits with its step"); }
    void clusterOverflow(std::int64_t t, std::size_t) override { overflows.push_back(t); }
    void fromBoundInclusive() override {}

    void archiveAll(const ScriptedHistory& h) {
        for (const auto& m : h.messages) archived[m.mid] = m.timestamp;
    }
};

/// One message every `step` ms from `start`, `n` of them.
void evenChat(ScriptedHistory& h, int n, std::int64_t start, std::int64_t step = 10) {
    for (int i = 0; i < n; ++i) h.add(start + i * step);
}

/// Removes from the server every message whose index (in insertion order) `pick` selects; returns their mids.
template <typename Pick>
std::set<std::string> deleteOnServer(ScriptedHistory& h, Pick pick) {
    std::set<std::string> gone;
    std::vector<Message> kept;
    for (std::size_t i = 0; i < h.messages.size(); ++i) {
        if (pick(i, h.messages[i]))
            gone.insert(h.messages[i].mid);
        else
            kept.push_back(h.messages[i]);
    }
    h.messages = kept;
    return gone;
}

CoverageSet unionOf(const std::vector<RecheckArchive::Step>& steps, bool repaged) {
    CoverageSet set;
    for (const auto& s : steps)
        for (const auto& r : repaged ? s.repaged : s.proven) set.add(r);
    return set;
}

/// Every step's `remaining` is the window below what the steps so far proved, the last one nullopt.
void requireRemainingShrinks(const std::vector<RecheckArchive::Step>& steps, TimeRange window, bool done) {
    REQUIRE(!steps.empty());
    std::int64_t top = window.hi;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        for (const auto& r : steps[i].proven) top = std::min(top, r.lo - 1);
        const bool last = i + 1 == steps.size();
        if (last && done) {
            REQUIRE_FALSE(steps[i].remaining);
        } else {
            REQUIRE(steps[i].remaining);
            REQUIRE(*steps[i].remaining == TimeRange{window.lo, top});
        }
    }
}

}  // namespace

TEST_CASE("a re-check finds exactly the deletions inside its window under each bound semantics") {
    for (bool fromIncl : {true, false}) {
        for (bool toIncl : {true, false}) {
            for (int pageSize : {1, 7, 50, 100, 120}) {
                ScriptedHistory h;
                h.fromInclusive = fromIncl;
                h.toInclusive = toIncl;
                evenChat(h, 400, 1'000'000);  // 1,000,000 .. 1,003,990
                h.add(1'002'000, 4);          // a small cluster inside
                RecheckArchive archive;
                archive.archiveAll(h);
                const TimeRange window{1'001'000, 1'003'000};
                // Every 9th message, and the ones on the window's edges and just outside them.
                const auto gone = deleteOnServer(h, [](std::size_t i, const Message& m) {
                    return i % 9 == 0 || m.timestamp == 1'001'000 || m.timestamp == 1'003'000 ||
                           m.timestamp == 1'000'990 || m.timestamp == 1'003'010;
                });
                std::set<std::string> expected;
                for (const auto& mid : gone)
                    if (window.contains(archive.archived.at(mid))) expected.insert(mid);

                HistoryPager pager(h, "chat:T", {pageSize, 100}, false);
                INFO("from inclusive " << fromIncl << ", to inclusive " << toIncl << ", page " << pageSize);
                REQUIRE(pager.recheck(window, 0, archive));
                REQUIRE(archive.deleted == expected);
                REQUIRE(unionOf(archive.steps, true).ranges() == std::vector<TimeRange>{window});
                REQUIRE(unionOf(archive.steps, false).ranges() == std::vector<TimeRange>{window});
                requireRemainingShrinks(archive.steps, window, true);
            }
        }
    }
}

TEST_CASE("a re-check proves nothing below its window even when a page carries older messages") {
    ScriptedHistory h;
    evenChat(h, 300, 1'000'000);
    RecheckArchive archive;
    archive.archiveAll(h);
    // Deleted just below the window; the page reaches the millisecond under it (1,002,490), which is kept.
    deleteOnServer(h, [](std::size_t i, const Message&) { return i >= 200 && i < 250 && i % 2 == 0; });
    HistoryPager pager(h, "chat:T", {100, 100}, true);
    REQUIRE(pager.recheck({1'002'491, 1'002'990}, 0, archive));
    REQUIRE(archive.deleted.empty());
    REQUIRE(archive.steps.size() == 1);
    REQUIRE(archive.steps[0].repaged == std::vector<TimeRange>{{1'002'491, 1'002'990}});
    // The page's older messages were delivered (an edit there is noticed) though they prove nothing.
    std::size_t older = 0;
    for (const auto& mid : archive.delivered) older += archive.archived.at(mid) < 1'002'491 ? 1 : 0;
    REQUIRE(older == 1);
}

TEST_CASE("a millisecond that overflows a page is never re-paged and none of its messages is marked deleted") {
    for (bool inclusive : {true, false}) {
        for (int pageSize : {50, 100, 120}) {
            ScriptedHistory h;
            h.fromInclusive = h.toInclusive = inclusive;
            evenChat(h, 100, 1'000'000);
            h.add(1'000'505, 150);  // 50 of them the API cannot reach
            RecheckArchive archive;
            archive.archiveAll(h);  // the archive knows all 150 (as if from an earlier, larger page)
            const auto gone = deleteOnServer(h, [](std::size_t i, const Message&) { return i == 10 || i == 60; });
            HistoryPager pager(h, "chat:T", {pageSize, 100}, false);
            INFO("inclusive " << inclusive << ", page " << pageSize);
            REQUIRE(pager.recheck({1'000'000, 1'000'990}, 0, archive));
            REQUIRE(archive.overflows == std::vector<std::int64_t>{1'000'505});
            REQUIRE(archive.deleted == gone);
            for (const auto& s : archive.steps)
                for (const auto& r : s.repaged) REQUIRE_FALSE(r.contains(1'000'505));
            // Coverage still takes it (as a sync does); only the deletion proof leaves it out.
            REQUIRE(unionOf(archive.steps, false).ranges() == std::vector<TimeRange>{{1'000'000, 1'000'990}});
            REQUIRE(unionOf(archive.steps, true).ranges() ==
                    std::vector<TimeRange>{{1'000'000, 1'000'504}, {1'000'506, 1'000'990}});
        }
    }
}

TEST_CASE("a re-check against a server that caps count silently concludes nothing from short pages") {
    ScriptedHistory h;
    h.cap = 30;
    evenChat(h, 400, 1'000'000);
    RecheckArchive archive;
    archive.archiveAll(h);
    const auto gone = deleteOnServer(h, [](std::size_t i, const Message&) { return i % 50 == 7; });
    HistoryPager pager(h, "chat:T", {100, 100}, false);
    REQUIRE(pager.recheck({1'000'000, 1'003'990}, 0, archive));
    REQUIRE(archive.deleted == gone);
    REQUIRE(archive.steps.size() >= 400 / 30);
    requireRemainingShrinks(archive.steps, {1'000'000, 1'003'990}, true);
}

TEST_CASE("a re-check page budget stops with the rest of the window remaining, and continuing finishes it") {
    ScriptedHistory h;
    evenChat(h, 1000, 1'000'000);
    RecheckArchive archive;
    archive.archiveAll(h);
    const auto gone = deleteOnServer(h, [](std::size_t i, const Message&) { return i % 13 == 0; });
    const TimeRange window{1'000'000, 1'009'990};
    HistoryPager pager(h, "chat:T", {100, 100}, false);
    REQUIRE_FALSE(pager.recheck(window, 3, archive));
    REQUIRE(archive.steps.size() == 3);
    requireRemainingShrinks(archive.steps, window, false);
    REQUIRE(archive.deleted.size() < gone.size());

    int turns = 1;
    while (archive.steps.back().remaining) {
        const auto rest = *archive.steps.back().remaining;
        const auto before = archive.steps.size();
        const bool done = pager.recheck(rest, 3, archive);
        REQUIRE(archive.steps.size() - before <= 3);
        REQUIRE(done == !archive.steps.back().remaining);
        ++turns;
        REQUIRE(turns < 20);
    }
    REQUIRE(archive.deleted == gone);
    REQUIRE(unionOf(archive.steps, true).ranges() == std::vector<TimeRange>{window});
}

TEST_CASE("a re-check of a window of one millisecond or none") {
    ScriptedHistory h;
    evenChat(h, 50, 1'000'000);
    RecheckArchive archive;
    archive.archiveAll(h);
    const auto gone = deleteOnServer(h, [](std::size_t i, const Message&) { return i == 20 || i == 21; });
    HistoryPager pager(h, "chat:T", {100, 100}, false);
    REQUIRE(pager.recheck({1'000'200, 1'000'200}, 0, archive));  // message 20 alone
    REQUIRE(archive.deleted == std::set<std::string>{*gone.begin()});
    REQUIRE(archive.steps.size() == 1);
    REQUIRE_FALSE(archive.steps[0].remaining);

    const auto requests = h.requests.size();
    REQUIRE(pager.recheck({5, 4}, 0, archive));  // empty: nothing asked, nothing delivered
    REQUIRE(h.requests.size() == requests);
    REQUIRE(archive.steps.size() == 1);
}
