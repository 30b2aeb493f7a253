// The digest ledger: intents before a POST, outcomes after, exactly once per period, tagging archived digests.
#include <chrono>
#include <limits>

#include <catch2/catch.hpp>

#include "contract/ArchiveContract.h"
#include "support/ManualEnv.h"
#include "unit/store/StoreTestSupport.h"

using namespace okarchive;
using okarchive::contract::freshBackend;
using okarchive::test::makeMessage;

namespace {

const std::string kChat = "chat:L";
const DigestPeriod kDay{86'400'000, 2 * 86'400'000, "day 2"};
/// An attempt time no message was archived after: findArchivedText then goes by the timestamp alone.
constexpr std::int64_t kByTimestampOnly = std::numeric_limits<std::int64_t>::max();

}  // namespace

TEST_CASE("an intent is renewed per period, forced ones stand apart, outcomes are recorded", "[contract][ledger]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    CHECK_FALSE(archive->findDigest(kChat, kDay.start, kDay.end));
    const auto id = archive->recordDigestIntent(kChat, kDay, "digest", false, 100);
    CHECK(archive->neverArchivedChatIds() == std::vector<std::string>{kChat});  // registers the chat
    auto row = archive->findDigest(kChat, kDay.start, kDay.end);
    REQUIRE(row);
    CHECK(row->id == id);
    CHECK(row->state == "intent");
    CHECK(row->attempts == 1);
    CHECK(row->attemptedAt == 100);
    CHECK(row->period.label == "day 2");
    CHECK_FALSE(row->postedAt);

    archive->recordDigestFailure(id, "HTTP 500");
    CHECK(archive->findDigest(kChat, kDay.start, kDay.end)->lastError == "HTTP 500");
    CHECK(archive->recordDigestIntent(kChat, kDay, "digest", false, 200) == id);  // the same row, renewed
    row = archive->findDigest(kChat, kDay.start, kDay.end);
    CHECK(row->attempts == 2);
    CHECK(row->attemptedAt == 200);

    const auto forced = archive->recordDigestIntent(kChat, kDay, "digest again", true, 300);
    CHECK(forced != id);
    CHECK(archive->findDigest(kChat, kDay.start, kDay.end)->id == id);  // forced rows are outside the once rule

    archive->recordDigestPosted(id, 250);
    row = archive->findDigest(kChat, kDay.start, kDay.end);
    CHECK(row->state == "posted");
    CHECK(row->postedAt == std::optional<std::int64_t>(250));
    CHECK(row->lastError.empty());  // a success clears the error

    const auto all = archive->digests(kChat);
    REQUIRE(all.size() == 2);
    CHECK(all[0].id == id);
    CHECK_FALSE(all[0].forced);
    CHECK(all[1].forced);
    CHECK(all[1].text == "digest again");
    CHECK(archive->digests("chat:none").empty());
}

TEST_CASE("pending digests are the unforced intents, oldest period first", "[contract][ledger]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    const DigestPeriod earlier{0, 86'400'000, "day 1"};
    archive->recordDigestIntent(kChat, kDay, "second", false, 10);
    archive->recordDigestIntent(kChat, earlier, "first", false, 20);
    archive->recordDigestIntent(kChat, {0, 1, "forced"}, "forced", true, 30);
    const auto posted = archive->recordDigestIntent(kChat, {5, 6, "posted"}, "posted", false, 40);
    archive->recordDigestPosted(posted, 50);
    const auto pending = archive->pendingDigests(kChat);
    REQUIRE(pending.size() == 2);
    CHECK(pending[0].first.label == "day 1");
    CHECK(pending[0].second == "first");
    CHECK(pending[1].first.start == kDay.start);
    CHECK(pending[1].first.end == kDay.end);
    CHECK(pending[1].second == "second");
}

TEST_CASE("archived digests are found by their exact text and tagged once", "[contract][ledger]") {
    auto backend = freshBackend();
    okarchive::test::ManualEnv clock;  // ours: the attempts' and the archive's stamps
    auto archive = backend->open(clock);
    const std::int64_t attempt = 1'000'000;
    clock.setWallBase(attempt - 1'000);
    archive->commitPage(kChat,
                        {makeMessage(kChat, "mid:early", attempt - 20'000, 1, "Chat digest"),
                         makeMessage(kChat, "mid:before", attempt - 10'000, 4, "the newest before the attempt")},
                        {});
    const auto id = archive->recordDigestIntent(kChat, kDay, "Chat digest", false, attempt);
    clock.setWallBase(attempt + 1'000);
    // Stamped by the server's clock, which is behind ours: before `attempt`, yet after the newest archived message.
    archive->commitPage(kChat,
                        {makeMessage(kChat, "mid:near", attempt - 5'000, 2, "Chat digest"),
                         makeMessage(kChat, "mid:other", attempt + 1, 3, "Chat digest, but longer")},
                        {});
    CHECK(archive->findArchivedText(kChat, "Chat digest", attempt - 10'000, kByTimestampOnly));
    CHECK_FALSE(archive->findArchivedText(kChat, "Chat digest", attempt, kByTimestampOnly));
    CHECK_FALSE(archive->findArchivedText("chat:none", "Chat digest", 0, 0));

    CHECK(archive->tagArchivedDigests(kChat, 10'000) == 0);  // only posted digests are tagged
    archive->recordDigestPosted(id, attempt + 10);
    CHECK(archive->tagArchivedDigests(kChat, 10'000) == 1);
    CHECK(archive->tagArchivedDigests(kChat, 10'000) == 0);
    const auto row = archive->findDigest(kChat, kDay.start, kDay.end);
    REQUIRE(row->messageKey);
    MessageQuery query{kChat};
    query.excludeDigests = true;
    CHECK(contract::mids(contract::readAll(*archive, query)) ==
          std::vector<std::string>{"mid:early", "mid:before", "mid:other"});
}

TEST_CASE("an intent records where to look for it by the server's clock: the newest archived timestamp",
          "[contract][ledger]") {
    auto backend = freshBackend();
    okarchive::test::ManualEnv clock;  // ours: the attempts' and the archive's stamps
    clock.setWallBase(10);
    auto archive = backend->open(clock);
    const auto empty = archive->recordDigestIntent(kChat, kDay, "digest", false, clock.wallMs());
    CHECK(archive->findDigest(kChat, kDay.start, kDay.end)->searchFrom == std::optional<std::int64_t>(0));
    // Our clock says 15 (an hour behind, or ahead: it does not matter); the server stamps messages by its own.
    clock.setWallBase(15);
    archive->commitPage(kChat,
                        {makeMessage(kChat, "mid:1", 5'000'000, 1), makeMessage(kChat, "mid:2", 7'000'000, 2),
                         makeMessage(kChat, "mid:old", 6'000'000, 3, "digest")},  // before the attempt: not it
                        {});
    clock.setWallBase(20);
    CHECK(archive->recordDigestIntent(kChat, kDay, "digest", false, clock.wallMs()) == empty);  // renewed
    const auto row = archive->findDigest(kChat, kDay.start, kDay.end);
    CHECK(row->searchFrom == std::optional<std::int64_t>(7'000'000));
    CHECK(row->attemptedAt == 20);
    // Posted and archived later by the server's clock, far from ours: found and tagged from searchFrom on.
    archive->recordDigestPosted(empty, 30);
    CHECK(archive->tagArchivedDigests(kChat, 0) == 0);
    clock.setWallBase(40);
    archive->commitPage(kChat, {makeMessage(kChat, "mid:bot", 7'000'001, 4, "digest")}, {});
    CHECK(archive->tagArchivedDigests(kChat, 0) == 1);
    CHECK(archive->findDigest(kChat, kDay.start, kDay.end)->messageKey);
    CHECK(archive->findArchivedText(kChat, "digest", 7'000'000, kByTimestampOnly) !=
          archive->findArchivedText(kChat, "digest", 0, kByTimestampOnly));
}

TEST_CASE("an attempt's post is found by when it was archived, though a message stamped in the future came before",
          "[contract][ledger]") {
    auto backend = freshBackend();
    okarchive::test::ManualEnv clock;  // the clock of the attempts and of the archive's stamps
    clock.setWallBase(1'700'000'000'000);
    auto archive = backend->open(clock);
    const std::int64_t year2100 = 4'102'444'800'000;  // an odd server's stamp, within what the decoder accepts
    archive->commitPage(kChat,
                        {makeMessage(kChat, "mid:future", year2100, 1, "from the future"),
                         makeMessage(kChat, "mid:before", 1'600'000'000'000, 2, "digest")},
                        {});
    clock.advance(std::chrono::seconds(1));
    const auto id = archive->recordDigestIntent(kChat, kDay, "digest", false, clock.wallMs());
    const auto row = archive->findDigest(kChat, kDay.start, kDay.end);
    REQUIRE(row->searchFrom == std::optional<std::int64_t>(year2100));  // the newest archived stamp: no help
    CHECK_FALSE(archive->findArchivedText(kChat, "digest", *row->searchFrom, row->attemptedAt));  // mid:before: older
    clock.advance(std::chrono::seconds(60));  // a later sync archives the post the server stamped by its clock
    archive->commitPage(kChat, {makeMessage(kChat, "mid:bot", 1'700'000'030'000, 3, "digest")}, {});
    const auto found = archive->findArchivedText(kChat, "digest", *row->searchFrom, row->attemptedAt);
    REQUIRE(found);
    archive->recordDigestPosted(id, clock.wallMs());
    CHECK(archive->tagArchivedDigests(kChat, 0) == 1);
    CHECK(archive->findDigest(kChat, kDay.start, kDay.end)->messageKey == found);
}

TEST_CASE("untaggedDigestMessages names what tagging would link, one message per digest, and links nothing",
          "[contract][ledger]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    // Three posts of one text (a digest posted again with --force), two of them archived so far.
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 3; ++i) {
        ids.push_back(archive->recordDigestIntent(kChat, kDay, "Chat digest", true, 0));
        archive->recordDigestPosted(ids.back(), 0);
    }
    archive->commitPage(kChat,
                        {makeMessage(kChat, "mid:1", 1'000, 1, "Chat digest", "user:bot", "bot"),
                         makeMessage(kChat, "mid:2", 2'000, 2, "a person"),
                         makeMessage(kChat, "mid:3", 3'000, 3, "Chat digest", "user:bot", "bot")},
                        {});
    const auto keys = archive->untaggedDigestMessages(kChat, 0);
    REQUIRE(keys.size() == 2);  // each archived post once, never the same message for two digests
    CHECK(keys.front() != keys.back());
    CHECK(archive->untaggedDigestMessages(kChat, 0) == keys);  // nothing was linked
    CHECK(archive->untaggedDigestMessages("chat:none", 0).empty());
    REQUIRE(archive->tagArchivedDigests(kChat, 0) == 2);  // the same two
    MessageQuery query{kChat};
    query.excludeDigests = true;
    CHECK(contract::mids(contract::readAll(*archive, query)) == std::vector<std::string>{"mid:2"});
    CHECK(archive->untaggedDigestMessages(kChat, 0).empty());
}
