#include "service/SystemdNotify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include <Poco/NumberParser.h>
#include <fmt/format.h>

namespace okarchive {
namespace {

/// sun_path's bytes for $NOTIFY_SOCKET: a path as is, '@name' as an abstract name (a leading NUL); "" if unusable.
std::string socketAddress(const std::string& socketPath) {
    if (socketPath.size() < 2 || socketPath.size() >= sizeof(sockaddr_un::sun_path)) return {};
    if (socketPath.front() == '@') return std::string(1, '\0') + socketPath.substr(1);
    return socketPath.front() == '/' ? socketPath : std::string();
}

/// CLOCK_MONOTONIC itself, not Env: RELOADING=1's MONOTONIC_USEC is compared by systemd with its own clock, so a
/// test clock would be wrong here (and nothing waits on it).
std::uint64_t monotonicMicros() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000 + static_cast<std::uint64_t>(ts.tv_nsec) / 1000;
}

}  // namespace

SystemdNotify::SystemdNotify(const std::string& socketPath, Warn warn)
    : _address(socketAddress(socketPath)), _warn(std::move(warn)) {
    if (!socketPath.empty() && _address.empty())
        failed(fmt::format("NOTIFY_SOCKET = '{}' is neither an absolute path nor an @abstract name", socketPath));
}

SystemdNotify::~SystemdNotify() {
    if (_fd >= 0) ::close(_fd);
}

std::unique_ptr<SystemdNotify> SystemdNotify::fromEnvironment(Warn warn) {
    const char* path = std::getenv("NOTIFY_SOCKET");
    return std::make_unique<SystemdNotify>(path ? path : "", std::move(warn));
}

bool SystemdNotify::send(const std::string& message) {
    std::lock_guard lock(_mutex);
    if (_address.empty()) return false;
    if (_fd < 0) _fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (_fd < 0) {
        failed(fmt::format("cannot create a socket: {}", std::strerror(errno)));
        return false;
    }
    sockaddr_un to{};
    to.sun_family = AF_UNIX;
    std::memcpy(to.sun_path, _address.data(), _address.size());
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + _address.size());
    ssize_t sent = -1;
    do {
        sent = ::sendto(_fd, message.data(), message.size(), MSG_NOSIGNAL | MSG_DONTWAIT,
                        reinterpret_cast<const sockaddr*>(&to), length);
    } while (sent < 0 && errno == EINTR);
    if (sent == static_cast<ssize_t>(message.size())) return true;
    failed(fmt::format("cannot send to the service manager: {}", sent < 0 ? std::strerror(errno) : "short write"));
    return false;
}

void SystemdNotify::failed(const std::string& why) {
    if (_warned) return;
    _warned = true;
    if (_warn) _warn(fmt::format("sd_notify: {} (further failures are not logged)", why));
}

std::optional<std::chrono::microseconds> watchdogTimeout(const char* usec, const char* pid, pid_t self) {
    Poco::UInt64 micros = 0;
    if (!usec || !Poco::NumberParser::tryParseUnsigned64(usec, micros) || micros == 0) return std::nullopt;
    if (pid) {
        Poco::UInt64 owner = 0;
        if (!Poco::NumberParser::tryParseUnsigned64(pid, owner) || owner != static_cast<Poco::UInt64>(self))
            return std::nullopt;
    }
    return std::chrono::microseconds(static_cast<std::int64_t>(micros));
}

ServiceNotifier::ServiceNotifier(SystemdNotify& socket, const Env& env,
                                 std::optional<std::chrono::microseconds> watchdog)
    : _socket(socket), _env(env), _watchdog(watchdog) {}

std::optional<std::chrono::milliseconds> ServiceNotifier::beatEvery() const {
    if (!_watchdog) return std::nullopt;
    return std::max(std::chrono::milliseconds(1),
                    std::chrono::duration_cast<std::chrono::milliseconds>(*_watchdog / 4));
}

void ServiceNotifier::beat(const std::string& status) {
    std::lock_guard lock(_mutex);
    std::string message;
    const auto now = _env.now();
    if (_watchdog && (!_lastKeepAlive || now - *_lastKeepAlive >= *_watchdog / 4)) {
        message = "WATCHDOG=1";
        _lastKeepAlive = now;
    }
    if (status != _lastStatus) {
        message += (message.empty() ? "STATUS=" : "\nSTATUS=") + status;
        _lastStatus = status;
    }
    if (!message.empty()) _socket.send(message);
}

void ServiceNotifier::ready(const std::string& status) {
    std::lock_guard lock(_mutex);
    _lastStatus = status;
    _socket.send("READY=1\nSTATUS=" + status);
}

void ServiceNotifier::reloading() { _socket.send(fmt::format("RELOADING=1\nMONOTONIC_USEC={}", monotonicMicros())); }

void ServiceNotifier::stopping() { _socket.send("STOPPING=1"); }

}  // namespace okarchive
