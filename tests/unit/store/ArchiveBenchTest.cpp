// Hand-run benchmark, hidden from ctest:  build-store/tests/store_tests "[.bench]" --durations yes
// Optional: OKARCHIVE_BENCH_MESSAGES (default 1000000), OKARCHIVE_BENCH_DIR (default: the system temp dir),
// OKARCHIVE_BENCH_SYNCHRONOUS (e.g. FULL; default: the archive's own setting), OKARCHIVE_BENCH_AUTOCHECKPOINT (pages),
// OKARCHIVE_BENCH_TABLES=1 (sizes per table and index).

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/sqlite/SqliteArchive.h"
#include "unit/store/StoreTestSupport.h"

using namespace okarchive;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Issue 13: re-check passes over the whole chat in the sync's pages (newest first, each re-paging its own span):
/// identical, then with one message in 100 gone and one in 100 edited; then what the changes cost readers.
template <class MakePage>
void recheckBench(SqliteArchive& archive, const std::string& chat, int total, int pageSize, MakePage& makePage) {
    const auto pass = [&](int goneEvery, int editedEvery) {
        archive.startRecheck(chat, {std::int64_t{0}, TimeRange::kMax});
        PageWriteResult sum;
        double seconds = 0;
        std::int64_t top = TimeRange::kMax;
        for (int first = 0; first < total; first += pageSize) {
            auto page = makePage(first);
            const TimeRange span{page.back().timestamp, top};
            top = page.back().timestamp - 1;
            std::vector<Message> sent;
            for (std::size_t i = 0; i < page.size(); ++i) {
                const int n = first + static_cast<int>(i);
                if (goneEvery && n % goneEvery == goneEvery / 2) continue;
                if (editedEvery && n % editedEvery == 0) page[i].rawJson.insert(page[i].rawJson.size() - 1, ",\"e\":1");
                sent.push_back(std::move(page[i]));
            }
            const bool last = first + pageSize >= total;
            const auto t = std::chrono::steady_clock::now();
            const auto r = archive.commitRecheckPage(
                chat, sent, {}, {{span}, last ? std::nullopt : std::optional(TimeRange{std::int64_t{0}, top})});
            seconds += secondsSince(t);
            sum.unchanged += r.unchanged;
            sum.revised += r.revised;
            sum.deleted += r.deleted;
        }
        std::printf("  re-check pass (1 in %d gone, 1 in %d edited): %.2f s = %.0f messages/s; %d unchanged, "
                    "%d revised, %d deleted\n",
                    goneEvery, editedEvery, seconds, total / seconds, sum.unchanged, sum.revised, sum.deleted);
        REQUIRE_FALSE(archive.recheckState(chat).pending);
        return sum;
    };
    auto& db = archive.connectionForTests();
    const auto changesBefore = db.getTotalChanges();
    REQUIRE(pass(0, 0).deleted == 0);
    std::printf("    rows changed by the identical pass: %lld (one pass position per page)\n",
                static_cast<long long>(db.getTotalChanges() - changesBefore));
    const auto changed = pass(100, 100);
    REQUIRE(changed.deleted == total / 100);

    auto t = std::chrono::steady_clock::now();
    auto cursor = archive.openCursor({chat});
    std::int64_t read = 0, revisions = 0;
    while (cursor->next()) {
        ++read;
        revisions += static_cast<std::int64_t>(cursor->current().revisions.size());
    }
    const double all = secondsSince(t);
    t = std::chrono::steady_clock::now();
    MessageQuery deleted{chat};
    deleted.deleted = true;
    const auto deletedCount = archive.countMessages(deleted);
    const double count = secondsSince(t);
    t = std::chrono::steady_clock::now();
    MessageQuery edited{chat};
    edited.edited = true;
    std::int64_t editedRead = 0;
    for (auto c = archive.openCursor(edited); c->next();) ++editedRead;
    const double editedSeconds = secondsSince(t);
    t = std::chrono::steady_clock::now();
    const auto statuses = archive.chatStatuses();
    const double status = secondsSince(t);
    std::printf("  after it: cursor read %lld messages (%lld revisions) in %.2f s = %.0f messages/s; "
                "countMessages --deleted %lld in %.3f s; cursor --edited %lld in %.3f s; chatStatuses %.3f s "
                "(%lld revisions, %lld deletions)\n",
                static_cast<long long>(read), static_cast<long long>(revisions), all, read / all,
                static_cast<long long>(deletedCount), count, static_cast<long long>(editedRead), editedSeconds,
                status, static_cast<long long>(statuses.at(0).revisions),
                static_cast<long long>(statuses.at(0).deletions));
}

}  // namespace

TEST_CASE("bench: a million-message sync in pages of 100", "[.bench]") {
    const char* countEnv = std::getenv("OKARCHIVE_BENCH_MESSAGES");
    const int total = countEnv ? std::atoi(countEnv) : 1'000'000;
    const int pageSize = 100;
    test::TempDir dir;
    const char* dirEnv = std::getenv("OKARCHIVE_BENCH_DIR");
    std::string path = dirEnv ? std::string(dirEnv) + "/okarchive-bench.db" : dir.file("bench.db");
    std::remove(path.c_str());
    SqliteArchive archive(path, Env::system());
    if (const char* sync = std::getenv("OKARCHIVE_BENCH_SYNCHRONOUS")) {  // e.g. FULL, to compare with the default
        archive.connectionForTests().exec(std::string("PRAGMA synchronous = ") + sync);
    }
    if (const char* pages = std::getenv("OKARCHIVE_BENCH_AUTOCHECKPOINT")) {
        archive.connectionForTests().exec(std::string("PRAGMA wal_autocheckpoint = ") + pages);
    }
    const std::string chat = "chat:C3ecb9d02a600";

    // Pages arrive newest first, as the history pager walks backward in time.
    std::int64_t newest = 1'498'581'292'941;
    auto makePage = [&](int first) {
        std::vector<Message> page;
        for (int i = first; i < first + pageSize && i < total; ++i) {
            std::int64_t ts = newest - std::int64_t(i) * 1000 - (i % 7);
            std::string mid = fmt::format("mid:C3ecb9d02a600.{:x}", 0x15cea67d78d2059ULL - std::uint64_t(i) * 4099);
            std::string user = fmt::format("user:{}", 570000000000 + i % 50);
            if (i % 50 == 49) {
                page.push_back(test::makeServiceMessage(chat, mid, ts, 98211023614189660 - i, "EXIT",
                                                        std::to_string(570000000000 + i % 50)));
                continue;
            }
            Message m = test::makeMessage(chat, mid, ts, 98211023614189660 - i,
                                          fmt::format("Message number {} with some ordinary chat text, "
                                                      "Привет, как дела? \xF0\x9F\x98\x80",
                                                      i),
                                          user, fmt::format("User {}", i % 50));
            if (i % 10 == 0) {
                test::addAttachment(m, "IMAGE",
                                    fmt::format(R"({{"url":"https://i.mycdn.me/i?r={}","id":"{}"}})", i, i));
            }
            page.push_back(std::move(m));
        }
        return page;
    };

    double buildSeconds = 0;
    double writeSeconds = 0;
    double writeCpuSeconds = 0;  // user + system time of this process: what the write path costs without contention
    std::int64_t provenDownTo = TimeRange::kMax;  // what the pages so far proved: [provenDownTo, kMax]
    for (int first = 0; first < total; first += pageSize) {
        auto t0 = std::chrono::steady_clock::now();
        auto page = makePage(first);
        buildSeconds += secondsSince(t0);
        TimeRange proven{page.back().timestamp, provenDownTo == TimeRange::kMax ? TimeRange::kMax : provenDownTo - 1};
        provenDownTo = page.back().timestamp;
        auto t1 = std::chrono::steady_clock::now();
        std::clock_t c1 = std::clock();
        auto result = archive.commitPage(chat, page, {proven});
        writeCpuSeconds += double(std::clock() - c1) / CLOCKS_PER_SEC;
        writeSeconds += secondsSince(t1);
        REQUIRE(result.inserted == static_cast<int>(page.size()));
    }
    REQUIRE(archive.messageCount(chat) == total);
    REQUIRE(archive.coverage(chat).ranges().size() == 1);

    // Re-fetch of everything: all unchanged.
    auto t2 = std::chrono::steady_clock::now();
    int refetched = 0;
    double rebuildSeconds = 0;
    for (int first = 0; first < total; first += pageSize * 10) {
        auto t = std::chrono::steady_clock::now();
        auto page = makePage(first);
        rebuildSeconds += secondsSince(t);
        refetched += archive.commitPage(chat, page, {}).unchanged;
    }
    double refetchSeconds = secondsSince(t2) - rebuildSeconds;

    auto t3 = std::chrono::steady_clock::now();
    auto cursor = archive.openCursor({chat, std::nullopt, std::nullopt});
    std::int64_t read = 0;
    std::size_t bytes = 0;
    while (cursor->next()) {
        ++read;
        bytes += cursor->current().rawJson.size();
    }
    double readSeconds = secondsSince(t3);
    REQUIRE(read == total);

    auto t4 = std::chrono::steady_clock::now();
    auto statuses = archive.chatStatuses();
    double statusSeconds = secondsSince(t4);

    std::printf(
        "bench %s\n  commitPage: %d messages in %.2f s = %.0f messages/s (%d pages of %d; building the "
        "messages took another %.2f s, not counted)\n"
        "  commitPage CPU time: %.2f s = %.0f messages per CPU second\n"
        "  unchanged re-commit: %d messages in %.2f s = %.0f messages/s\n"
        "  cursor read: %lld messages (%.1f MB raw JSON) in %.2f s = %.0f messages/s\n"
        "  chatStatuses: %.3f s\n",
        path.c_str(), total, writeSeconds, total / writeSeconds, (total + pageSize - 1) / pageSize, pageSize,
        buildSeconds, writeCpuSeconds, total / writeCpuSeconds, refetched, refetchSeconds, refetched / refetchSeconds,
        static_cast<long long>(read), bytes / 1e6, readSeconds, read / readSeconds, statusSeconds);
    auto& db = archive.connectionForTests();
    std::int64_t fileBytes =
        db.execAndGet("PRAGMA page_count").getInt64() * db.execAndGet("PRAGMA page_size").getInt64();
    std::printf("  database: %.1f MB, %.0f bytes per message\n", fileBytes / 1e6, double(fileBytes) / total);
    if (std::getenv("OKARCHIVE_BENCH_TABLES")) {  // needs SQLite built with the dbstat table (Debian's is)
        SQLite::Statement sizes(db, "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC");
        while (sizes.executeStep()) {
            std::printf("    %-32s %8.1f MB\n", sizes.getColumn(0).getString().c_str(),
                        sizes.getColumn(1).getInt64() / 1e6);
        }
    }
    recheckBench(archive, chat, total, pageSize, makePage);
    if (dirEnv) std::remove(path.c_str());
}
