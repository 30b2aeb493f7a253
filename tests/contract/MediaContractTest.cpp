// The media ledger: entries made by commitPage, fresh links versus real edits, downloads' outcomes, counts, the
// read-only path and concurrent writers.
#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "contract/ArchiveContract.h"
#include "support/ManualEnv.h"
#include "unit/store/StoreTestSupport.h"

using namespace okarchive;
using okarchive::contract::freshBackend;
using okarchive::contract::readAll;
using okarchive::test::addAttachment;
using okarchive::test::makeMessage;

namespace {

const std::string kChat = "chat:M1";
const std::string kSha = std::string(64, 'a');
const std::string kOtherSha = std::string(64, 'b');

/// A message with an IMAGE (signed link `sig`), a SHARE (a page: no media) and a FILE with an id.
Message withMedia(const std::string& mid, std::int64_t ts, const std::string& sig = "s1",
                  const std::string& text = "look") {
    auto m = makeMessage(kChat, mid, ts, ts, text);
    addAttachment(m, "IMAGE", R"({"url":"https://cdn.example/i/)" + mid + R"(.png?expires=1&sig=)" + sig + R"("})");
    addAttachment(m, "SHARE", R"({"url":"https://ya.ru/"})");
    addAttachment(m, "FILE", R"({"id":"f-)" + mid + R"(","url":"https://cdn.example/f?sig=)" + sig + R"("})");
    return m;
}

MediaOutcome savedOutcome(const std::string& sha = kSha, std::int64_t bytes = 1234, std::int64_t at = 5) {
    MediaOutcome outcome;
    outcome.state = MediaState::Saved;
    outcome.httpStatus = 200;
    outcome.bytes = bytes;
    outcome.sha256 = sha;
    outcome.mime = "image/png";
    outcome.atMs = at;
    return outcome;
}

MediaOutcome failedOutcome(MediaState state = MediaState::FailedTransient, std::int64_t at = 5) {
    MediaOutcome outcome;
    outcome.state = state;
    outcome.httpStatus = 503;
    outcome.error = "cdn.example: HTTP 503";
    outcome.atMs = at;
    return outcome;
}

const MediaItem* itemAt(const std::vector<MediaItem>& items, const std::string& mid, int position) {
    for (const auto& item : items)
        if (item.mid == mid && item.position == position) return &item;
    return nullptr;
}

}  // namespace

TEST_CASE("a new message's attachments with media get pending entries, pages and buttons none", "[contract][media]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->commitPage(kChat, {withMedia("mid:1", 1000)}, {});
    const auto items = archive->mediaItems(kChat, std::nullopt);
    REQUIRE(items.size() == 2);
    CHECK(items[0].position == 0);
    CHECK(items[0].type == "IMAGE");
    CHECK(items[0].url == "https://cdn.example/i/mid:1.png?expires=1&sig=s1");
    CHECK(items[0].identity == "IMAGE:link:https://cdn.example/i/mid:1.png");
    CHECK(items[0].timestamp == 1000);
    CHECK(items[0].media == AttachmentMedia{});
    CHECK(items[0].attempts == 0);
    CHECK_FALSE(items[0].firstTryAtMs);
    CHECK(items[1].position == 2);
    CHECK(items[1].identity == "FILE:id:f-mid:1");
    // Readers carry the entry on the attachments that have one.
    const auto read = archive->findMessage(kChat, "mid:1");
    REQUIRE(read);
    CHECK(read->attachments[0].media == AttachmentMedia{});
    CHECK_FALSE(read->attachments[1].media);
    CHECK(read->attachments[2].media == AttachmentMedia{});
    CHECK(archive->seedMedia(kChat) == 0);  // nothing archived before the ledger
}

TEST_CASE("an identical re-commit leaves the media ledger as it was", "[contract][media]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->commitPage(kChat, {withMedia("mid:1", 1000)}, {});
    archive->recordMediaOutcome(kChat, "mid:1", 0, savedOutcome());
    archive->recordMediaOutcome(kChat, "mid:1", 2, failedOutcome());
    const auto before = archive->mediaItems(std::nullopt, std::nullopt);
    const auto result = archive->commitPage(kChat, {withMedia("mid:1", 1000)}, {});
    CHECK(result.unchanged == 1);
    CHECK(result.linksRefreshed == 0);
    const auto after = archive->mediaItems(std::nullopt, std::nullopt);
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
        CHECK(after[i].url == before[i].url);
        CHECK(after[i].media == before[i].media);
        CHECK(after[i].attempts == before[i].attempts);
    }
}

TEST_CASE("fresh links are no edit: saved stays saved, a failed entry becomes pending with its attempts",
          "[contract][media]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->commitPage(kChat, {withMedia("mid:1", 1000)}, {});
    archive->recordMediaOutcome(kChat, "mid:1", 0, savedOutcome());
    archive->recordMediaOutcome(kChat, "mid:1", 2, failedOutcome(MediaState::FailedPermanent));

    const auto fresh = withMedia("mid:1", 1000, "s2");
    const auto result = archive->commitPage(kChat, {fresh}, {});
    CHECK(result.linksRefreshed == 1);
    CHECK(result.revised == 0);
    CHECK(result.unchanged == 0);
    CHECK(archive->messageRevisions(kChat, "mid:1").empty());
    const auto read = archive->findMessage(kChat, "mid:1");
    REQUIRE(read);
    CHECK(read->rawJson == fresh.rawJson);
    CHECK(read->attachments[0].payloadJson == fresh.attachments[0].payloadJson);

    const auto items = archive->mediaItems(kChat, std::nullopt);
    REQUIRE(items.size() == 2);
    CHECK(items[0].url == "https://cdn.example/i/mid:1.png?expires=1&sig=s2");
    CHECK(items[0].media.state == MediaState::Saved);
    CHECK(items[0].media.sha256 == kSha);
    CHECK(items[1].url == "https://cdn.example/f?sig=s2");
    CHECK(items[1].media.state == MediaState::Pending);
    CHECK(items[1].attempts == 1);
    CHECK(items[1].media.reason == "cdn.example: HTTP 503");  // the last error stays told
}

TEST_CASE("a real edit that changes the media keeps the earlier saved file findable", "[contract][media]") {
    auto backend = freshBackend();
    test::ManualEnv env;
    auto archive = backend->open(env);
    archive->commitPage(kChat, {withMedia("mid:1", 1000)}, {});
    archive->recordMediaOutcome(kChat, "mid:1", 0, savedOutcome());
    archive->recordMediaOutcome(kChat, "mid:1", 2, savedOutcome(kOtherSha, 99));

    // The edit puts another image at position 0, keeps the text and takes the file away.
    auto edited = makeMessage(kChat, "mid:1", 1000, 1000, "look again");
    addAttachment(edited, "IMAGE", R"({"url":"https://cdn.example/i/other.png?sig=s3"})");
    env.advance(std::chrono::seconds(7));
    CHECK(archive->commitPage(kChat, {edited}, {}).revised == 1);

    const auto items = archive->mediaItems(kChat, std::nullopt);
    REQUIRE(items.size() == 1);
    CHECK(items[0].identity == "IMAGE:link:https://cdn.example/i/other.png");
    CHECK(items[0].media == AttachmentMedia{});
    CHECK(items[0].attempts == 0);

    const auto revisions = archive->mediaRevisions(kChat, "mid:1");
    REQUIRE(revisions.size() == 2);
    CHECK(revisions[0].position == 0);
    CHECK(revisions[0].identity == "IMAGE:link:https://cdn.example/i/mid:1.png");
    CHECK(revisions[0].media.sha256 == kSha);
    CHECK(revisions[0].replacedAtMs == env.wallMs());
    CHECK(revisions[1].position == 2);
    CHECK(revisions[1].media.state == MediaState::Saved);
    const auto earlier = archive->savedMedia("FILE:id:f-mid:1");
    REQUIRE(earlier);
    CHECK(earlier->sha256 == kOtherSha);
    CHECK(earlier->bytes == 99);
    CHECK(archive->integrityCheck() == "ok");
}

TEST_CASE("mediaToFetch gives pending and retryable entries, newest message first, up to the limit",
          "[contract][media]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->commitPage(kChat, {withMedia("mid:1", 1000), withMedia("mid:2", 2000), withMedia("mid:3", 3000)}, {});
    archive->recordMediaOutcome(kChat, "mid:3", 0, savedOutcome());
    archive->recordMediaOutcome(kChat, "mid:3", 2, failedOutcome(MediaState::FailedPermanent));
    archive->recordMediaOutcome(kChat, "mid:2", 0, failedOutcome());
    archive->recordMediaOutcome(kChat, "mid:2", 0, failedOutcome());
    archive->recordMediaOutcome(kChat, "mid:2", 2, failedOutcome());
    const auto all = archive->mediaToFetch(kChat, 100, 2);
    REQUIRE(all.size() == 3);
    CHECK((all[0].mid == "mid:2" && all[0].position == 2));  // tried once, fewer than 2
    CHECK((all[1].mid == "mid:1" && all[1].position == 0));
    CHECK((all[2].mid == "mid:1" && all[2].position == 2));
    CHECK(archive->mediaToFetch(kChat, 2, 3).size() == 2);
    CHECK(archive->mediaToFetch(kChat, 100, 3).front().mid == "mid:2");
    CHECK(archive->mediaToFetch("chat:none", 100, 3).empty());
}

TEST_CASE("outcomes are recorded with their times, a saved entry stays saved, a replaced identity is left alone",
          "[contract][media]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->commitPage(kChat, {withMedia("mid:1", 1000)}, {});
    archive->recordMediaOutcome(kChat, "mid:1", 0, failedOutcome(MediaState::FailedTransient, 10));
    archive->recordMediaOutcome(kChat, "mid:1", 0, savedOutcome(kSha, 1234, 20));
    archive->recordMediaOutcome(kChat, "mid:1", 0, failedOutcome(MediaState::FailedTransient, 30));
    archive->recordMediaRefresh(kChat, "mid:1", 0);
    auto items = archive->mediaItems(kChat, MediaState::Saved);
    REQUIRE(items.size() == 1);
    CHECK(items[0].attempts == 2);
    CHECK(items[0].refreshes == 1);
    CHECK(items[0].firstTryAtMs == 10);
    CHECK(items[0].lastTryAtMs == 20);
    CHECK(items[0].httpStatus == 200);
    CHECK(items[0].media == AttachmentMedia{MediaState::Saved, kSha, 1234, "image/png", ""});
    CHECK(archive->savedMedia(items[0].identity) == items[0].media);
    CHECK_FALSE(archive->savedMedia("IMAGE:link:https://nowhere.example/x"));

    auto stale = failedOutcome(MediaState::FailedPermanent);
    stale.identity = "FILE:id:something-else";
    archive->recordMediaOutcome(kChat, "mid:1", 2, stale);
    CHECK(archive->mediaItems(kChat, MediaState::Pending).size() == 1);
    stale.identity = "FILE:id:f-mid:1";
    archive->recordMediaOutcome(kChat, "mid:1", 2, stale);
    CHECK(archive->mediaItems(kChat, MediaState::FailedPermanent).size() == 1);

    auto broken = savedOutcome();
    broken.sha256 = "not hex";
    CHECK_THROWS_AS(archive->recordMediaOutcome(kChat, "mid:1", 2, broken), StorageError);
}

TEST_CASE("media counts by chat, type and state, and of what a query selects", "[contract][media]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->commitPage(kChat, {withMedia("mid:1", 1000, "s", "alpha"), withMedia("mid:2", 2000, "s", "beta")}, {});
    archive->commitPage("chat:M2", {makeMessage("chat:M2", "mid:x", 5, 5)}, {});
    archive->recordMediaOutcome(kChat, "mid:1", 0, savedOutcome(kSha, 100));
    archive->recordMediaOutcome(kChat, "mid:2", 0, savedOutcome(kOtherSha, 20));
    auto skipped = failedOutcome(MediaState::SkippedPolicy);
    skipped.bytes = 7'000'000;
    archive->recordMediaOutcome(kChat, "mid:2", 2, skipped);

    const auto counts = archive->mediaCounts(std::optional<std::string>(kChat));
    REQUIRE(counts.size() == 3);
    CHECK((counts[0].type == "FILE" && counts[0].state == MediaState::Pending && counts[0].files == 1));
    CHECK((counts[1].type == "FILE" && counts[1].state == MediaState::SkippedPolicy && counts[1].bytes == 7'000'000));
    CHECK((counts[2].type == "IMAGE" && counts[2].state == MediaState::Saved && counts[2].files == 2 &&
           counts[2].bytes == 120));
    CHECK(archive->mediaCounts(std::nullopt).size() == 3);
    CHECK(archive->mediaCounts(std::optional<std::string>("chat:M2")).empty());

    MessageQuery period{kChat, 1500, 3000};
    auto snapshot = archive->snapshot();
    const auto inPeriod = snapshot->mediaCounts(period);
    REQUIRE(inPeriod.size() == 2);
    CHECK((inPeriod[0].chatId == kChat && inPeriod[0].type == "FILE" && inPeriod[0].files == 1));
    CHECK((inPeriod[1].type == "IMAGE" && inPeriod[1].state == MediaState::Saved && inPeriod[1].bytes == 20));
    MessageQuery text{kChat};
    text.contains = "ALPHA";
    const auto byText = archive->mediaCounts(text);
    REQUIRE(byText.size() == 2);
    CHECK((byText[0].type == "FILE" && byText[0].state == MediaState::Pending));
    CHECK((byText[1].type == "IMAGE" && byText[1].bytes == 100));
}

TEST_CASE("a read-only archive reads the ledger: counts, items and the media on attachments", "[contract][media]") {
    auto backend = freshBackend();
    {
        auto writer = backend->open();
        writer->commitPage(kChat, {withMedia("mid:1", 1000)}, {});
        writer->recordMediaOutcome(kChat, "mid:1", 0, savedOutcome());
    }
    auto reader = backend->openReadOnly();
    CHECK(reader->mediaCounts(std::nullopt).size() == 2);
    CHECK(reader->mediaItems(kChat, MediaState::Saved).size() == 1);
    CHECK(reader->savedMedia("IMAGE:link:https://cdn.example/i/mid:1.png"));
    const auto messages = readAll(*reader, {kChat});
    REQUIRE(messages.size() == 1);
    REQUIRE(messages[0].attachments[0].media);
    CHECK(messages[0].attachments[0].media->sha256 == kSha);
    CHECK(reader->snapshot()->mediaCounts(MessageQuery{kChat}).size() == 2);
    CHECK_THROWS_AS(reader->recordMediaOutcome(kChat, "mid:1", 2, savedOutcome()), StorageError);
}

TEST_CASE("two writers recording outcomes at once lose none of them", "[contract][media][concurrency]") {
    auto backend = freshBackend();
    constexpr int kMessages = 30;
    {
        std::vector<Message> page;
        for (int i = 0; i < kMessages; ++i) page.push_back(withMedia("mid:" + std::to_string(i), 1000 + i));
        backend->open()->commitPage(kChat, page, {});
    }
    std::atomic<int> failures{0};
    auto worker = [&](int position) {
        try {
            auto archive = backend->open();
            for (int i = 0; i < kMessages; ++i) {
                const auto mid = "mid:" + std::to_string(i);
                archive->recordMediaOutcome(kChat, mid, position, failedOutcome());
                archive->recordMediaOutcome(kChat, mid, 0, failedOutcome());  // both write this one
                archive->commitPage(kChat, {withMedia(mid, 1000 + i, "w" + std::to_string(position))}, {});
            }
        } catch (const std::exception& e) {
            UNSCOPED_INFO(e.what());
            ++failures;
        }
    };
    std::thread a(worker, 0), b(worker, 2);
    a.join();
    b.join();
    REQUIRE(failures == 0);
    auto archive = backend->open();
    const auto items = archive->mediaItems(kChat, std::nullopt);
    REQUIRE(items.size() == 2 * kMessages);
    for (int i = 0; i < kMessages; ++i) {
        const auto mid = "mid:" + std::to_string(i);
        REQUIRE(itemAt(items, mid, 0));
        CHECK(itemAt(items, mid, 0)->attempts == 3);
        CHECK(itemAt(items, mid, 2)->attempts == 1);
    }
    CHECK(archive->integrityCheck() == "ok");
}
