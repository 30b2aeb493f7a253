#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "service/SystemdNotify.h"
#include "support/ManualEnv.h"

using namespace okarchive;
using namespace std::chrono_literals;

namespace {

/// A datagram socket bound where the test says (a path in a fresh temp dir, or an abstract name), as systemd's.
class ManagerSocket {
public:
    explicit ManagerSocket(bool abstract = false) {
        _fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(_fd >= 0);
        const auto unique = "okarchive-notify-" + std::to_string(::getpid()) + "-" + std::to_string(++counter());
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        if (abstract) {
            _name = "@" + unique;
            std::memcpy(address.sun_path + 1, unique.data(), unique.size());
        } else {
            _dir = std::filesystem::temp_directory_path() / unique;
            std::filesystem::create_directories(_dir);
            _name = (_dir / "notify").string();
            std::memcpy(address.sun_path, _name.data(), _name.size());
        }
        const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + (abstract ? 1 : 0) +
                                                   (abstract ? unique.size() : _name.size()));
        REQUIRE(::bind(_fd, reinterpret_cast<const sockaddr*>(&address), length) == 0);
    }
    ~ManagerSocket() {
        ::close(_fd);
        if (!_dir.empty()) std::filesystem::remove_all(_dir);
    }
    const std::string& name() const { return _name; }

    /// Every datagram already queued (sends are synchronous on a local socket: nothing is in flight).
    std::vector<std::string> received() const {
        std::vector<std::string> messages;
        char buffer[4096];
        pollfd ready{_fd, POLLIN, 0};
        while (::poll(&ready, 1, 0) == 1) {
            const auto n = ::recv(_fd, buffer, sizeof buffer, 0);
            if (n < 0) break;
            messages.emplace_back(buffer, static_cast<std::size_t>(n));
        }
        return messages;
    }

private:
    static int& counter() {
        static int n = 0;
        return n;
    }
    int _fd = -1;
    std::string _name;
    std::filesystem::path _dir;
};

}  // namespace

TEST_CASE("sd_notify sends each message as one datagram to a socket path or an abstract name") {
    for (const bool abstract : {false, true}) {
        ManagerSocket manager(abstract);
        SystemdNotify notify(manager.name());
        REQUIRE(notify.enabled());
        CHECK(notify.send("READY=1\nSTATUS=serving"));
        CHECK(notify.send("WATCHDOG=1"));
        CHECK(manager.received() == std::vector<std::string>{"READY=1\nSTATUS=serving", "WATCHDOG=1"});
    }
}

TEST_CASE("sd_notify without NOTIFY_SOCKET sends nothing, and a socket nobody listens on is logged once") {
    SystemdNotify none("");
    CHECK_FALSE(none.enabled());
    CHECK_FALSE(none.send("READY=1"));

    std::vector<std::string> warnings;
    std::string gone;
    {
        ManagerSocket manager;
        gone = manager.name();
    }  // closed and removed
    SystemdNotify notify(gone, [&](const std::string& w) { warnings.push_back(w); });
    CHECK_FALSE(notify.send("READY=1"));
    CHECK_FALSE(notify.send("WATCHDOG=1"));
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("sd_notify"));

    std::vector<std::string> relative;
    SystemdNotify bad("notify.sock", [&](const std::string& w) { relative.push_back(w); });
    CHECK_FALSE(bad.enabled());
    REQUIRE(relative.size() == 1);
    CHECK_THAT(relative[0], Catch::Contains("NOTIFY_SOCKET = 'notify.sock'"));
}

TEST_CASE("the watchdog is on only with a positive WATCHDOG_USEC and a WATCHDOG_PID that is unset or ours") {
    CHECK(watchdogTimeout("60000000", nullptr, 42) == std::chrono::microseconds(60'000'000));
    CHECK(watchdogTimeout("200000", "42", 42) == std::chrono::microseconds(200'000));
    CHECK_FALSE(watchdogTimeout("200000", "43", 42));
    CHECK_FALSE(watchdogTimeout("200000", "x", 42));
    CHECK_FALSE(watchdogTimeout(nullptr, "42", 42));
    CHECK_FALSE(watchdogTimeout("0", nullptr, 42));
    CHECK_FALSE(watchdogTimeout("-5", nullptr, 42));
    CHECK_FALSE(watchdogTimeout("soon", nullptr, 42));
}

TEST_CASE("the service loop feeds the watchdog at least every half timeout and sends STATUS only when it changes") {
    ManagerSocket manager;
    SystemdNotify socket(manager.name());
    test::ManualEnv env;
    ServiceNotifier notifier(socket, env, std::chrono::microseconds(60'000'000));
    REQUIRE(notifier.beatEvery() == std::chrono::milliseconds(15'000));  // the loop's longest wait

    notifier.ready("starting");
    notifier.beat("starting");  // the first keep-alive at once
    CHECK(manager.received() == std::vector<std::string>{"READY=1\nSTATUS=starting", "WATCHDOG=1"});
    env.advance(14s);
    notifier.beat("starting");  // neither due nor changed
    CHECK(manager.received().empty());
    notifier.beat("1 chats, 1 running, 0 failed");
    CHECK(manager.received() == std::vector<std::string>{"STATUS=1 chats, 1 running, 0 failed"});
    env.advance(1s);  // 15 s since the last keep-alive: a quarter of the timeout
    notifier.beat("1 chats, 0 running, 1 failed");
    CHECK(manager.received() == std::vector<std::string>{"WATCHDOG=1\nSTATUS=1 chats, 0 running, 1 failed"});

    // A loop that calls beat() every beatEvery() keeps every gap between keep-alives within half the timeout.
    std::vector<Env::TimePoint> keepAlives;
    for (int i = 0; i < 40; ++i) {
        env.advance(*notifier.beatEvery() - std::chrono::milliseconds(i % 3 == 0 ? 0 : 700));
        notifier.beat("same");
        for (const auto& m : manager.received())
            if (m.rfind("WATCHDOG=1", 0) == 0) keepAlives.push_back(env.now());
    }
    REQUIRE(keepAlives.size() > 10);
    for (std::size_t i = 1; i < keepAlives.size(); ++i) CHECK(keepAlives[i] - keepAlives[i - 1] <= 30s);
}

TEST_CASE("without a watchdog nothing is kept alive: the loop only reports its status") {
    ManagerSocket manager;
    SystemdNotify socket(manager.name());
    test::ManualEnv env;
    ServiceNotifier notifier(socket, env, std::nullopt);
    CHECK_FALSE(notifier.beatEvery());
    notifier.beat("a");
    env.advance(1h);
    notifier.beat("a");
    notifier.reloading();
    notifier.stopping();
    const auto got = manager.received();
    REQUIRE(got.size() == 3);
    CHECK(got[0] == "STATUS=a");
    CHECK(got[1].rfind("RELOADING=1\nMONOTONIC_USEC=", 0) == 0);
    CHECK(got[2] == "STOPPING=1");
}
