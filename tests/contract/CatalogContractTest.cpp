// The chat catalog, the run log and the warnings, and the status built from them.
#include <catch2/catch.hpp>

#include "contract/ArchiveContract.h"
#include "support/ManualEnv.h"
#include "unit/store/StoreTestSupport.h"

using namespace okarchive;
using okarchive::contract::freshBackend;
using okarchive::test::makeMessage;

namespace {

const ChatInfo kInfo{
    "chat:A", "CHAT", "ACTIVE", "Title one", "user:9", 12, R"({"chat_id":"chat:A","title":"Title one"})"};

ChatInfo renamed() {
    ChatInfo info = kInfo;
    info.title = "Title two";
    info.ownerId.reset();
    info.participantsCount.reset();
    info.rawJson = R"({"chat_id":"chat:A","title":"Title two"})";
    return info;
}

}  // namespace

TEST_CASE("the catalog registers chats and keeps the latest metadata", "[contract][catalog]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->ensureChat("chat:B");
    archive->ensureChat("chat:B");
    CHECK_FALSE(archive->chatInfo("chat:B"));  // registered, never described
    CHECK_FALSE(archive->chatInfo("chat:nowhere"));
    archive->upsertChat(kInfo);
    archive->upsertChat(kInfo);
    CHECK(archive->chatInfo("chat:A") == kInfo);
    archive->upsertChat(renamed());
    CHECK(archive->chatInfo("chat:A") == renamed());
    archive->ensureChat("chat:A");  // keeps what is known
    CHECK(archive->chatInfo("chat:A") == renamed());
    CHECK(archive->archivedChatIds().empty());  // known, but nothing of them archived yet
    CHECK(archive->neverArchivedChatIds() == std::vector<std::string>{"chat:A", "chat:B"});
}

TEST_CASE("the discovered bound semantics are kept per chat", "[contract][catalog]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->upsertChat(kInfo);
    CHECK_FALSE(archive->fromBoundInclusive("chat:A").has_value());
    CHECK_FALSE(archive->fromBoundInclusive("chat:nowhere").has_value());
    archive->setFromBoundInclusive("chat:A", true);
    archive->setFromBoundInclusive("chat:B", false);  // registers the chat
    CHECK(archive->fromBoundInclusive("chat:A") == std::optional<bool>(true));
    CHECK(archive->fromBoundInclusive("chat:B") == std::optional<bool>(false));
    archive->upsertChat(renamed());  // metadata updates keep the discovered bound
    CHECK(archive->fromBoundInclusive("chat:A") == std::optional<bool>(true));
    CHECK(archive->neverArchivedChatIds() == std::vector<std::string>{"chat:A", "chat:B"});
}

TEST_CASE("a chat only failed syncs named is never archived, until a page or a sync succeeds", "[contract][catalog]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    const std::string typo = "chat:" + std::string(100'000, 'x');  // a mistyped --chat, however long
    archive->recordSyncRun({typo, 1, 2, "failed", 0, 1, "error 300: not found"});
    archive->recordSyncRun({"chat:empty", 1, 2, "failed", 0, 1, "HTTP 500"});
    archive->commitPage("chat:paged", {makeMessage("chat:paged", "mid:1", 100, 1)}, {{100, 100}});
    CHECK(archive->archivedChatIds() == std::vector<std::string>{"chat:paged"});
    CHECK(archive->neverArchivedChatIds() == std::vector<std::string>{"chat:empty", typo});
    archive->recordSyncRun({"chat:empty", 3, 4, "ok", 0, 1, ""});  // a chat with no messages, synced: archived
    CHECK(archive->archivedChatIds() == std::vector<std::string>{"chat:empty", "chat:paged"});
    archive->recordSyncRun({"chat:empty", 5, 6, "failed", 0, 1, "HTTP 500"});  // a later failure changes nothing
    CHECK(archive->neverArchivedChatIds() == std::vector<std::string>{typo});
    const auto statuses = archive->chatStatuses();  // status still tells about every chat, archived or not
    REQUIRE(statuses.size() == 3);
    CHECK(statuses[0].archived);
    CHECK(statuses[1].archived);
    CHECK_FALSE(statuses[2].archived);
    CHECK(statuses[2].chatId == typo);
    CHECK(statuses[2].lastRun->error == "error 300: not found");
}

TEST_CASE("warnings are recorded once per (chat, kind, timestamp), stamped by the Env", "[contract][runlog]") {
    auto backend = freshBackend();
    test::ManualEnv env;
    auto archive = backend->open(env);
    SyncWarning warning{"chat:A", "cluster_overflow", 1500, "101 messages at 1500", 77};
    archive->recordWarning(warning);
    warning.detail = "again";
    archive->recordWarning(warning);
    archive->recordWarning({"chat:A", "cluster_overflow", 1600, "other ms", 0});
    archive->recordWarning({"chat:A", "another_kind", 1500, "same ms", 0});
    const auto statuses = archive->chatStatuses();
    REQUIRE(statuses.size() == 1);
    const auto& warnings = statuses[0].warnings;
    REQUIRE(warnings.size() == 3);
    CHECK(warnings[0].kind == "another_kind");            // by timestamp, then kind
    CHECK(warnings[1].detail == "101 messages at 1500");  // the first record stands
    CHECK(warnings[1].recordedAtMs == 77);
    CHECK(warnings[2].timestamp == 1600);
    CHECK(warnings[2].recordedAtMs == env.wallMs());
}

TEST_CASE("sync runs are logged in order and the status shows the last one to finish", "[contract][runlog]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->recordSyncRun({"chat:A", 10, 20, "failed", 0, 3, "HTTP 500 from api.ok.ru"});
    archive->recordSyncRun({"chat:A", 30, 40, "ok", 4, 2, ""});
    archive->recordSyncRun({"chat:C", 5, 6, "ok", 0, 1, ""});  // registers the chat
    const auto runs = archive->syncRuns("chat:A");
    REQUIRE(runs.size() == 2);
    CHECK(runs[0].result == "failed");
    CHECK(runs[0].error == "HTTP 500 from api.ok.ru");
    CHECK(runs[0].requests == 3);
    CHECK(runs[1].finishedAtMs == 40);
    CHECK(runs[1].error.empty());
    CHECK(archive->syncRuns("chat:none").empty());
    CHECK(archive->archivedChatIds() == std::vector<std::string>{"chat:A", "chat:C"});
}

TEST_CASE("chat statuses gather metadata, counts, the last run, coverage and warnings", "[contract][runlog]") {
    auto backend = freshBackend();
    auto archive = backend->open();
    archive->upsertChat(renamed());
    archive->ensureChat("chat:B");
    archive->recordSyncRun({"chat:A", 30, 40, "ok", 4, 2, ""});
    archive->recordSyncRun({"chat:A", 10, 20, "failed", 0, 3, "late record of an earlier run"});
    archive->recordWarning({"chat:A", "cluster_overflow", 1500, "x", 1});
    archive->commitPage("chat:A", {makeMessage("chat:A", "mid:1", 1000, 1), makeMessage("chat:A", "mid:2", 4000, 2)},
                        {{1000, 4000}, {6000, 7000}});

    const auto statuses = archive->chatStatuses();
    REQUIRE(statuses.size() == 2);
    const auto& a = statuses[0];
    CHECK(a.chatId == "chat:A");
    CHECK(a.info == std::optional<ChatInfo>(renamed()));
    CHECK(a.messages == 2);
    CHECK(a.oldestTimestamp == std::optional<std::int64_t>(1000));
    CHECK(a.newestTimestamp == std::optional<std::int64_t>(4000));
    REQUIRE(a.lastRun.has_value());
    CHECK(a.lastRun->result == "ok");  // finished last, though recorded first
    CHECK(a.lastRun->startedAtMs == 30);
    CHECK(a.lastRun->messagesAdded == 4);
    CHECK(a.coverage == std::vector<TimeRange>{{1000, 4000}, {6000, 7000}});
    CHECK(a.warnings.size() == 1);

    const auto& b = statuses[1];
    CHECK(b.chatId == "chat:B");
    CHECK_FALSE(b.info.has_value());
    CHECK(b.messages == 0);
    CHECK_FALSE(b.oldestTimestamp.has_value());
    CHECK_FALSE(b.lastRun.has_value());
    CHECK(b.coverage.empty());
    CHECK(b.warnings.empty());
}
