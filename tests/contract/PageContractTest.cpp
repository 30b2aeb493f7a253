// The page write path: commits, idempotent re-commits, revisions, coverage merging, atomicity, durability.
#include <random>

#include <catch2/catch.hpp>

#include "contract/ArchiveContract.h"
#include "support/ManualEnv.h"
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

std::vector<Message> firstPage(const std::string& chat = kChat) { return test::variedPage(chat); }

}  // namespace

TEST_CASE("a committed page reads back field for field with its coverage", "[contract][commit]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    const auto page = firstPage();
    const auto result = archive->commitPage(kChat, page, {{1000, 4000}});
    CHECK(result.inserted == 4);
    CHECK(result.unchanged == 0);
    CHECK(result.revised == 0);
    CHECK(readAll(*archive, {kChat}) == test::asArchived(page));
    CHECK(archive->messageCount(kChat) == 4);
    CHECK(archive->countMessages({kChat}) == 4);
    CHECK(archive->archivedChatIds() == std::vector<std::string>{kChat});
    CHECK(archive->coverage(kChat).ranges() == std::vector<TimeRange>{{1000, 4000}});
    CHECK(archive->integrityCheck() == "ok");
}

TEST_CASE("re-committing an identical page changes nothing", "[contract][commit]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->commitPage(kChat, firstPage(), {{1000, 4000}});
    const auto result = archive->commitPage(kChat, firstPage(), {{1000, 4000}, {2000, 3000}});
    CHECK(result.inserted == 0);
    CHECK(result.unchanged == 4);
    CHECK(result.revised == 0);
    CHECK(readAll(*archive, {kChat}) == test::asArchived(firstPage()));
    for (const auto& m : firstPage()) CHECK(archive->messageRevisions(kChat, m.mid).empty());
    CHECK(archive->coverage(kChat).ranges() == std::vector<TimeRange>{{1000, 4000}});
}

TEST_CASE("changed content keeps the old version as exactly one revision", "[contract][commit][revisions]") {
    auto backend = freshBackend();
    test::ManualEnv env;
    auto archive = backend->open(env);
    const auto page = firstPage();
    archive->commitPage(kChat, page, {});

    auto edited = makeMessage(kChat, "mid:a", 1000, 10, "first, edited");
    addAttachment(edited, "FILE", R"({"url":"https://f.example/doc.pdf"})");
    auto service = makeServiceMessage(kChat, "mid:c", 3000, 30, "USER_ADDED", "3");
    env.advance(std::chrono::seconds(5));
    const auto result = archive->commitPage(kChat, {edited, page[1], service}, {});
    CHECK(result.inserted == 0);
    CHECK(result.unchanged == 1);
    CHECK(result.revised == 2);
    CHECK(archive->messageCount(kChat) == 4);
    auto archivedEdit = test::asArchived(edited);  // attachments replaced, not added; the earlier version kept
    archivedEdit.editedAtMs = env.wallMs();
    archivedEdit.revisions = {{env.wallMs(), page[0].text, page[0].attachments, page[0].rawJson}};
    CHECK(archive->findMessage(kChat, "mid:a") == archivedEdit);
    auto revisedService = archive->findMessage(kChat, "mid:c").value();
    CHECK(revisedService.revisions.size() == 1);
    revisedService.editedAtMs.reset();
    revisedService.revisions.clear();
    CHECK(revisedService == service);

    auto revisions = archive->messageRevisions(kChat, "mid:a");
    REQUIRE(revisions.size() == 1);
    CHECK(revisions[0].rawJson == page[0].rawJson);
    CHECK(revisions[0].text == page[0].text);
    CHECK(revisions[0].replacedAtMs == env.wallMs());
    CHECK(archive->messageRevisions(kChat, "mid:b").empty());

    // The same edit again is unchanged; a third version adds exactly one more revision, the newest last.
    CHECK(archive->commitPage(kChat, {edited}, {}).unchanged == 1);
    CHECK(archive->messageRevisions(kChat, "mid:a").size() == 1);
    CHECK(archive->commitPage(kChat, {makeMessage(kChat, "mid:a", 1000, 10, "third")}, {}).revised == 1);
    revisions = archive->messageRevisions(kChat, "mid:a");
    REQUIRE(revisions.size() == 2);
    CHECK(revisions[1].rawJson == edited.rawJson);
    CHECK(archive->findMessage(kChat, "mid:a")->text == std::optional<std::string>("third"));
}

TEST_CASE("the latest name of a sender is the one seen at the latest message", "[contract][commit]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->commitPage(kChat,
                        {makeMessage(kChat, "mid:1", 5000, 1, "x", "user:7", "Old Name"),
                         makeMessage(kChat, "mid:2", 3000, 2, "x", "user:7", "Old Name"),
                         makeMessage(kChat, "mid:3", 9000, 3, "x", "user:7", "New Name")},
                        {});
    archive->commitPage(kChat, {makeMessage(kChat, "mid:4", 1000, 4, "x", "user:7", "Old Name")}, {});
    CHECK(archive->latestSenderName("user:7") == std::optional<std::string>("New Name"));
    archive->commitPage("chat:other", {makeMessage("chat:other", "mid:9", 9500, 1, "x", "user:7", "Newest")}, {});
    CHECK(archive->latestSenderName("user:7") == std::optional<std::string>("Newest"));  // across chats
    CHECK_FALSE(archive->latestSenderName("user:nobody"));
}

TEST_CASE("coverage merges across pages and chats stay apart", "[contract][coverage]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->commitPage(kChat, {makeMessage(kChat, "mid:1", 250, 1)}, {{200, 300}});
    archive->commitPage(kChat, {makeMessage(kChat, "mid:2", 150, 2)}, {{100, 199}});  // adjacent: merges
    CHECK(archive->coverage(kChat).ranges() == std::vector<TimeRange>{{100, 300}});
    archive->commitPage(kChat, {}, {{500, 600}, {700, 800}});
    CHECK(archive->coverage(kChat).ranges() == std::vector<TimeRange>{{100, 300}, {500, 600}, {700, 800}});
    archive->commitPage(kChat, {}, {{250, 750}});  // bridges everything
    CHECK(archive->coverage(kChat).ranges() == std::vector<TimeRange>{{100, 800}});
    archive->commitPage("chat:other", {}, {{0, TimeRange::kMax}});
    CHECK(archive->coverage("chat:other").ranges() == std::vector<TimeRange>{{0, TimeRange::kMax}});
    CHECK(archive->coverage(kChat).ranges() == std::vector<TimeRange>{{100, 800}});
    CHECK(archive->coverage("chat:unknown").empty());
}

TEST_CASE("fragmented coverage merges like a plain bitmap says", "[contract][coverage]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    std::mt19937 random(20240601);
    std::vector<bool> covered(200, false);  // the independent expectation: one flag per millisecond
    for (int step = 0; step < 300; ++step) {
        std::int64_t lo = std::uniform_int_distribution<int>(0, 199)(random);
        std::int64_t hi = lo + std::uniform_int_distribution<int>(-1, step % 10 == 0 ? 40 : 3)(random);
        hi = std::min<std::int64_t>(hi, 199);
        for (auto t = lo; t <= hi; ++t) covered[t] = true;
        std::vector<TimeRange> proven{{lo, hi}};
        if (step % 7 == 0) proven.push_back({hi + 2, hi + 2 > 199 ? hi : hi + 2});  // two ranges in one page
        if (step % 7 == 0 && hi + 2 <= 199) covered[hi + 2] = true;
        archive->commitPage(kChat, {}, proven);

        std::vector<TimeRange> expected;
        for (std::int64_t t = 0; t < 200; ++t) {
            if (!covered[t]) continue;
            if (!expected.empty() && expected.back().hi == t - 1)
                expected.back().hi = t;
            else
                expected.push_back({t, t});
        }
        INFO("step " << step);
        REQUIRE(archive->coverage(kChat).ranges() == expected);
    }
}

TEST_CASE("a page holding a message of another chat is refused whole, naming both", "[contract][commit][atomic]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->commitPage(kChat, {makeMessage(kChat, "mid:1", 100, 1)}, {{100, 100}});
    const std::vector<Message> page{makeMessage(kChat, "mid:2", 200, 2), makeMessage("chat:other", "mid:3", 300, 3)};
    CHECK_THROWS_AS(archive->commitPage(kChat, page, {{101, 500}}), StorageError);
    CHECK_THROWS_WITH(archive->commitPage(kChat, page, {{101, 500}}),
                      Catch::Contains("chat:other") && Catch::Contains(kChat));
    CHECK(mids(readAll(*archive, {kChat})) == std::vector<std::string>{"mid:1"});
    CHECK(archive->coverage(kChat).ranges() == std::vector<TimeRange>{{100, 100}});
    CHECK(archive->archivedChatIds() == std::vector<std::string>{kChat});
    // The archive stays usable.
    CHECK(archive->commitPage(kChat, {page[0]}, {{101, 500}}).inserted == 1);
    CHECK(archive->coverage(kChat).ranges() == std::vector<TimeRange>{{100, 500}});
}

TEST_CASE("a committed page survives closing and reopening", "[contract][commit]") {
    auto backend = freshBackend();
    backend->open()->commitPage(kChat, firstPage(), {{1000, 4000}});
    auto archive = backend->open();
    CHECK(readAll(*archive, {kChat}) == test::asArchived(firstPage()));
    CHECK(archive->coverage(kChat).ranges() == std::vector<TimeRange>{{1000, 4000}});
}

namespace {

/// An object the decoder could not read, as it hands it on: raw JSON, why, and a timestamp only if usable.
Message undecodable(const std::string& raw, const std::string& why, std::optional<std::int64_t> timestamp) {
    Message m;
    m.chatId = kChat;
    m.rawJson = raw;
    m.undecodable = why;
    m.hasTimestamp = timestamp.has_value();
    m.timestamp = timestamp.value_or(0);
    return m;
}

}  // namespace

TEST_CASE("undecodable messages go to the quarantine with their page, once each, verbatim", "[contract][commit]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    const auto bigSeq = undecodable(R"({"message":{"mid":"mid:q","seq":1e99},"timestamp":150})", "seq inexact", 150);
    const auto nothing = undecodable("null", "not a JSON object", std::nullopt);
    const std::vector<Message> page{makeMessage(kChat, "mid:1", 200, 1), bigSeq, nothing,
                                    makeMessage(kChat, "mid:2", 100, 2)};
    const auto first = archive->commitPage(kChat, page, {{100, 200}});
    CHECK(first.inserted == 2);
    CHECK(first.quarantined == 2);
    CHECK(mids(readAll(*archive, {kChat})) == std::vector<std::string>{"mid:2", "mid:1"});  // only the decodable
    CHECK(archive->messageCount(kChat) == 2);
    CHECK(archive->coverage(kChat).ranges() == std::vector<TimeRange>{{100, 200}});
    const auto again = archive->commitPage(kChat, page, {{100, 200}});  // a re-fetch quarantines nothing twice
    CHECK(again.quarantined == 0);
    CHECK(again.unchanged == 2);
    const auto kept = archive->quarantined(kChat);
    REQUIRE(kept.size() == 2);
    CHECK(kept[0].rawJson == bigSeq.rawJson);
    CHECK(kept[0].timestamp == std::optional<std::int64_t>(150));
    CHECK(kept[0].reason == "seq inexact");
    CHECK(kept[1].rawJson == "null");
    CHECK_FALSE(kept[1].timestamp);
    CHECK(archive->quarantined("chat:other").empty());
    const auto statuses = archive->chatStatuses();  // status warns about each
    REQUIRE(statuses.size() == 1);
    const auto& warnings = statuses[0].warnings;
    REQUIRE(warnings.size() == 2);
    CHECK(warnings[0].kind == "quarantined");
    CHECK(warnings[0].timestamp == 0);
    CHECK_THAT(warnings[0].detail, Catch::Contains("not a JSON object"));
    CHECK(warnings[1].timestamp == 150);
    CHECK_THAT(warnings[1].detail, Catch::Contains("seq inexact") && Catch::Contains("quarantined"));
}
