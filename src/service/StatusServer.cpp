#include "service/StatusServer.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/NumberParser.h>
#include <Poco/URI.h>
#include <fmt/format.h>

#include "domain/Errors.h"

namespace okarchive {
namespace {

using Poco::Net::HTTPResponse;

class StatusHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit StatusHandler(const StatusServer::Handlers& handlers) : _handlers(handlers) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        int status = 200;
        std::string body, type = "text/plain; charset=utf-8";
        try {
            const auto path = Poco::URI(request.getURI()).getPath();
            if (request.getMethod() != "GET" && request.getMethod() != "HEAD") {
                status = 405;
                body = "only GET\n";
            } else if (path == "/healthz") {
                std::tie(status, body) = _handlers.health();
                type = "application/json; charset=utf-8";
            } else if (path == "/metrics") {
                body = _handlers.metrics();
                type = "text/plain; version=0.0.4; charset=utf-8";
            } else {
                status = 404;
                body = "okarchive: GET /healthz or /metrics\n";
            }
        } catch (const std::exception& e) {  // one request failed: say why, the server goes on
            status = 500;
            body = std::string("okarchive status: ") + e.what() + "\n";
        }
        response.setStatus(static_cast<HTTPResponse::HTTPStatus>(status));
        response.setContentType(type);
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        auto& out = response.send();
        if (request.getMethod() != "HEAD") out << body;
    }

private:
    const StatusServer::Handlers& _handlers;
};

class StatusHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit StatusHandlerFactory(StatusServer::Handlers handlers) : _handlers(std::move(handlers)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new StatusHandler(_handlers);
    }

private:
    StatusServer::Handlers _handlers;
};

}  // namespace

std::pair<std::string, std::uint16_t> StatusServer::parseListen(const std::string& listen) {
    const auto colon = listen.rfind(':');
    unsigned port = 0;
    if (colon == std::string::npos || colon == 0 ||
        !Poco::NumberParser::tryParseUnsigned(listen.substr(colon + 1), port) || port > 65535)
        throw UsageError(
            fmt::format("setting status.listen = '{}' must be HOST:PORT, e.g. 127.0.0.1:9477 (empty = off)", listen));
    auto host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return {host, static_cast<std::uint16_t>(port)};
}

StatusServer::StatusServer(const std::string& listen, Handlers handlers) {
    const auto [host, port] = parseListen(listen);
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(Poco::Net::SocketAddress(host, port), true, false);  // SO_REUSEADDR, never SO_REUSEPORT
        socket.listen(64);
    } catch (const Poco::Exception& e) {
        throw UsageError(fmt::format("setting status.listen = '{}': cannot listen there: {}", listen, e.displayText()));
    }
    _port = socket.address().port();
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(2);
    params->setMaxQueued(32);
    params->setKeepAlive(false);
    _server = std::make_unique<Poco::Net::HTTPServer>(new StatusHandlerFactory(std::move(handlers)), socket, params);
    _server->start();
}

StatusServer::~StatusServer() {
    if (_server) _server->stopAll(true);
}

}  // namespace okarchive
