#include <algorithm>

#include <catch2/catch.hpp>

#include "service/Scheduler.h"
#include "support/ManualEnv.h"

using namespace okarchive;
using namespace std::chrono_literals;
using okarchive::test::ManualEnv;

namespace {

std::vector<std::string> takeAll(Scheduler& s) {
    std::vector<std::string> out;
    while (auto id = s.takeDue()) out.push_back(*id);
    return out;
}

}  // namespace

TEST_CASE("every chat runs at start, then once per interval") {
    ManualEnv env;
    Scheduler s(env, [] { return 0.0; });
    s.setChats({{"chat:A", 60s}, {"chat:B", 120s}});
    REQUIRE(takeAll(s) == std::vector<std::string>{"chat:A", "chat:B"});
    s.finished("chat:A", true);
    s.finished("chat:B", true);
    REQUIRE_FALSE(s.takeDue());
    env.advance(59s);
    REQUIRE_FALSE(s.takeDue());
    REQUIRE(s.nextWake() == env.now() + 1s);
    env.advance(1s);
    REQUIRE(takeAll(s) == std::vector<std::string>{"chat:A"});
    s.finished("chat:A", true);
    env.advance(60s);
    REQUIRE(takeAll(s) == std::vector<std::string>{"chat:A", "chat:B"});
}

TEST_CASE("a running chat is never handed out twice, however overdue") {
    ManualEnv env;
    Scheduler s(env, [] { return 0.0; });
    s.setChats({{"chat:A", 1s}});
    REQUIRE(s.takeDue() == std::optional<std::string>("chat:A"));
    env.advance(10min);
    REQUIRE_FALSE(s.takeDue());
    REQUIRE(s.runningCount() == 1);
    REQUIRE_FALSE(s.nextWake());  // nothing idle to wake for
    s.finished("chat:A", true);
    REQUIRE(s.runningCount() == 0);
    REQUIRE_FALSE(s.takeDue());  // due one interval after it finished, not at once
    env.advance(1s);
    REQUIRE(s.takeDue());
}

TEST_CASE("the most overdue chat goes first") {
    ManualEnv env;
    Scheduler s(env, [] { return 0.0; });
    s.setChats({{"chat:A", 10s}, {"chat:B", 30s}});
    takeAll(s);
    s.finished("chat:B", true);  // due at 30 s
    env.advance(5s);
    s.finished("chat:A", true);  // due at 15 s
    env.advance(40s);
    REQUIRE(s.takeDue() == std::optional<std::string>("chat:A"));
    REQUIRE(s.takeDue() == std::optional<std::string>("chat:B"));
}

TEST_CASE("a failing chat backs off doubling up to an hour, others keep their pace, success resets") {
    ManualEnv env;
    Scheduler s(env, [] { return 0.0; });
    s.setChats({{"chat:bad", 1min}, {"chat:good", 1min}});
    takeAll(s);
    s.finished("chat:good", true);
    s.finished("chat:bad", false);
    auto delayOf = [&](const std::string& id) {
        for (const auto& e : s.entries())
            if (e.chatId == id) return std::chrono::duration_cast<std::chrono::seconds>(e.nextRun - env.now());
        FAIL("no entry " << id);
        return 0s;
    };
    REQUIRE(delayOf("chat:bad") == 2min);
    std::vector<std::chrono::seconds> delays;
    for (int i = 0; i < 8; ++i) {
        env.advance(delayOf("chat:bad"));
        for (auto& id : takeAll(s)) s.finished(id, id == "chat:good");
        delays.push_back(delayOf("chat:bad"));
    }
    REQUIRE(delays == std::vector<std::chrono::seconds>{4min, 8min, 16min, 32min, 60min, 60min, 60min, 60min});
    REQUIRE(delayOf("chat:good") <= 1min);  // the good chat ran on its own schedule meanwhile
    env.advance(delayOf("chat:bad"));
    auto both = takeAll(s);
    std::sort(both.begin(), both.end());
    REQUIRE(both == std::vector<std::string>{"chat:bad", "chat:good"});
    s.finished("chat:bad", true);
    REQUIRE(delayOf("chat:bad") == 1min);
}

TEST_CASE("jitter adds at most a tenth of the interval, capped at a minute") {
    ManualEnv env;
    double r = 0.999;
    Scheduler s(env, [&] { return r; });
    s.setChats({{"chat:A", 100s}, {"chat:B", 1h}});
    takeAll(s);
    s.finished("chat:A", true);
    s.finished("chat:B", true);
    for (const auto& e : s.entries()) {
        const auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(e.nextRun - env.now());
        if (e.chatId == "chat:A") {
            REQUIRE(delay >= 100s);
            REQUIRE(delay < 110s);
        } else {
            REQUIRE(delay >= 1h);
            REQUIRE(delay < 1h + 60s);
        }
    }
}

TEST_CASE("chats come and go: new ones are due at once, dropped ones are forgotten once their run ends") {
    ManualEnv env;
    Scheduler s(env, [] { return 0.0; });
    s.setChats({{"chat:A", 1min}, {"chat:B", 1min}});
    REQUIRE(s.takeDue() == std::optional<std::string>("chat:A"));  // A is running
    s.setChats({{"chat:B", 1min}, {"chat:C", 1min}});
    REQUIRE(takeAll(s) == std::vector<std::string>{"chat:B", "chat:C"});
    REQUIRE(s.entries().size() == 3);  // A still running
    s.finished("chat:A", true);
    REQUIRE(s.entries().size() == 2);
    env.advance(1h);
    s.finished("chat:B", true);
    s.finished("chat:C", true);
    env.advance(1min);
    REQUIRE(takeAll(s) == std::vector<std::string>{"chat:B", "chat:C"});
}

TEST_CASE("makeAllDue brings every idle chat forward (a new token after SIGHUP)") {
    ManualEnv env;
    Scheduler s(env, [] { return 0.0; });
    s.setChats({{"chat:A", 1h}, {"chat:B", 1h}});
    takeAll(s);
    s.finished("chat:A", false);
    s.finished("chat:B", false);
    REQUIRE_FALSE(s.takeDue());
    s.makeAllDue();
    REQUIRE(takeAll(s).size() == 2);
}

TEST_CASE("a chat with more to do is due again at once, but after every chat already due") {
    ManualEnv env;
    Scheduler s(env, [] { return 0.0; });
    s.setChats({{"chat:A", 60s}, {"chat:B", 60s}, {"chat:C", 60s}, {"chat:D", 60s}});
    REQUIRE(s.takeDue() == std::optional<std::string>("chat:A"));
    env.advance(5s);  // B, C and D have been due since start
    s.finished("chat:A", Scheduler::FinishedWith::MoreToDo);
    REQUIRE(s.nextWake() == env.now() - 5s);
    REQUIRE(takeAll(s) == std::vector<std::string>{"chat:B", "chat:C", "chat:D", "chat:A"});

    // B, C and D are due at exactly the moment A (more to do again) is re-queued: A still goes last.
    s.finished("chat:B", true);
    s.finished("chat:C", true);
    s.finished("chat:D", true);
    env.advance(60s);  // B, C, D due now
    s.finished("chat:A", Scheduler::FinishedWith::MoreToDo);
    REQUIRE(takeAll(s) == std::vector<std::string>{"chat:B", "chat:C", "chat:D", "chat:A"});

    // Alone with work left it goes on at once; done, it waits an interval; a failure still backs off.
    s.finished("chat:B", true);
    s.finished("chat:C", true);
    s.finished("chat:D", true);
    s.finished("chat:A", Scheduler::FinishedWith::MoreToDo);
    REQUIRE(takeAll(s) == std::vector<std::string>{"chat:A"});
    s.finished("chat:A", Scheduler::FinishedWith::Success);
    REQUIRE_FALSE(s.takeDue());
    REQUIRE(s.nextWake() == env.now() + 60s);
}
