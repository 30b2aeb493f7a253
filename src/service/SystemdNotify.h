#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "domain/Env.h"

namespace okarchive {

/// The service manager's notification socket, spoken by sd_notify(3)'s documented protocol (no libsystemd: see
/// docs/architecture.md): one AF_UNIX datagram per message to $NOTIFY_SOCKET, a path or, starting with '@', an
/// abstract name. Disabled (every send a no-op) without one. A failed send is reported once through `warn` and
/// otherwise ignored: the service never stops because its manager does not listen. Thread-safe.
class SystemdNotify {
public:
    using Warn = std::function<void(const std::string&)>;

    /// `socketPath` as $NOTIFY_SOCKET holds it ("" = disabled).
    explicit SystemdNotify(const std::string& socketPath, Warn warn = {});
    ~SystemdNotify();
    SystemdNotify(const SystemdNotify&) = delete;
    SystemdNotify& operator=(const SystemdNotify&) = delete;

    /// From $NOTIFY_SOCKET.
    static std::unique_ptr<SystemdNotify> fromEnvironment(Warn warn = {});

    bool enabled() const { return !_address.empty(); }
    /// Sends `message` ("READY=1\nSTATUS=...") as one datagram; false if it could not be sent (or disabled).
    bool send(const std::string& message);

private:
    void failed(const std::string& why);

    std::string _address;  ///< sockaddr_un's sun_path bytes (abstract: a leading NUL)
    int _fd = -1;
    Warn _warn;
    std::mutex _mutex;
    bool _warned = false;
};

/// The watchdog timeout systemd expects keep-alives within: $WATCHDOG_USEC, when $WATCHDOG_PID is unset or `self`
/// (sd_watchdog_enabled(3)); nothing when there is no watchdog or either value is not a positive number.
std::optional<std::chrono::microseconds> watchdogTimeout(const char* usec, const char* pid, pid_t self);

/// What serve tells the service manager: READY=1 once serving, WATCHDOG=1 from the service loop at least every
/// half of the watchdog timeout, STATUS= whenever the loop's status line changes, RELOADING=1/READY=1 around a
/// reload, STOPPING=1 at a stop. Keep-alives are timed by `env` (tests drive it by hand). Thread-safe.
class ServiceNotifier {
public:
    ServiceNotifier(SystemdNotify& socket, const Env& env, std::optional<std::chrono::microseconds> watchdog);

    /// How often the service loop must call beat() at least (a quarter of the watchdog timeout: a loop that keeps
    /// it feeds the watchdog within half); nothing without a watchdog.
    std::optional<std::chrono::milliseconds> beatEvery() const;
    /// The service loop is alive: WATCHDOG=1 if a quarter timeout passed since the last, STATUS= if it changed.
    void beat(const std::string& status);
    void ready(const std::string& status);  ///< READY=1 and STATUS=
    void reloading();                       ///< RELOADING=1 with MONOTONIC_USEC (systemd.service(5))
    void stopping();                        ///< STOPPING=1

private:
    SystemdNotify& _socket;
    const Env& _env;
    std::optional<std::chrono::microseconds> _watchdog;
    std::mutex _mutex;
    std::optional<Env::TimePoint> _lastKeepAlive;
    std::string _lastStatus;
};

}  // namespace okarchive
