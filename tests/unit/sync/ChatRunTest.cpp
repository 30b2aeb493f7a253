#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "domain/Errors.h"
#include "support/FailingArchive.h"
#include "support/ManualEnv.h"
#include "support/ScriptedHistory.h"
#include "sync/ChatRun.h"

using namespace okarchive;
using okarchive::testing::ScriptedHistory;

namespace {

struct TempDb {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("okarchive-run-" + std::to_string(std::random_device{}()) + ".db");
    ~TempDb() {
        for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + s);
    }
};

/// History from ScriptedHistory, metadata from a map the test edits; every metadata call is counted.
class ScriptedSources : public ChatSources {
public:
    ScriptedHistory history;
    std::map<std::string, ChatInfo> chats;
    int describes = 0, lists = 0;
    std::function<void()> failDescribe;  ///< throws, when set

    std::vector<Message> fetch(const std::string& chatId, const HistoryRequest& request) override {
        return history.fetch(chatId, request);
    }
    ChatInfo describe(const std::string& chatId) override {
        ++describes;
        if (failDescribe) failDescribe();
        return chats.at(chatId);
    }
    std::vector<ChatInfo> listChats() override {
        ++lists;
        std::vector<ChatInfo> all;
        for (const auto& [id, info] : chats) all.push_back(info);
        return all;
    }
    void setTitle(const std::string& chatId, const std::string& title) {
        chats[chatId] = {chatId, "CHAT", "ACTIVE", title, std::nullopt, 3, R"({"title":")" + title + "\"}"};
    }
    void addServiceMessage(std::int64_t timestamp, const std::string& type) {
        history.add(timestamp);
        history.messages.back().service = ServiceEvent{type, std::string("user:7")};
    }
};

std::optional<SyncRunRecord> lastRun(Archive& archive, const std::string& chatId) {
    for (const auto& status : archive.chatStatuses())
        if (status.chatId == chatId) return status.lastRun;
    return std::nullopt;
}

const std::string kChat = "chat:T";

/// A fresh archive, a hand-driven Env, scripted sources and the ChatRun under test over them.
struct RunFixture {
    TempDb db;
    const std::unique_ptr<Archive> owned = openArchive(db.path.string());
    Archive& archive = *owned;
    test::ManualEnv env;
    ScriptedSources sources;
    ChatRun run{archive, sources, env};
};

}  // namespace

TEST_CASE_METHOD(RunFixture,
                 "a chat named by id gets its metadata on its first sync and keeps it without asking again") {
    sources.setTitle(kChat, "Клуб любителей");
    for (int i = 0; i < 150; ++i) sources.history.add(1'600'000'000'000 + i * 7);

    const auto first = run.run(kChat, {});
    REQUIRE(first.ok);
    CHECK(first.messagesNew == 150);
    CHECK(sources.describes == 1);
    REQUIRE(archive.chatInfo(kChat));
    CHECK(archive.chatInfo(kChat)->title == "Клуб любителей");

    sources.setTitle(kChat, "renamed, but no chat event says so");
    const auto second = run.run(kChat, {});
    REQUIRE(second.ok);
    CHECK(second.messagesNew == 0);
    CHECK(sources.describes == 1);
    CHECK(archive.chatInfo(kChat)->title == "Клуб любителей");
}

TEST_CASE_METHOD(RunFixture,
                 "a run that archives a new chat event refreshes the metadata but an old one re-fetched does not") {
    sources.setTitle(kChat, "before");
    for (int i = 0; i < 40; ++i) sources.history.add(1'600'000'000'000 + i * 7);
    sources.addServiceMessage(1'600'000'001'000, "JOIN");
    REQUIRE(run.run(kChat, {}).ok);
    CHECK(sources.describes == 1);  // the first sync's own fetch; the events it archived are already reflected

    sources.setTitle(kChat, "after");
    sources.history.add(1'600'000'002'000);  // a plain message: the page re-fetches the old JOIN too
    auto plain = run.run(kChat, {});
    REQUIRE(plain.ok);
    CHECK(plain.messagesNew == 1);
    CHECK(plain.chatEventsNew == 0);
    CHECK(sources.describes == 1);

    sources.addServiceMessage(1'600'000'003'000, "TITLE");
    auto event = run.run(kChat, {});
    REQUIRE(event.ok);
    CHECK(event.chatEventsNew == 1);
    CHECK(sources.describes == 2);
    CHECK(archive.chatInfo(kChat)->title == "after");
}

TEST_CASE_METHOD(RunFixture, "a refresh that fails is a warning, not a failed sync") {
    sources.setTitle(kChat, "kept");
    sources.history.add(1'600'000'000'000);
    REQUIRE(run.run(kChat, {}).ok);
    sources.addServiceMessage(1'600'000'000'500, "EXIT");
    sources.failDescribe = [] { throw ApiError("GET /me/chat/chat:T: HTTP 503", 0, 503); };
    const auto result = run.run(kChat, {});
    CHECK(result.ok);
    REQUIRE(result.warnings.size() == 1);
    CHECK_THAT(result.warnings[0], Catch::Contains("chat:T") && Catch::Contains("metadata"));
    CHECK(archive.chatInfo(kChat)->title == "kept");
}

TEST_CASE_METHOD(RunFixture, "a stop during the metadata refresh ends the run as stopped and records nothing") {
    sources.setTitle(kChat, "t");
    sources.history.add(1'600'000'000'000);
    REQUIRE(run.run(kChat, {}).ok);
    const auto before = lastRun(archive, kChat);
    REQUIRE(before);
    env.advance(std::chrono::minutes(5));
    sources.addServiceMessage(1'600'000'000'500, "JOIN");
    sources.failDescribe = [] { throw Cancelled("GET /me/chat/chat:T: abandoned: stopping"); };
    const auto result = run.run(kChat, {});
    CHECK(result.stopped);
    CHECK(result.warnings.empty());
    CHECK(lastRun(archive, kChat)->finishedAtMs == before->finishedAtMs);  // no new run row
}

TEST_CASE_METHOD(RunFixture, "every run is recorded with the Env's wall times and a failed one names its error") {
    env.setWallBase(1'750'000'000'000);
    sources.setTitle(kChat, "t");
    sources.history.add(1'600'000'000'000);
    sources.history.failAfterRequests = 0;
    const auto failed = run.run(kChat, {});
    CHECK_FALSE(failed.ok);
    CHECK_THAT(failed.error, Catch::Contains("scripted failure"));
    auto record = lastRun(archive, kChat);
    REQUIRE(record);
    CHECK(record->result == "failed");
    CHECK(record->error == failed.error);
    CHECK(record->startedAtMs == env.wallMs());

    env.advance(std::chrono::seconds(90));
    REQUIRE(run.run(kChat, {}).ok);
    record = lastRun(archive, kChat);
    CHECK(record->result == "ok");
    CHECK(record->messagesAdded == 1);
    CHECK(record->finishedAtMs == 1'750'000'090'000);
}

TEST_CASE_METHOD(RunFixture,
                 "a refused token is recorded, then stops everything, while a stop request records nothing") {
    sources.setTitle(kChat, "t");
    sources.failDescribe = [] { throw AuthError("PARAM_SESSION_EXPIRED", 102, 200); };
    REQUIRE_THROWS_AS(run.run(kChat, {}), AuthError);
    REQUIRE(lastRun(archive, kChat));
    CHECK(lastRun(archive, kChat)->result == "failed");

    TempDb other;
    const auto freshOwned = openArchive(other.path.string());
    Archive& fresh = *freshOwned;
    ScriptedSources quiet;
    quiet.setTitle(kChat, "t");
    for (int i = 0; i < 500; ++i) quiet.history.add(1'600'000'000'000 + i);
    ChatRun stopping(fresh, quiet, env);
    const auto stopped = stopping.run(kChat, {100, {}, [&] { return quiet.history.requests.size() >= 2; }});
    CHECK(stopped.stopped);
    CHECK(stopped.messagesNew > 0);
    CHECK_FALSE(lastRun(fresh, kChat));
}

TEST_CASE_METHOD(RunFixture,
                 "resolve: a list is taken as given and all lists the bot's chats and stores their metadata") {
    sources.setTitle("chat:A", "a");
    sources.setTitle("chat:B", "b");
    CHECK(run.resolve({"chat:X", "chat:Y"}) == std::vector<std::string>{"chat:X", "chat:Y"});
    CHECK(sources.lists == 0);
    CHECK(run.resolve({"all"}) == std::vector<std::string>{"chat:A", "chat:B"});
    CHECK(sources.lists == 1);
    REQUIRE(archive.chatInfo("chat:B"));
    CHECK(archive.chatInfo("chat:B")->title == "b");
}

TEST_CASE_METHOD(RunFixture, "an archive refusing writes fails the run on the first cause and never throws") {
    sources.setTitle(kChat, "t");
    archive.upsertChat(sources.chats.at(kChat));  // known already: no metadata to fetch
    for (int i = 0; i < 150; ++i) sources.history.add(1'600'000'000'000 + i * 7);
    test::FailingArchive full(archive);
    ChatRun failing(full, sources, env);

    ChatSyncResult result;
    REQUIRE_NOTHROW(result = failing.run(kChat, {}));
    CHECK_FALSE(result.ok);
    CHECK_FALSE(result.stopped);
    REQUIRE(full.failures.size() >= 2);
    CHECK(full.failures.front() != "record a sync run");
    CHECK_THAT(result.error, Catch::Contains("cannot " + full.failures.front() + ": database or disk is full"));
    CHECK(full.failures.back() == "record a sync run");  // it tried to record the run all the same
    CHECK(archive.messageCount(kChat) == 0);
}

TEST_CASE_METHOD(RunFixture, "an archive that can neither be read nor written fails the run, it does not throw") {
    sources.setTitle(kChat, "t");
    sources.history.add(1'600'000'000'000);
    test::FailingArchive gone(archive);
    gone.failReads = true;
    ChatRun failing(gone, sources, env);
    ChatSyncResult result;
    REQUIRE_NOTHROW(result = failing.run(kChat, {}));
    CHECK_FALSE(result.ok);
    CHECK_THAT(result.error, Catch::Contains("cannot read a chat"));
    CHECK(result.messagesTotal == 0);
}

TEST_CASE_METHOD(RunFixture, "a run the archive cannot record is a failed run naming why") {
    sources.setTitle(kChat, "t");
    sources.history.add(1'600'000'000'000);
    test::FailingArchive unrecorded(archive);
    unrecorded.only = "record a sync run";
    ChatRun failing(unrecorded, sources, env);
    const auto result = failing.run(kChat, {});
    CHECK_FALSE(result.ok);
    CHECK_THAT(result.error, Catch::Contains("cannot record a sync run"));
    CHECK(archive.messageCount(kChat) == 1);  // the page itself was kept
}

TEST_CASE_METHOD(RunFixture, "resolve all keeps every listed chat when the archive cannot store their metadata") {
    sources.setTitle("chat:A", "a");
    sources.setTitle("chat:B", "b");
    test::FailingArchive full(archive);
    ChatRun failing(full, sources, env);
    CHECK(failing.resolve({"all"}) == std::vector<std::string>{"chat:A", "chat:B"});
}
