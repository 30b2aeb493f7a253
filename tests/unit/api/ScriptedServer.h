#pragma once

// A tiny HTTP server on 127.0.0.1 (port 0) that answers each request with the next scripted response and records
// what it was asked. For GraphClient / ChatDirectory / HttpTransport tests. Its handler threads are its own and are
// joined when it is destroyed (a delayed answer is cut short then), so nothing of it outlives it.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

namespace okarchive::test {

/// Poco's handler factory for handlers that share one state: a new Handler(state) per request.
template <class Handler, class State>
class SharedStateFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit SharedStateFactory(std::shared_ptr<State> state) : _state(std::move(state)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Handler(_state);
    }

private:
    std::shared_ptr<State> _state;
};

struct Scripted {
    int status = 200;
    std::string body = "{}";
    std::vector<std::pair<std::string, std::string>> headers;
    std::optional<std::size_t> declaredLength;  ///< Content-Length to claim (send fewer bytes = truncated body)
    bool chunked = false;                       ///< no Content-Length, chunked transfer encoding
    std::chrono::milliseconds delay{0};         ///< wait before answering (ends early when the server closes)
    bool echoUri = false;                       ///< append the request URI (with the token) to `body`'s error_msg
    std::string contentType = "application/json;charset=utf-8";
};

inline Scripted ok(std::string body) {
    Scripted s;
    s.body = std::move(body);
    return s;
}
inline Scripted status(int code, std::string body = "{}") {
    Scripted s;
    s.status = code;
    s.body = std::move(body);
    return s;
}

struct Seen {
    std::string method;
    std::string uri;
    std::string body;
    std::string contentType;
    std::uint16_t clientPort = 0;
};

class ScriptedServer {
public:
    explicit ScriptedServer(std::vector<Scripted> script, bool repeatLast = false) : _state(std::make_shared<State>()) {
        _state->script.assign(script.begin(), script.end());
        _state->repeatLast = repeatLast;
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
        _port = socket.address().port();
        auto* params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(8);
        params->setKeepAlive(true);
        _server = std::make_unique<Poco::Net::HTTPServer>(new SharedStateFactory<Handler, State>(_state), _pool, socket,
                                                          params);
        _server->start();
    }
    ~ScriptedServer() {
        {
            std::lock_guard lock(_state->mutex);
            _state->closing = true;
        }
        _state->changed.notify_all();
        _server->stopAll(true);
        _pool.joinAll();
    }
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;

    std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(_port) + "/graph"; }
    std::uint16_t port() const { return _port; }
    std::vector<Seen> seen() const {
        std::lock_guard lock(_state->mutex);
        return _state->seen;
    }
    /// Blocks until `count` requests have arrived (false after `limit`, so a broken test fails instead of hanging).
    bool waitForRequests(std::size_t count, std::chrono::seconds limit = std::chrono::seconds(30)) const {
        std::unique_lock lock(_state->mutex);
        return _state->changed.wait_for(lock, limit, [&] { return _state->seen.size() >= count; });
    }

private:
    struct State {
        std::mutex mutex;
        std::condition_variable changed;  // a request arrived, or the server closes
        bool closing = false;
        std::deque<Scripted> script;
        bool repeatLast = false;
        std::vector<Seen> seen;
    };

    class Handler : public Poco::Net::HTTPRequestHandler {
    public:
        explicit Handler(std::shared_ptr<State> state) : _state(std::move(state)) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
            Seen seen;
            seen.method = request.getMethod();
            seen.uri = request.getURI();
            seen.contentType = request.getContentType();
            seen.clientPort = request.clientAddress().port();
            Poco::StreamCopier::copyToString(request.stream(), seen.body);
            Scripted next;
            {
                std::lock_guard lock(_state->mutex);
                _state->seen.push_back(seen);
                _state->changed.notify_all();
                if (_state->script.empty()) {
                    next = status(500, R"({"note":"script exhausted"})");
                } else {
                    next = _state->script.front();
                    if (!(_state->repeatLast && _state->script.size() == 1)) _state->script.pop_front();
                }
            }
            if (next.delay.count() > 0) {
                std::unique_lock lock(_state->mutex);
                _state->changed.wait_for(lock, next.delay, [&] { return _state->closing; });
            }
            std::string body = next.body;
            if (next.echoUri) {
                auto at = body.rfind("\"}");
                body.insert(at == std::string::npos ? body.size() : at, " uri=" + seen.uri);
            }
            response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(next.status));
            response.setContentType(next.contentType);
            for (const auto& [name, value] : next.headers) response.set(name, value);
            if (next.chunked) {
                response.setChunkedTransferEncoding(true);
                response.send() << body;
            } else if (next.declaredLength) {
                response.setContentLength(static_cast<std::streamsize>(*next.declaredLength));
                response.setKeepAlive(false);  // close after the short body, so the client sees it end early
                std::ostream& out = response.send();
                out << body;
                out.flush();
            } else {
                response.sendBuffer(body.data(), body.size());
            }
        }

    private:
        std::shared_ptr<State> _state;
    };

    std::shared_ptr<State> _state;
    std::uint16_t _port = 0;
    Poco::ThreadPool _pool{1, 16};  // declared before _server: outlives it; joined by the destructor
    std::unique_ptr<Poco::Net::HTTPServer> _server;
};

}  // namespace okarchive::test
