#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include <fmt/format.h>

#include "domain/Errors.h"
#include "domain/MediaLink.h"
#include "support/FailingArchive.h"
#include "support/ManualEnv.h"
#include "sync/ChatRun.h"

using namespace okarchive;
using namespace std::chrono_literals;

namespace {

constexpr const char* kChat = "chat:M";

struct TempDb {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("okarchive-media-" + std::to_string(std::random_device{}()) + ".db");
    ~TempDb() {
        for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + s);
    }
};

/// One attachment of the scripted chat: its type and media id (the link is minted per request, like OK's CDN).
struct ScriptedAttachment {
    std::string type;
    std::string id;
};

/// A chat whose history mints a fresh signed link (sig=<request number>) into every attachment each time a page is
/// served, as OK does; every request is counted. Thread-safe (the refresh re-fetch runs after paging).
class MintingSources : public ChatSources {
public:
    /// One message per millisecond 1000, 2000, ...; newest first when served.
    void add(std::vector<ScriptedAttachment> attachments) {
        std::lock_guard lock(_mutex);
        _messages.push_back(std::move(attachments));
    }
    /// The request with this number (0-based) waits until `release` says so (or 20 s, which only a bug reaches).
    void holdRequest(int number, std::function<bool()> release) {
        std::lock_guard lock(_mutex);
        _hold = number;
        _release = std::move(release);
    }
    void wake() { _changed.notify_all(); }
    int requests() const {
        std::lock_guard lock(_mutex);
        return _requests;
    }
    bool releasedInTime = true;  ///< whether the held request's release came within its 20 s
    bool signedLinks = true;     ///< links carry expires= and sig= (false: a plain link)

    std::vector<Message> fetch(const std::string& chatId, const HistoryRequest& r) override {
        std::unique_lock lock(_mutex);
        const int number = _requests++;
        if (number == _hold) releasedInTime = _changed.wait_for(lock, 20s, [&] { return _release(); });
        std::vector<Message> page;
        for (std::size_t i = _messages.size(); i-- > 0;) {
            const std::int64_t t = 1000 * static_cast<std::int64_t>(i + 1);
            if ((r.from && t > *r.from) || t < r.to) continue;  // both bounds inclusive
            if (static_cast<int>(page.size()) < r.count) page.push_back(message(chatId, i, t, number));
        }
        return page;
    }
    ChatInfo describe(const std::string& chatId) override {
        return {chatId, "CHAT", "ACTIVE", "media", std::nullopt, 2, R"({"title":"media"})"};
    }
    std::vector<ChatInfo> listChats() override { return {describe(kChat)}; }

    std::string linkOf(const std::string& id, int sig) const {
        if (!signedLinks) return "https://media.example/" + id;
        return fmt::format("https://media.example/{}?expires=9999999999999&sig={}", id, sig);
    }

private:
    Message message(const std::string& chatId, std::size_t index, std::int64_t t, int sig) const {
        Message m;
        m.chatId = chatId;
        m.seq = static_cast<std::int64_t>(index) + 1;
        m.mid = fmt::format("mid:M.{}", index);
        m.timestamp = t;
        m.text = "m";
        std::string attachments;
        for (const auto& a : _messages[index]) {
            const auto payload = fmt::format(R"({{"url":"{}"}})", linkOf(a.id, sig));
            m.attachments.emplace_back(a.type, payload);
            attachments +=
                fmt::format("{}{{\"type\":\"{}\",\"payload\":{}}}", attachments.empty() ? "" : ",", a.type, payload);
        }
        m.rawJson = fmt::format(R"({{"mid":"{}","timestamp":{},"attachments":[{}]}})", m.mid, t, attachments);
        return m;
    }

    mutable std::mutex _mutex;
    std::condition_variable _changed;
    std::vector<std::vector<ScriptedAttachment>> _messages;
    int _requests = 0;
    int _hold = -1;
    std::function<bool()> _release;
};

/// A media room in memory: each link answers what `answer` says (saved by default); every request is recorded.
struct FakeMedia {
    std::mutex mutex;
    std::vector<std::string> urls;
    std::function<FetchedMedia(const std::string& url, int requestNumber)> answer;
    std::set<std::string> held;  ///< hashes in "the store"
    std::function<void()> onFetch;

    static FetchedMedia saved(const std::string& url) {
        FetchedMedia f;
        f.outcome.state = MediaState::Saved;
        f.outcome.httpStatus = 200;
        f.outcome.sha256 = std::string(64, 'a' + static_cast<char>(std::hash<std::string>{}(stableLink(url)) % 6));
        f.outcome.bytes = 100;
        f.outcome.mime = "image/png";
        return f;
    }
    static FetchedMedia failed(MediaState state, int status, bool linkRefused = false) {
        FetchedMedia f;
        f.outcome.state = state;
        f.outcome.httpStatus = status;
        f.outcome.error = fmt::format("media.example answered {}", status);
        f.linkRefused = linkRefused;
        return f;
    }

    MediaAccess access() {
        return {[this](const std::string& url, const std::string&, const Cancellation& cancel) {
                    if (onFetch) onFetch();
                    if (cancel.cancelled()) throw Cancelled("stopped");
                    std::lock_guard lock(mutex);
                    urls.push_back(url);
                    auto f = answer ? answer(url, static_cast<int>(urls.size()) - 1) : saved(url);
                    if (f.outcome.state == MediaState::Saved) held.insert(f.outcome.sha256);
                    return f;
                },
                [this](const std::string& sha, std::int64_t) {
                    std::lock_guard lock(mutex);
                    return held.count(sha) > 0;
                }};
    }
    std::size_t requests() {
        std::lock_guard lock(mutex);
        return urls.size();
    }
};

struct Fixture {
    TempDb db;
    test::ManualEnv env;
    std::unique_ptr<Archive> archive = openArchive(db.path.string(), env);
    std::unique_ptr<Archive> ledger = openArchive(db.path.string(), env);
    MintingSources sources;
    FakeMedia media;
    MediaPlan plan;

    Fixture() {
        plan.config.types = {"IMAGE", "VIDEO", "AUDIO", "FILE", "STICKER", "CONTACT", "OTHER"};
        plan.config.workers = 2;
        plan.config.maxAttempts = 5;
    }
    ChatSyncResult run(int pageSize = 100, const Cancellation& stop = Cancellation::never()) {
        plan.access = media.access();
        ChatRun chatRun(*archive, sources, env);
        ChatRunOptions options{pageSize, {}, {}, &plan, ledger.get(), &stop};
        return chatRun.run(kChat, options);
    }
    std::map<std::string, MediaItem> items() {
        std::map<std::string, MediaItem> byKey;
        for (auto& item : archive->mediaItems(std::string(kChat), std::nullopt))
            byKey[fmt::format("{}#{}", item.mid, item.position)] = item;
        return byKey;
    }
};

}  // namespace

TEST_CASE("media: every attachment of a sync is downloaded and saved, a rerun fetches nothing") {
    Fixture f;
    for (int i = 0; i < 5; ++i) f.sources.add({{"IMAGE", fmt::format("img{}", i)}, {"FILE", fmt::format("f{}", i)}});
    const auto first = f.run();
    REQUIRE(first.ok);
    CHECK(first.media.saved == 10);
    CHECK(first.media.failed == 0);
    CHECK(f.media.requests() == 10);
    for (const auto& [key, item] : f.items()) {
        CHECK(item.media.state == MediaState::Saved);
        CHECK(item.media.sha256 == FakeMedia::saved(item.url).outcome.sha256);
        CHECK(item.attempts == 1);
    }
    const auto second = f.run();
    REQUIRE(second.ok);
    CHECK(f.media.requests() == 10);
    CHECK(second.media.saved == 0);
}

TEST_CASE("media: downloads run while paging goes on, not after it") {
    Fixture f;
    for (int i = 0; i < 6; ++i) f.sources.add({{"IMAGE", fmt::format("img{}", i)}});
    // The second page is answered only once a download has happened: a pipeline that downloads after paging would
    // keep it waiting for 20 s and the check below fails.
    f.sources.holdRequest(1, [&] { return f.media.requests() > 0; });
    f.media.onFetch = [&] { f.sources.wake(); };
    const auto result = f.run(3);
    REQUIRE(result.ok);
    CHECK(f.media.requests() == 6);
    CHECK(result.media.saved == 6);
    CHECK(f.sources.releasedInTime);
}

TEST_CASE("media: one identity is downloaded once, a saved identity is reused without a request") {
    Fixture f;
    f.sources.add({{"IMAGE", "same"}, {"IMAGE", "same"}});
    f.sources.add({{"IMAGE", "same"}});
    const auto result = f.run();
    REQUIRE(result.ok);
    CHECK(f.media.requests() == 1);
    CHECK(result.media.saved == 3);
    CHECK(result.media.reused == 2);
    for (const auto& [key, item] : f.items()) CHECK(item.media.state == MediaState::Saved);
}

TEST_CASE("media: a saved identity whose file is gone from the store is downloaded again") {
    Fixture f;
    f.sources.add({{"IMAGE", "gone"}});
    REQUIRE(f.run().ok);
    f.media.held.clear();
    f.sources.add({{"IMAGE", "gone"}});
    const auto result = f.run();
    CHECK(f.media.requests() == 2);
    CHECK(result.media.reused == 0);
}

TEST_CASE("media: types media.types does not list are skipped_policy with the reason, never fetched") {
    Fixture f;
    f.plan.config.types = {"IMAGE"};
    f.sources.add({{"IMAGE", "i"}, {"STICKER", "s"}, {"GIFT", "g"}});
    const auto result = f.run();
    REQUIRE(result.ok);
    CHECK(f.media.requests() == 1);
    CHECK(result.media.skipped == 2);
    const auto items = f.items();
    CHECK(items.at("mid:M.0#1").media.state == MediaState::SkippedPolicy);
    CHECK(items.at("mid:M.0#1").media.reason == "media.types does not list STICKER");
    CHECK(items.at("mid:M.0#2").media.reason == "media.types does not list OTHER (the type GIFT)");
}

TEST_CASE("media: a transient failure is retried in the same run, then given up after media.max_attempts") {
    Fixture f;
    f.sources.add({{"IMAGE", "flaky"}, {"IMAGE", "broken"}});
    f.plan.config.maxAttempts = 4;
    std::map<std::string, int> tries;
    f.media.answer = [&](const std::string& url, int) {
        const int n = tries[stableLink(url)]++;
        if (url.find("flaky") != std::string::npos && n >= 2) return FakeMedia::saved(url);
        return FakeMedia::failed(MediaState::FailedTransient, 500);
    };
    const auto result = f.run();
    REQUIRE(result.ok);  // media failing never fails the sync
    CHECK(result.media.saved == 1);
    CHECK(result.media.failed == 1);
    const auto items = f.items();
    CHECK(items.at("mid:M.0#0").media.state == MediaState::Saved);
    CHECK(items.at("mid:M.0#0").attempts == 3);
    CHECK(items.at("mid:M.0#1").media.state == MediaState::FailedPermanent);
    CHECK(items.at("mid:M.0#1").attempts == 4);
    CHECK_THAT(items.at("mid:M.0#1").media.reason, Catch::Contains("500") && Catch::Contains("4 attempts"));
    CHECK(f.media.requests() == 3 + 4);
    // The next sync re-fetches the message with a fresh link: the failed entry gets that one try, the saved none.
    const auto rerun = f.run();
    CHECK(f.media.requests() == 3 + 4 + 1);
    CHECK(rerun.media.failed == 1);
    CHECK(f.items().at("mid:M.0#1").media.state == MediaState::FailedPermanent);
}

TEST_CASE("media: a refused signed link is refreshed through the API and saved, no revision") {
    Fixture f;
    f.sources.add({{"VIDEO", "v"}});
    f.sources.add({{"IMAGE", "i"}});
    // Links of the first page ever served (sig=0) are expired, as the simulator's expired-first fault.
    f.media.answer = [&](const std::string& url, int) {
        if (url.ends_with("sig=0")) return FakeMedia::failed(MediaState::FailedPermanent, 403, true);
        return FakeMedia::saved(url);
    };
    const auto result = f.run();
    REQUIRE(result.ok);
    CHECK(result.messagesRevised == 0);
    CHECK(result.media.saved == 2);
    // Paging may re-serve the oldest message (sig=1) before its first download: only a refused link is refreshed.
    std::map<std::string, int> refused;
    for (const auto& url : f.media.urls)
        if (url.ends_with("sig=0")) ++refused[stableLink(url)];
    CHECK(refused.count("https://media.example/i") == 1);  // the newest message is served only by the first page
    for (const auto& [key, item] : f.items()) {
        CHECK(item.media.state == MediaState::Saved);
        CHECK(item.refreshes == refused[stableLink(item.url)]);
        CHECK_FALSE(item.url.ends_with("sig=0"));
    }
    CHECK(f.archive->findMessage(kChat, "mid:M.0")->rawJson.find("sig=0") == std::string::npos);
}

TEST_CASE("media: a link refused after 2 fresh links is expired, saying so") {
    Fixture f;
    f.sources.add({{"IMAGE", "i"}});
    f.media.answer = [&](const std::string&, int) { return FakeMedia::failed(MediaState::FailedPermanent, 403, true); };
    const auto result = f.run();
    REQUIRE(result.ok);
    CHECK(result.media.expired == 1);
    CHECK(f.media.requests() == 3);
    const auto item = f.items().at("mid:M.0#0");
    CHECK(item.media.state == MediaState::Expired);
    CHECK(item.media.reason == "the platform no longer serves it: 403 after 2 fresh links");
    CHECK(item.refreshes == 2);
    // A later sync's fresh link is tried once (the platform may serve it again), refreshed no more.
    f.run();
    CHECK(f.media.requests() == 4);
    CHECK(f.items().at("mid:M.0#0").media.state == MediaState::Expired);
    CHECK(f.items().at("mid:M.0#0").refreshes == 2);
}

TEST_CASE("media: a refused link without an expiry is failed_permanent, with no refresh") {
    Fixture f;
    f.sources.signedLinks = false;
    f.sources.add({{"IMAGE", "i"}});
    f.media.answer = [&](const std::string&, int) { return FakeMedia::failed(MediaState::FailedPermanent, 404, true); };
    const auto result = f.run();
    REQUIRE(result.ok);
    CHECK(result.media.failed == 1);
    CHECK(f.media.requests() == 1);
    const auto item = f.items().at("mid:M.0#0");
    CHECK(item.media.state == MediaState::FailedPermanent);
    CHECK(item.refreshes == 0);
}

TEST_CASE("media: with media.download = none nothing is fetched and the entries stay pending, counted") {
    Fixture f;
    f.plan.config.download = false;
    f.sources.add({{"IMAGE", "a"}, {"AUDIO", "b"}});
    const auto result = f.run();
    REQUIRE(result.ok);
    CHECK(f.media.requests() == 0);
    CHECK_FALSE(result.media.downloading);
    CHECK(result.media.pending == 2);
    for (const auto& [key, item] : f.items()) CHECK(item.media.state == MediaState::Pending);
}

TEST_CASE("media: a stop ends the downloads at once, keeps what was saved, leaves the rest pending") {
    Fixture f;
    for (int i = 0; i < 4; ++i) f.sources.add({{"IMAGE", fmt::format("img{}", i)}});
    f.plan.config.workers = 1;
    Cancellation stop;
    f.media.onFetch = [&] {
        if (f.media.requests() == 2) stop.cancel();  // the third download is the one a SIGTERM interrupts
    };
    const auto result = f.run(100, stop);
    CHECK(result.stopped);
    CHECK(result.media.saved == 2);
    std::map<MediaState, int> states;
    for (const auto& [key, item] : f.items()) ++states[item.media.state];
    CHECK(states[MediaState::Saved] == 2);
    CHECK(states[MediaState::Pending] == 2);
}

TEST_CASE("media: downloadChatMedia fetches what a sync left pending, without paging") {
    Fixture f;
    f.plan.config.download = false;
    f.sources.add({{"IMAGE", "a"}, {"AUDIO", "b"}});
    REQUIRE(f.run().media.pending == 2);
    const int pagesBefore = f.sources.requests();
    f.plan.config.download = true;
    f.plan.access = f.media.access();
    const auto counts = downloadChatMedia(*f.ledger, f.sources, kChat, f.plan, Cancellation::never(), f.env);
    CHECK(counts.saved == 2);
    CHECK(f.media.requests() == 2);
    CHECK(f.sources.requests() == pagesBefore);
    for (const auto& [key, item] : f.items()) CHECK(item.media.state == MediaState::Saved);
}

TEST_CASE("media: a ledger that cannot record an outcome fails the chat run naming it, never waits forever") {
    Fixture f;
    f.sources.add({{"IMAGE", "img"}});  // the last download of a round: no later post would report the failure
    test::FailingArchive full(*f.ledger);
    full.only = "record media";
    f.plan.access = f.media.access();
    ChatRun chatRun(*f.archive, f.sources, f.env);
    const ChatRunOptions options{100, {}, {}, &f.plan, &full, nullptr};
    const auto result = chatRun.run(kChat, options);
    CHECK_FALSE(result.ok);
    CHECK_THAT(result.error, Catch::Contains("cannot record media") && Catch::Contains("disk is full"));
    CHECK(f.archive->findMessage(kChat, "mid:M.0"));  // the message stays archived
    for (const auto& [key, item] : f.items()) CHECK(item.media.state == MediaState::Pending);  // fetched next run
}
