#include <future>
#include <memory>
#include <thread>

#include <catch2/catch.hpp>

#include "domain/Env.h"
#include "support/ManualEnv.h"

using namespace okarchive;
using namespace std::chrono_literals;

TEST_CASE("a blocked wait wakes when cancelled from another thread, long before its deadline") {
    // Shared with the waiter, which is detached: if waking were broken the test fails after a few seconds instead
    // of hanging for the hour the wait asks for.
    auto cancel = std::make_shared<Cancellation>();
    std::promise<bool> done;
    auto result = done.get_future();
    std::thread([cancel, done = std::move(done)]() mutable {
        done.set_value(Env::system().sleepFor(1h, *cancel));
    }).detach();
    // waiting() is counted under the cancellation's lock, which the wait gives up only once blocked: seeing 1 means
    // the waiter is inside its wait, so cancel() below must wake it (not merely be seen before it starts).
    const auto patience = std::chrono::steady_clock::now() + 5s;
    while (cancel->waiting() == 0 && std::chrono::steady_clock::now() < patience) std::this_thread::yield();
    REQUIRE(cancel->waiting() == 1);
    cancel->cancel();
    REQUIRE(result.wait_for(5s) == std::future_status::ready);
    CHECK_FALSE(result.get());
    CHECK(cancel->waiting() == 0);
    CHECK_FALSE(Env::system().sleepFor(1h, *cancel));  // already cancelled: returns at once
}

TEST_CASE("a wait that is not cancelled reaches its deadline and says so") {
    const auto start = std::chrono::steady_clock::now();
    CHECK(Env::system().sleepFor(5ms, Cancellation::never()));
    CHECK(std::chrono::steady_clock::now() - start >= 5ms);
}

TEST_CASE("cancel runs registered callbacks once, a dropped registration never runs") {
    Cancellation cancel;
    int kept = 0, dropped = 0;
    auto keep = cancel.onCancel([&] { ++kept; });
    {
        auto gone = cancel.onCancel([&] { ++dropped; });
    }
    cancel.cancel();
    cancel.cancel();
    CHECK(kept == 1);
    CHECK(dropped == 0);
    int late = 0;
    auto after = cancel.onCancel([&] { ++late; });  // registering after cancel runs it at once
    CHECK(late == 1);
    CHECK(cancel.cancelled());
}

TEST_CASE("ManualEnv: sleeps move its clock to their deadline and are recorded") {
    test::ManualEnv env;
    const auto start = env.now();
    const auto wall = env.wallMs();
    CHECK(env.sleepFor(250ms, Cancellation::never()));
    CHECK(env.now() - start == 250ms);
    CHECK(env.wallMs() - wall == 250);
    Cancellation cancel;
    cancel.cancel();
    CHECK_FALSE(env.sleepFor(1s, cancel));
    CHECK(env.now() - start == 250ms);
    REQUIRE(env.sleeps().size() == 1);
}
