// Issue 13: what re-checks observe. Deletion marks only from completely re-paged ranges, restores, the API's flag,
// the re-check pass, the history readers return, the filters and the change statistics.
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

namespace {

const std::string kChat = "chat:C1";

/// Ten messages at 1000, 2000, ... 10000, mids m1..m10.
std::vector<Message> tenMessages() {
    std::vector<Message> page;
    for (int i = 1; i <= 10; ++i)
        page.push_back(makeMessage(kChat, "mid:m" + std::to_string(i), i * 1000, i, "text " + std::to_string(i)));
    return page;
}

std::vector<Message> without(std::vector<Message> page, std::initializer_list<std::string> gone) {
    std::erase_if(page, [&](const Message& m) { return std::find(gone.begin(), gone.end(), m.mid) != gone.end(); });
    return page;
}

std::vector<std::string> deletedMids(Archive& archive) {
    MessageQuery query{kChat};
    query.deleted = true;
    return mids(readAll(archive, query));
}

}  // namespace

TEST_CASE("a re-checked page marks deleted exactly the absent messages inside what it re-paged",
          "[contract][recheck]") {
    auto backend = freshBackend();
    test::ManualEnv env;
    auto archive = backend->open(env);
    archive->commitPage(kChat, tenMessages(), {{1000, 10000}});
    archive->startRecheck(kChat, {1000, 10000});
    env.advance(std::chrono::seconds(3));
    // m3 and m8 are gone; the page re-paged only [5000, 10000]: m3's absence proves nothing yet.
    const auto first = archive->commitRecheckPage(kChat, without(tenMessages(), {"mid:m3", "mid:m8"}), {},
                                                  {{{5000, 10000}}, TimeRange{1000, 4999}});
    CHECK(first.deleted == 1);
    CHECK(first.unchanged == 8);
    CHECK(deletedMids(*archive) == std::vector<std::string>{"mid:m8"});
    const auto m8 = archive->findMessage(kChat, "mid:m8").value();
    CHECK(m8.deletedObservedAtMs == env.wallMs());
    CHECK(m8.text == std::optional<std::string>("text 8"));  // never removed
    CHECK(archive->recheckState(kChat).pending == TimeRange{1000, 4999});

    env.advance(std::chrono::seconds(3));
    const auto second = archive->commitRecheckPage(kChat, without(tenMessages(), {"mid:m3", "mid:m8"}), {},
                                                   {{{1000, 4999}}, std::nullopt});
    CHECK(second.deleted == 1);
    CHECK(deletedMids(*archive) == std::vector<std::string>{"mid:m3", "mid:m8"});
    CHECK(archive->findMessage(kChat, "mid:m3")->deletedObservedAtMs == env.wallMs());
    CHECK(archive->findMessage(kChat, "mid:m8")->deletedObservedAtMs == env.wallMs() - 3000);  // the first sighting
    const auto state = archive->recheckState(kChat);
    CHECK_FALSE(state.pending);
    CHECK(state.lastCompletedAtMs == env.wallMs());
    CHECK(state.lastCompletedRange == TimeRange{1000, 10000});
    CHECK(archive->messageCount(kChat) == 10);
    MessageQuery present{kChat};
    present.deleted = false;
    CHECK(archive->countMessages(present) == 8);
    CHECK(archive->integrityCheck() == "ok");
}

TEST_CASE("an empty re-paged range, or none, marks nothing", "[contract][recheck]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->commitPage(kChat, tenMessages(), {{1000, 10000}});
    archive->startRecheck(kChat, {1000, 10000});
    CHECK(archive->commitRecheckPage(kChat, {}, {}, {{}, TimeRange{1000, 10000}}).deleted == 0);
    CHECK(archive->commitRecheckPage(kChat, {}, {}, {{{11000, 20000}}, std::nullopt}).deleted == 0);
    CHECK(deletedMids(*archive).empty());
}

TEST_CASE("a deleted message that comes back is restored, the flag of the API marks it", "[contract][recheck]") {
    auto backend = freshBackend();
    test::ManualEnv env;
    auto archive = backend->open(env);
    archive->commitPage(kChat, tenMessages(), {{1000, 10000}});
    archive->startRecheck(kChat, {1000, 10000});
    archive->commitRecheckPage(kChat, without(tenMessages(), {"mid:m4"}), {}, {{{1000, 10000}}, std::nullopt});
    REQUIRE(deletedMids(*archive) == std::vector<std::string>{"mid:m4"});

    // Back in any page (not only a re-check's): the mark is cleared.
    const auto back = archive->commitPage(kChat, {tenMessages()[3]}, {});
    CHECK(back.restored == 1);
    CHECK(back.unchanged == 1);
    CHECK(deletedMids(*archive).empty());
    CHECK_FALSE(archive->findMessage(kChat, "mid:m4")->deletedObservedAtMs);

    // include_deleted: the API returns it flagged. Marked, and the flag's raw JSON is a new version.
    auto flagged = tenMessages()[4];
    flagged.flaggedDeleted = true;
    flagged.rawJson.insert(flagged.rawJson.size() - 1, ",\"deleted\":true");
    env.advance(std::chrono::seconds(1));
    const auto marked = archive->commitPage(kChat, {flagged}, {});
    CHECK(marked.deleted == 1);
    CHECK(marked.revised == 1);
    CHECK(archive->findMessage(kChat, "mid:m5")->deletedObservedAtMs == env.wallMs());
    // Flagged again: still marked, nothing new. A new message that arrives flagged is marked at once.
    CHECK(archive->commitPage(kChat, {flagged}, {}).deleted == 0);
    auto fresh = makeMessage(kChat, "mid:new", 11000, 11, "born deleted");
    addAttachment(fresh, "IMAGE", R"({"url":"https://i.example/new.jpg"})");  // its media entry is a row of its own
    fresh.flaggedDeleted = true;
    CHECK(archive->commitPage(kChat, {fresh}, {}).deleted == 1);
    CHECK(deletedMids(*archive) == std::vector<std::string>{"mid:m5", "mid:new"});
}

TEST_CASE("a re-check page that fails to commit leaves no mark and the pass where it was", "[contract][recheck]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->commitPage(kChat, tenMessages(), {{1000, 10000}});
    archive->startRecheck(kChat, {1000, 10000});
    auto page = without(tenMessages(), {"mid:m2"});
    page.push_back(makeMessage("chat:OTHER", "mid:x", 5000, 99, "another chat"));  // refused whole
    CHECK_THROWS(archive->commitRecheckPage(kChat, page, {}, {{{1000, 10000}}, std::nullopt}));
    CHECK(deletedMids(*archive).empty());
    CHECK(archive->recheckState(kChat).pending == TimeRange{1000, 10000});
}

TEST_CASE("an edit keeps the earlier version with its attachments, and filters and statistics see changes",
          "[contract][recheck][revisions]") {
    auto backend = freshBackend();
    test::ManualEnv env;
    auto archive = backend->open(env);
    auto original = tenMessages();
    addAttachment(original[1], "FILE", R"({"url":"https://f.example/a.pdf"})");
    archive->commitPage(kChat, original, {{1000, 10000}});
    const auto firstSeen = env.wallMs();
    CHECK_FALSE(archive->findMessage(kChat, "mid:m2")->editedAtMs);

    env.advance(std::chrono::seconds(10));
    const auto editedAt = env.wallMs();
    auto edited = makeMessage(kChat, "mid:m2", 2000, 2, "text 2, edited");
    archive->startRecheck(kChat, {1000, 10000});
    auto page = tenMessages();
    page[1] = edited;
    const auto result = archive->commitRecheckPage(kChat, without(page, {"mid:m9"}), {}, {{{1000, 10000}}, {}});
    CHECK(result.revised == 1);
    CHECK(result.deleted == 1);

    const auto m2 = archive->findMessage(kChat, "mid:m2").value();
    CHECK(m2.editedAtMs == editedAt);
    REQUIRE(m2.revisions.size() == 1);
    CHECK(m2.revisions[0].replacedAtMs == editedAt);
    CHECK(m2.revisions[0].text == std::optional<std::string>("text 2"));
    CHECK(m2.revisions[0].rawJson == original[1].rawJson);
    CHECK(m2.revisions[0].attachments == std::vector<Attachment>{{"FILE", R"({"url":"https://f.example/a.pdf"})"}});
    CHECK(m2.attachments.empty());
    CHECK(firstSeen < editedAt);

    MessageQuery editedOnly{kChat};
    editedOnly.edited = true;
    CHECK(mids(readAll(*archive, editedOnly)) == std::vector<std::string>{"mid:m2"});
    CHECK(archive->countMessages(editedOnly) == 1);
    MessageQuery unchanged{kChat};
    unchanged.edited = false;
    unchanged.deleted = false;
    CHECK(archive->countMessages(unchanged) == 8);
    for (const auto& m : readAll(*archive, unchanged)) CHECK(matchesQuery(unchanged, m));
    for (const auto& m : readAll(*archive, editedOnly)) CHECK(matchesQuery(editedOnly, m));

    auto snapshot = archive->snapshot();
    std::vector<std::tuple<std::int64_t, std::string, ChangeKind>> changes;
    snapshot->forEachChange({kChat}, [&](std::int64_t at, std::string_view sender, ChangeKind kind) {
        changes.emplace_back(at, std::string(sender), kind);
    });
    CHECK(changes == std::vector<std::tuple<std::int64_t, std::string, ChangeKind>>{
                         {editedAt, "user:1", ChangeKind::Edit}, {editedAt, "user:1", ChangeKind::Deletion}});
    changes.clear();
    snapshot->forEachChange({kChat, 3000, std::nullopt}, [&](std::int64_t at, std::string_view s, ChangeKind k) {
        changes.emplace_back(at, std::string(s), k);
    });
    CHECK(changes.size() == 1);  // only m9's deletion lies in [3000, ...)

    const auto statuses = archive->chatStatuses();
    REQUIRE(statuses.size() == 1);
    CHECK(statuses[0].revisions == 1);
    CHECK(statuses[0].deletions == 1);
    CHECK(statuses[0].lastRecheckAtMs == editedAt);
    CHECK_FALSE(statuses[0].recheckPending);
}

TEST_CASE("a re-check page without an open pass marks what it proves but opens no pass", "[contract][recheck]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->commitPage(kChat, tenMessages(), {{1000, 10000}});
    const auto result =
        archive->commitRecheckPage(kChat, without(tenMessages(), {"mid:m6"}), {}, {{{1000, 10000}}, TimeRange{1, 999}});
    CHECK(result.deleted == 1);
    const auto state = archive->recheckState(kChat);
    CHECK_FALSE(state.pending);
    CHECK_FALSE(state.passStartedAtMs);
    CHECK_FALSE(state.lastCompletedAtMs);

    // A pass replaced before it completes: the new window is the one that completes.
    archive->startRecheck(kChat, {1000, 10000});
    archive->commitRecheckPage(kChat, tenMessages(), {}, {{{6000, 10000}}, TimeRange{1000, 5999}});
    archive->startRecheck(kChat, {3000, 10000});
    CHECK(archive->recheckState(kChat).pending == TimeRange{3000, 10000});
    archive->commitRecheckPage(kChat, tenMessages(), {}, {{{3000, 10000}}, std::nullopt});
    CHECK(archive->recheckState(kChat).lastCompletedRange == TimeRange{3000, 10000});
    CHECK(deletedMids(*archive).empty());  // m6 came back with the page
}

TEST_CASE("change statistics leave out the bot's own digests when asked", "[contract][recheck][ledger]") {
    auto backend = freshBackend();
    test::ManualEnv env;
    auto archive = backend->open(env);
    const auto id = archive->recordDigestIntent(kChat, {0, 1, "p"}, "text 3", false, 0);
    archive->recordDigestPosted(id, 0);
    archive->commitPage(kChat, tenMessages(), {{1000, 10000}});
    REQUIRE(archive->tagArchivedDigests(kChat, 0) == 1);  // m3, the digest the bot posted
    env.advance(std::chrono::seconds(1));
    archive->startRecheck(kChat, {1000, 10000});
    archive->commitRecheckPage(kChat, without(tenMessages(), {"mid:m3", "mid:m5"}), {},
                               {{{1000, 10000}}, std::nullopt});
    auto snapshot = archive->snapshot();
    const auto changesOf = [&](bool excludeDigests) {
        std::vector<std::int64_t> at;
        StatsRange range{kChat};
        range.excludeDigests = excludeDigests;
        snapshot->forEachChange(range, [&](std::int64_t when, std::string_view, ChangeKind kind) {
            CHECK(kind == ChangeKind::Deletion);
            at.push_back(when);
        });
        return at;
    };
    CHECK(changesOf(false) == std::vector<std::int64_t>{env.wallMs(), env.wallMs()});
    CHECK(changesOf(true) == std::vector<std::int64_t>{env.wallMs()});
}
