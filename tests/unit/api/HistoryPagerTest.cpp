#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "api/HistoryPager.h"
#include "support/ScriptedHistory.h"

using namespace okarchive;
using okarchive::testing::ScriptedHistory;

namespace {

/// Plays the archive: keeps mids and coverage, as a real commit would, and can fail after N commits (a crash).
struct MemorySink : PageSink {
    std::set<std::string> mids;
    CoverageSet coverage;
    std::vector<std::pair<std::int64_t, std::size_t>> overflows;
    bool inclusiveFound = false;
    int commitsLeft = -1;

    void commit(std::vector<Message> messages, std::vector<TimeRange> proven) override {
        if (commitsLeft == 0) throw std::runtime_error("crash");
        if (commitsLeft > 0) --commitsLeft;
        for (const auto& m : messages) mids.insert(m.mid);
        for (const auto& r : proven) coverage.add(r);
    }
    void clusterOverflow(std::int64_t t, std::size_t n) override { overflows.emplace_back(t, n); }
    void fromBoundInclusive() override { inclusiveFound = true; }
};

std::set<std::string> allMids(const ScriptedHistory& h) {
    std::set<std::string> s;
    for (const auto& m : h.messages) s.insert(m.mid);
    return s;
}

/// A chat with irregular gaps and small same-millisecond clusters.
void fillChat(ScriptedHistory& h, int n, std::int64_t start = 1'500'000'000'000) {
    std::int64_t t = start;
    for (int i = 0; i < n;) {
        int cluster = (i % 7 == 0) ? 3 : 1;
        h.add(t, cluster);
        i += cluster;
        t += 1 + (i * 37) % 1000;
    }
}

std::int64_t newest(const ScriptedHistory& h) {
    std::int64_t t = 0;
    for (const auto& m : h.messages) t = std::max(t, m.timestamp);
    return t;
}

void runPager(ScriptedHistory& h, MemorySink& sink, int pageSize, bool knownInclusive = false) {
    HistoryPager pager(h, "chat:T", {pageSize, 100}, knownInclusive);
    pager.run(sink.coverage, sink);
}

}  // namespace

TEST_CASE("pager archives every message under each bound semantics") {
    for (bool fromIncl : {true, false}) {
        for (bool toIncl : {true, false}) {
            for (int pageSize : {1, 7, 50, 100, 120}) {
                ScriptedHistory h;
                h.fromInclusive = fromIncl;
                h.toInclusive = toIncl;
                fillChat(h, 500);
                MemorySink sink;
                runPager(h, sink, pageSize);
                INFO("from inclusive " << fromIncl << ", to inclusive " << toIncl << ", page " << pageSize);
                REQUIRE(sink.mids == allMids(h));
                REQUIRE(sink.coverage.ranges() == std::vector<TimeRange>{{0, newest(h)}});
                REQUIRE(sink.overflows.empty());
                REQUIRE(sink.inclusiveFound == fromIncl);
                // No runaway paging: about one request per page of distinct messages, plus the re-asks.
                const auto effective = std::min(pageSize, 100);
                REQUIRE(h.requests.size() <= static_cast<std::size_t>(500 / effective * 3 + 6));
            }
        }
    }
}

TEST_CASE("pager takes clusters of 60 whole with pages of 50, 100 and 120") {
    for (bool inclusive : {true, false}) {
        for (int pageSize : {50, 100, 120}) {
            ScriptedHistory h;
            h.fromInclusive = h.toInclusive = inclusive;
            fillChat(h, 200, 1'000'000);
            h.add(2'000'000, 60);  // the cluster, with messages on both sides
            fillChat(h, 200, 3'000'000);
            h.add(4'000'000, 60);  // and one at the head
            MemorySink sink;
            runPager(h, sink, pageSize);
            INFO("inclusive " << inclusive << ", page " << pageSize);
            REQUIRE(sink.mids == allMids(h));
            REQUIRE(sink.overflows.empty());
            REQUIRE(sink.coverage.ranges() == std::vector<TimeRange>{{0, 4'000'000}});
        }
    }
}

TEST_CASE("a millisecond holding more than 100 messages ends with one warning, never a loop") {
    for (bool inclusive : {true, false}) {
        for (int pageSize : {50, 100, 120}) {
            ScriptedHistory h;
            h.fromInclusive = h.toInclusive = inclusive;
            fillChat(h, 100, 1'000'000);
            h.add(2'000'000, 150);
            fillChat(h, 100, 3'000'000);
            MemorySink sink;
            runPager(h, sink, pageSize);
            INFO("inclusive " << inclusive << ", page " << pageSize);
            REQUIRE(sink.overflows.size() == 1);
            REQUIRE(sink.overflows[0].first == 2'000'000);
            REQUIRE(sink.overflows[0].second == 100);
            // Everything but the unreachable 50 is archived, and the run finished with the whole range covered.
            REQUIRE(sink.mids.size() == allMids(h).size() - 50);
            REQUIRE(sink.coverage.ranges() == std::vector<TimeRange>{{0, newest(h)}});
        }
    }
}

TEST_CASE("a server that caps count silently does not end paging early") {
    ScriptedHistory h;
    h.cap = 30;
    fillChat(h, 400);
    MemorySink sink;
    runPager(h, sink, 100);  // every page comes back short: never a sign of the end
    REQUIRE(sink.mids == allMids(h));
    REQUIRE(sink.coverage.ranges() == std::vector<TimeRange>{{0, newest(h)}});
}

TEST_CASE("an empty chat costs one request and claims nothing") {
    ScriptedHistory h;
    MemorySink sink;
    runPager(h, sink, 100);
    REQUIRE(h.requests.size() == 1);
    REQUIRE(sink.coverage.empty());
}

TEST_CASE("a second run with nothing new costs one request, with new messages one or two") {
    for (bool inclusive : {true, false}) {
        ScriptedHistory h;
        h.fromInclusive = h.toInclusive = inclusive;
        fillChat(h, 1000);
        MemorySink sink;
        runPager(h, sink, 100);
        const bool learned = sink.inclusiveFound;

        h.requests.clear();
        runPager(h, sink, 100, learned);
        REQUIRE(h.requests.size() == 1);

        const auto top = newest(h);
        h.add(top + 10, 2);
        h.add(top + 20, 3);
        h.requests.clear();
        runPager(h, sink, 100, learned);
        REQUIRE(h.requests.size() <= 2);
        REQUIRE(sink.mids == allMids(h));
        REQUIRE(sink.coverage.ranges() == std::vector<TimeRange>{{0, top + 20}});
    }
}

TEST_CASE("an interrupted backfill resumes where it stopped and never believes itself complete early") {
    for (int crashAfter : {0, 1, 3, 8}) {
        ScriptedHistory h;
        h.fromInclusive = false;
        fillChat(h, 1000);
        MemorySink sink;
        sink.commitsLeft = crashAfter;
        REQUIRE_THROWS(runPager(h, sink, 100));
        // Whatever was committed is proven: every covered millisecond holds all its messages.
        for (const auto& m : h.messages)
            if (sink.coverage.covers(m.timestamp)) REQUIRE(sink.mids.count(m.mid) == 1);
        REQUIRE(!(sink.coverage.ranges() == std::vector<TimeRange>{{0, newest(h)}}));

        // New messages arrive before the resume; the resumed run takes both the head and the older gap.
        h.add(newest(h) + 5, 4);
        sink.commitsLeft = -1;
        h.requests.clear();
        runPager(h, sink, 100);
        REQUIRE(sink.mids == allMids(h));
        REQUIRE(sink.coverage.ranges() == std::vector<TimeRange>{{0, newest(h)}});
        REQUIRE(h.requests.size() <= 14);  // no re-fetch from the head: about the pages left, not all of them
    }
}

TEST_CASE("a failing request leaves only proven coverage behind") {
    ScriptedHistory h;
    fillChat(h, 600);
    h.failAfterRequests = 3;
    MemorySink sink;
    REQUIRE_THROWS_AS(runPager(h, sink, 100), ApiError);
    for (const auto& m : h.messages)
        if (sink.coverage.covers(m.timestamp)) REQUIRE(sink.mids.count(m.mid) == 1);
    runPager(h, sink, 100);
    REQUIRE(sink.mids == allMids(h));
}
