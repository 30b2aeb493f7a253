#pragma once

// A TCP listener on a loopback address (port 0) that hands each connection, one after another on its own thread,
// to a handler, until it is destroyed: the base of the tests' scripted and hostile servers. Declare it as the LAST
// member of the server that owns it, so its thread stops before the members the handler uses are gone.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <Poco/Exception.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include "domain/Env.h"

namespace okarchive::test {

class LoopbackServer {
public:
    /// Serves one connection; `stop` is cancelled when the server is destroyed (wait on it, never sleep).
    using Handler = std::function<void(Poco::Net::StreamSocket& peer, const Cancellation& stop)>;

    explicit LoopbackServer(Handler handler, const std::string& address = "127.0.0.1")
        : _handler(std::move(handler)), _address(address), _listener(Poco::Net::SocketAddress(address, 0)) {
        _thread = std::thread([this] { run(); });
    }
    ~LoopbackServer() {
        _stop.cancel();
        _thread.join();
    }
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    const std::string& address() const { return _address; }
    int port() const { return _listener.address().port(); }
    int connections() const { return _connections; }
    /// Waits until `n` connections have been handled (and closed) or `limit` passed; false if it passed.
    bool waitHandled(int n, std::chrono::seconds limit = std::chrono::seconds(30)) const {
        std::unique_lock lock(_mutex);
        return _changed.wait_for(lock, limit, [&] { return _handled >= n; });
    }

private:
    void run() {
        while (!_stop.cancelled()) {
            if (!_listener.poll(Poco::Timespan(20000), Poco::Net::Socket::SELECT_READ)) continue;  // 20 ms
            Poco::Net::StreamSocket peer = _listener.acceptConnection();
            ++_connections;
            try {
                _handler(peer, _stop);
            } catch (const Poco::Exception&) {  // the client hung up: serve the next connection
            }
            peer.close();
            std::lock_guard lock(_mutex);
            ++_handled;
            _changed.notify_all();
        }
    }

    Handler _handler;
    std::string _address;
    Poco::Net::ServerSocket _listener;
    Cancellation _stop;
    std::atomic<int> _connections{0};
    mutable std::mutex _mutex;
    mutable std::condition_variable _changed;
    int _handled = 0;
    std::thread _thread;
};

}  // namespace okarchive::test
