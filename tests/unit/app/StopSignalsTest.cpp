#include <catch2/catch.hpp>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <future>

#include "app/StopSignals.h"

using namespace okarchive;
using namespace std::chrono_literals;

namespace {

bool blocked(int signal) {
    sigset_t mask;
    pthread_sigmask(SIG_BLOCK, nullptr, &mask);
    return sigismember(&mask, signal) == 1;
}

}  // namespace

TEST_CASE("StopSignals runs the SIGHUP hook, stops on SIGQUIT by name and restores the mask", "[signals]") {
    REQUIRE_FALSE(blocked(SIGTERM));
    std::promise<std::string> stopped;
    std::promise<void> hungUp;
    {
        StopSignals::Options options;
        options.quitStops = true;
        options.handleHangup = true;
        options.onStop = [&](const std::string& name) { stopped.set_value(name); };
        StopSignals signals(options);
        CHECK(blocked(SIGHUP));
        auto hook = signals.onHangup([&] { hungUp.set_value(); });
        ::kill(::getpid(), SIGHUP);
        REQUIRE(hungUp.get_future().wait_for(5s) == std::future_status::ready);  // a bound, not a sleep
        CHECK_FALSE(signals.cancellation().cancelled());                         // a reload is not a stop

        ::kill(::getpid(), SIGQUIT);
        auto name = stopped.get_future();
        REQUIRE(name.wait_for(5s) == std::future_status::ready);
        CHECK(name.get() == "SIGQUIT");
        CHECK(signals.cancellation().cancelled());
        CHECK(signals.received() == "SIGQUIT");
        ::kill(::getpid(), SIGTERM);  // a second one is swallowed, or drained at the end: it never kills
    }
    CHECK_FALSE(blocked(SIGTERM));
    CHECK_FALSE(blocked(SIGHUP));
    CHECK(StopSignals::nameOf(SIGTERM) == "SIGTERM");
}

TEST_CASE("With hangupStops SIGHUP stops as SIGTERM does, and the exit status is 128 plus the signal", "[signals]") {
    std::promise<std::string> stopped;
    {
        StopSignals::Options options;
        options.hangupStops = true;
        options.onStop = [&](const std::string& name) { stopped.set_value(name); };
        StopSignals signals(options);
        CHECK(signals.exitCode() == 0);
        ::kill(::getpid(), SIGHUP);
        auto name = stopped.get_future();
        REQUIRE(name.wait_for(5s) == std::future_status::ready);  // a bound, not a sleep
        CHECK(name.get() == "SIGHUP");
        CHECK(signals.cancellation().cancelled());
        CHECK(signals.exitCode() == 128 + SIGHUP);
    }
    CHECK_FALSE(blocked(SIGHUP));
}
