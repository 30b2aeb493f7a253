#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "api/GraphClient.h"
#include "domain/RateLimiter.h"
#include "domain/Errors.h"
#include "support/ManualEnv.h"
#include "unit/api/ScriptedServer.h"

using namespace okarchive;
using namespace okarchive::test;
using namespace std::chrono_literals;

namespace {

/// The system's Env that also tells the test when a wait has begun, so it can cancel a wait in progress without
/// guessing how long to sleep.
class WaitSignallingEnv : public Env {
public:
    TimePoint now() const override { return Env::system().now(); }
    std::int64_t wallMs() const override { return Env::system().wallMs(); }
    bool sleepUntil(TimePoint deadline, const Cancellation& cancel) override {
        if (deadline > now()) {
            std::lock_guard lock(_mutex);
            ++_waits;
            _changed.notify_all();
        }
        return Env::system().sleepUntil(deadline, cancel);
    }
    void awaitWait() {
        std::unique_lock lock(_mutex);
        REQUIRE(_changed.wait_for(lock, 30s, [&] { return _waits > 0; }));
    }

private:
    std::mutex _mutex;
    std::condition_variable _changed;
    int _waits = 0;
};

GraphClientSettings settingsFor(const std::string& baseUrl) {
    GraphClientSettings s;
    s.baseUrl = baseUrl;
    s.accessToken = "tkn1SECRET";
    s.timeout = 60s;
    s.retry.maxRetries = 5;
    s.retry.baseDelay = 60s;
    s.retry.maxDelay = 60s;
    s.retry.deadline = 600s;
    return s;
}

/// Runs `call` on another thread, cancels once `started` says the wait is on, and returns how long the call took
/// after the cancel and whether it ended with Cancelled.
template <class Call, class Started>
std::pair<std::chrono::steady_clock::duration, bool> cancelDuring(Cancellation& cancel, Call call, Started started) {
    bool cancelled = false;
    std::thread worker([&] {
        try {
            call();
        } catch (const Cancelled&) {
            cancelled = true;
        } catch (...) {}
    });
    try {
        started();
    } catch (...) {  // a failed assertion: end the worker before reporting it (never leave a joinable thread)
        cancel.cancel();
        worker.join();
        throw;
    }
    const auto at = std::chrono::steady_clock::now();
    cancel.cancel();
    worker.join();
    return {std::chrono::steady_clock::now() - at, cancelled};
}

}  // namespace

TEST_CASE("A retry backoff ends at once on cancel", "[cancel]") {
    ScriptedServer server({status(503)}, true);
    WaitSignallingEnv env;
    Cancellation cancel;
    GraphClient client(settingsFor(server.baseUrl()), nullptr, env, cancel);
    const auto [took, cancelled] = cancelDuring(
        cancel, [&] { client.get("/me/chats", {}); }, [&] { env.awaitWait(); });
    CHECK(cancelled);
    CHECK(took < 5s);  // the backoff was up to 60 s
}

TEST_CASE("A Retry-After wait ends at once on cancel", "[cancel]") {
    Scripted limited = status(429);
    limited.headers = {{"Retry-After", "300"}};
    ScriptedServer server({limited}, true);
    WaitSignallingEnv env;
    Cancellation cancel;
    auto settings = settingsFor(server.baseUrl());
    settings.retry.baseDelay = 1ms;
    GraphClient client(settings, nullptr, env, cancel);
    const auto [took, cancelled] = cancelDuring(
        cancel, [&] { client.get("/me/chats", {}); }, [&] { env.awaitWait(); });
    CHECK(cancelled);
    CHECK(took < 5s);
}

TEST_CASE("RateLimiter::acquire ends at once on cancel", "[cancel]") {
    RateLimiter limiter(0.001);  // one request per 1000 s
    WaitSignallingEnv env;
    Cancellation cancel;
    limiter.acquire(env, cancel);  // the first slot is free
    const auto [took, cancelled] = cancelDuring(
        cancel, [&] { limiter.acquire(env, cancel); }, [&] { env.awaitWait(); });
    CHECK(cancelled);
    CHECK(took < 5s);
    CHECK_THROWS_AS(limiter.acquire(env, cancel), Cancelled);  // and stays cancelled
}

TEST_CASE("A request in flight ends at once on cancel", "[cancel]") {
    Scripted hanging = ok("{}");
    hanging.delay = 30s;
    ScriptedServer server({hanging, ok("{}")});
    Cancellation cancel;
    GraphClient client(settingsFor(server.baseUrl()), nullptr, Env::system(), cancel);
    std::string what;
    const auto [took, cancelled] = cancelDuring(
        cancel,
        [&] {
            try {
                client.get("/me/messages/chat:X", {});
            } catch (const Cancelled& e) {
                what = e.what();
                throw;
            }
        },
        [&] { REQUIRE(server.waitForRequests(1)); });
    CHECK(cancelled);
    CHECK(took < 5s);  // the answer would have come after 30 s
    CHECK(what.find("SECRET") == std::string::npos);
    CHECK(client.requestCount() == 1);
    CHECK_THROWS_AS(client.get("/me/chats", {}), Cancelled);  // nothing more is sent
    CHECK(server.seen().size() == 1);
}

TEST_CASE("A cancelled client sends nothing and does not wait", "[cancel]") {
    ScriptedServer server({ok("{}")});
    ManualEnv env;
    Cancellation cancel;
    cancel.cancel();
    GraphClient client(settingsFor(server.baseUrl()), std::make_shared<RateLimiter>(1.0), env, cancel);
    CHECK_THROWS_AS(client.get("/me/chats", {}), Cancelled);
    CHECK(server.seen().empty());
    CHECK(env.sleeps().empty());
}
