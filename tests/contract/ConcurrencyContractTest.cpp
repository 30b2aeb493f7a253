// Several writers on one archive: each thread with its own handle, as the service's workers have.
#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "contract/ArchiveContract.h"
#include "unit/store/StoreTestSupport.h"

using namespace okarchive;
using okarchive::contract::freshBackend;
using okarchive::test::makeMessage;

TEST_CASE("two threads with their own handles commit pages to one archive without losing any",
          "[contract][concurrency]") {
    auto backend = freshBackend();
    backend->open();  // created (and migrated) before the race
    constexpr int kPages = 40, kPerPage = 25;
    std::atomic<int> failures{0};
    auto writer = [&](const std::string& chat, bool sharedChat) {
        try {
            auto archive = backend->open();
            for (int p = 0; p < kPages; ++p) {
                std::vector<Message> page;
                for (int i = 0; i < kPerPage; ++i) {
                    const std::int64_t ts = p * kPerPage + i;
                    page.push_back(makeMessage(chat, chat + ":" + std::to_string(ts), ts, ts));
                }
                archive->commitPage(chat, page, {{p * kPerPage, (p + 1) * kPerPage - 1}});
                archive->recordSyncRun({chat, p, p + 1, "ok", kPerPage, 1, ""});
                if (sharedChat)
                    archive->commitPage("chat:shared",
                                        {makeMessage("chat:shared", chat + ":" + std::to_string(p), p, p)}, {{p, p}});
            }
        } catch (const std::exception& e) {
            UNSCOPED_INFO(e.what());
            ++failures;
        }
    };
    std::thread a(writer, "chat:A", true), b(writer, "chat:B", true);
    a.join();
    b.join();
    REQUIRE(failures == 0);
    auto archive = backend->open();
    for (const char* chat : {"chat:A", "chat:B"}) {
        CHECK(archive->messageCount(chat) == kPages * kPerPage);
        CHECK(archive->coverage(chat).ranges() == std::vector<TimeRange>{{0, kPages * kPerPage - 1}});
        CHECK(archive->syncRuns(chat).size() == kPages);
    }
    CHECK(archive->messageCount("chat:shared") == 2 * kPages);
    CHECK(archive->coverage("chat:shared").ranges() == std::vector<TimeRange>{{0, kPages - 1}});
    CHECK(archive->integrityCheck() == "ok");
}

TEST_CASE("two threads recording digest intents for one period make one row", "[contract][concurrency][ledger]") {
    auto backend = freshBackend();
    backend->open();
    std::atomic<int> failures{0};
    std::vector<std::int64_t> ids(2);
    auto writer = [&](int n) {
        try {
            auto archive = backend->open();
            for (int i = 0; i < 20; ++i) ids[n] = archive->recordDigestIntent("chat:D", {0, 1, "p"}, "t", false, i);
        } catch (const std::exception& e) {
            UNSCOPED_INFO(e.what());
            ++failures;
        }
    };
    std::thread a(writer, 0), b(writer, 1);
    a.join();
    b.join();
    REQUIRE(failures == 0);
    CHECK(ids[0] == ids[1]);
    const auto rows = backend->open()->digests("chat:D");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].attempts == 40);
}
