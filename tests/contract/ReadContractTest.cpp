// Reads: cursor order and bounds, cursors interleaved with writes, snapshots, the statistics aggregates.
#include <algorithm>
#include <random>
#include <map>
#include <set>
#include <tuple>

#include <catch2/catch.hpp>

#include "contract/ArchiveContract.h"
#include "unit/store/StoreTestSupport.h"

using namespace okarchive;
using okarchive::contract::freshBackend;
using okarchive::contract::mids;
using okarchive::contract::readAll;
using okarchive::test::addAttachment;
using okarchive::test::makeMessage;
using okarchive::test::makeServiceMessage;

namespace {

const std::string kChat = "chat:C1";

}  // namespace

TEST_CASE("the cursor reads in (timestamp, seq) order with since inclusive and until exclusive", "[contract][cursor]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    // Same-millisecond clusters, seq beyond 2^53, and pages arriving out of order.
    std::vector<Message> all{
        makeMessage(kChat, "mid:t100s2", 100, 2),
        makeMessage(kChat, "mid:t100s1", 100, 1),
        makeMessage(kChat, "mid:t200big2", 200, 98211023614189661),
        makeMessage(kChat, "mid:t200big1", 200, 98211023614189660),
        makeMessage(kChat, "mid:t300", 300, 5),
        makeMessage(kChat, "mid:t-5", -5, 9),
        makeMessage("chat:other", "mid:x", 150, 1),
    };
    std::mt19937 random(7);
    std::shuffle(all.begin(), all.end(), random);
    for (const auto& m : all) archive->commitPage(m.chatId, {m}, {});

    CHECK(mids(readAll(*archive, {kChat})) ==
          std::vector<std::string>{"mid:t-5", "mid:t100s1", "mid:t100s2", "mid:t200big1", "mid:t200big2", "mid:t300"});
    CHECK(mids(readAll(*archive, {kChat, 100, 300})) ==
          std::vector<std::string>{"mid:t100s1", "mid:t100s2", "mid:t200big1", "mid:t200big2"});
    CHECK(mids(readAll(*archive, {kChat, 101, std::nullopt})) ==
          std::vector<std::string>{"mid:t200big1", "mid:t200big2", "mid:t300"});
    CHECK(mids(readAll(*archive, {kChat, std::nullopt, 100})) == std::vector<std::string>{"mid:t-5"});
    CHECK(readAll(*archive, {kChat, 300, 300}).empty());
    CHECK(readAll(*archive, {"chat:unknown"}).empty());
    const auto big = readAll(*archive, {kChat, 200, 201});
    REQUIRE(big.size() == 2);
    CHECK(big[0].seq == 98211023614189660);
    CHECK(big[1].seq == 98211023614189661);
    CHECK(big[0].chatId == kChat);
    auto cursor = archive->openCursor({kChat, 300});
    CHECK(cursor->next());
    CHECK_FALSE(cursor->next());
    CHECK_FALSE(cursor->next());  // stays at the end
}

TEST_CASE("an open cursor does not see another handle's commits and allows its own", "[contract][cursor]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    std::vector<Message> page;
    for (int i = 0; i < 250; ++i) page.push_back(makeMessage(kChat, "mid:" + std::to_string(i), 1000 + i, i));
    archive->commitPage(kChat, page, {{1000, 1249}});
    auto cursor = archive->openCursor({kChat});
    REQUIRE(cursor->next());
    CHECK(cursor->current().mid == "mid:0");
    // Through the same handle a page commits while the cursor is open (before the cursor's position: whether a
    // cursor sees its own handle's writes is up to the backend; a snapshot sees none).
    CHECK(archive->commitPage(kChat, {makeMessage(kChat, "mid:same", 500, 1)}, {{500, 1249}}).inserted == 1);
    backend->open()->commitPage(kChat, {makeMessage(kChat, "mid:other", 5000, 1)}, {});
    int count = 1;
    while (cursor->next()) ++count;
    CHECK(count == 250);
    cursor.reset();
    CHECK(archive->messageCount(kChat) == 252);
    CHECK(archive->coverage(kChat).ranges() == std::vector<TimeRange>{{500, 1249}});
}

TEST_CASE("a snapshot does not see what is committed after it was taken", "[contract][snapshot]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->commitPage(kChat, {makeMessage(kChat, "mid:1", 1, 1, "one", "user:1", "Ann")}, {});
    archive->upsertChat({kChat, "CHAT", "ACTIVE", "Before", std::nullopt, 2, R"({"title":"Before"})"});
    const auto snapshot = archive->snapshot();

    SECTION("written through the same handle") {
        archive->commitPage(kChat, {makeMessage(kChat, "mid:2", 2, 2, "two", "user:1", "Ann B")}, {});
        archive->commitPage(kChat, {makeMessage(kChat, "mid:1", 1, 1, "one, edited", "user:1", "Ann")}, {});
        archive->upsertChat({kChat, "CHAT", "ACTIVE", "After", std::nullopt, 2, R"({"title":"After"})"});
    }
    SECTION("written through another handle") {
        auto writer = backend->open();
        writer->commitPage(kChat, {makeMessage(kChat, "mid:2", 2, 2, "two", "user:1", "Ann B")}, {});
        writer->commitPage(kChat, {makeMessage(kChat, "mid:1", 1, 1, "one, edited", "user:1", "Ann")}, {});
        writer->upsertChat({kChat, "CHAT", "ACTIVE", "After", std::nullopt, 2, R"({"title":"After"})"});
    }

    CHECK(snapshot->messageCount(kChat) == 1);
    CHECK(snapshot->countMessages({kChat}) == 1);
    CHECK(mids(readAll(*snapshot, {kChat})) == std::vector<std::string>{"mid:1"});
    CHECK(snapshot->findMessage(kChat, "mid:1")->text == std::optional<std::string>("one"));
    CHECK_FALSE(snapshot->findMessage(kChat, "mid:2"));
    CHECK(snapshot->messageRevisions(kChat, "mid:1").empty());
    CHECK(snapshot->chatInfo(kChat)->title == "Before");
    CHECK(snapshot->latestSenderName("user:1") == std::optional<std::string>("Ann"));
    CHECK(snapshot->rangeBounds({kChat}).last == std::optional<std::int64_t>(1));
    // The archive itself sees everything.
    CHECK(archive->messageCount(kChat) == 2);
    CHECK(archive->chatInfo(kChat)->title == "After");
    CHECK(archive->latestSenderName("user:1") == std::optional<std::string>("Ann B"));
    CHECK(archive->snapshot()->messageCount(kChat) == 2);  // a new snapshot is of its own moment
}

TEST_CASE("the statistics aggregates report the rows of the range", "[contract][snapshot][stats]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    std::vector<Message> page{makeMessage(kChat, "mid:1", 1000, 1, "a", "user:1", "Ann"),
                              makeMessage(kChat, "mid:2", 2000, 2, "b", "user:2", "Bob"),
                              makeServiceMessage(kChat, "mid:3", 900'000 + 5, 3, "JOIN", "3"),
                              makeServiceMessage(kChat, "mid:4", 900'000 + 7, 4, "JOIN", "4"),
                              makeMessage(kChat, "mid:5", 3'000'000, 5, "c", "user:1", "Ann"),
                              makeMessage("chat:other", "mid:x", 1500, 1, "x", "user:9", "Xi")};
    page[1].replyTo = "mid:1";
    page[4].replyTo = "mid:3";
    addAttachment(page[0], "IMAGE", "{}");
    addAttachment(page[4], "FILE", "{}");
    addAttachment(page[4], "IMAGE", "{}");
    for (const auto& m : page) archive->commitPage(m.chatId, {m}, {});
    const auto snapshot = archive->snapshot();
    const StatsRange all{kChat};
    const StatsRange head{kChat, std::nullopt, 2'500'000};

    const auto bounds = snapshot->rangeBounds(head);
    CHECK(bounds.first == std::optional<std::int64_t>(1000));
    CHECK(bounds.last == std::optional<std::int64_t>(900'007));
    CHECK_FALSE(snapshot->rangeBounds({kChat, 5000, 6000}).first);

    std::vector<std::pair<std::int64_t, std::string>> messages;
    std::map<std::string, std::int64_t> keys;  // mid's key, through the timestamps it is reported with
    snapshot->forEachMessage(all, [&](std::int64_t ts, std::string_view sender, std::int64_t key) {
        messages.emplace_back(ts, std::string(sender));
        keys[std::to_string(ts)] = key;
        CHECK(key <= bounds.maxKey);
    });
    CHECK(messages ==
          std::vector<std::pair<std::int64_t, std::string>>{{1000, "user:1"}, {2000, "user:2"}, {3'000'000, "user:1"}});
    std::vector<std::pair<std::int64_t, std::int64_t>> replies;
    snapshot->forEachReply(all, [&](std::int64_t ts, std::int64_t target) { replies.emplace_back(ts, target); });
    std::sort(replies.begin(), replies.end());
    REQUIRE(replies.size() == 2);
    CHECK(replies[0] == std::pair<std::int64_t, std::int64_t>{2000, keys["1000"]});
    CHECK(snapshot->timestampOfKey(replies[1].second) == std::optional<std::int64_t>(900'005));  // a service target

    std::vector<std::int64_t> service;
    snapshot->forEachServiceMessage(all, [&](std::int64_t key) { service.push_back(key); });
    CHECK(service.size() == 2);
    std::vector<std::tuple<std::int64_t, std::string, std::int64_t>> quarters;
    snapshot->forEachServiceQuarter(all, [&](std::int64_t q, std::optional<std::string_view> type, std::int64_t n) {
        quarters.emplace_back(q, std::string(type.value_or("?")), n);
    });
    CHECK(quarters == std::vector<std::tuple<std::int64_t, std::string, std::int64_t>>{{900'000, "JOIN", 2}});

    std::multiset<std::string> types;
    snapshot->forEachAttachment(keys["3000000"], keys["3000000"], [&](std::int64_t key, std::string_view type) {
        CHECK(key == keys["3000000"]);
        types.insert(std::string(type));
    });
    CHECK(types == std::multiset<std::string>{"FILE", "IMAGE"});
    CHECK_FALSE(snapshot->timestampOfKey(bounds.maxKey + 1));
}
