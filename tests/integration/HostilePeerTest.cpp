#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include "integration/Harness.h"
#include "unit/api/ScriptedServer.h"

using namespace okarchive::it;

namespace {

/// A hostile Graph API on loopback: each path (without its query) has a fixed answer; every request is recorded.
class HostileApi {
public:
    using Answer = std::function<std::string(const Poco::URI&)>;
    explicit HostileApi(std::map<std::string, Answer> routes) : _state(std::make_shared<State>()) {
        _state->routes = std::move(routes);
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
        _port = socket.address().port();
        _server =
            std::make_unique<Poco::Net::HTTPServer>(new okarchive::test::SharedStateFactory<Handler, State>(_state),
                                                    _pool, socket, new Poco::Net::HTTPServerParams);
        _server->start();
    }
    ~HostileApi() {
        _server->stopAll(true);
        _pool.joinAll();
    }
    std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(_port) + "/graph"; }
    std::vector<std::string> paths() const {
        std::lock_guard lock(_state->mutex);
        return _state->paths;
    }

private:
    struct State {
        std::mutex mutex;
        std::map<std::string, Answer> routes;
        std::vector<std::string> paths;
    };
    class Handler : public Poco::Net::HTTPRequestHandler {
    public:
        explicit Handler(std::shared_ptr<State> state) : _state(std::move(state)) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
            const Poco::URI uri(request.getURI());
            const std::string path = request.getURI().substr(0, request.getURI().find('?'));  // as sent, encoded
            {
                std::lock_guard lock(_state->mutex);
                _state->paths.push_back(path);
            }
            const auto route = _state->routes.find(path);
            std::string body = R"({"error_code":300,"error_msg":"NOT_FOUND"})";
            if (route != _state->routes.end()) body = route->second(uri);
            response.setContentType("application/json;charset=utf-8");
            response.sendBuffer(body.data(), body.size());
        }

    private:
        std::shared_ptr<State> _state;
    };

    std::shared_ptr<State> _state;
    std::uint16_t _port = 0;
    Poco::ThreadPool _pool{1, 8};
    std::unique_ptr<Poco::Net::HTTPServer> _server;
};

constexpr long long kTimestamp = 1700000000000;  // 2023-11-14T22:13:20Z

/// One message in chat:Good, from a sender whose name clears the screen; bounds are inclusive.
std::string goodHistory(const Poco::URI& uri) {
    long long from = 9223372036854775807LL, to = 0;
    for (const auto& [key, value] : uri.getQueryParameters()) {
        if (key == "from") from = std::stoll(value);
        if (key == "to") to = std::stoll(value);
    }
    if (kTimestamp > from || kTimestamp < to) return R"({"messages":[]})";
    return R"({"messages":[{"sender":{"name":"\u001b[2J\u001b]0;pwned\u0007Mallory","user_id":"user:1"},
               "recipient":{"chat_id":"chat:Good"},
               "message":{"text":"hello \u001b[31mred","seq":1,"mid":"mid:Good.1"},"timestamp":)" +
           std::to_string(kTimestamp) + "}]}";
}

bool hasEscape(const RunResult& r) {
    return r.out.find('\x1b') != std::string::npos || r.err.find('\x1b') != std::string::npos;
}

}  // namespace

TEST_CASE("a hostile /me/chats: invalid ids are skipped with a warning, escape sequences reach no terminal") {
    const std::string huge = "chat:" + std::string(5000, 'A');
    HostileApi api({
        {"/graph/me/chats",
         [&](const Poco::URI&) {
             return R"({"chats":[{"chat_id":"chat:../../../tmp/PWNED","title":"x"},
                                 {"chat_id":")" +
                    huge + R"("},
                                 {"chat_id":"chat:\u001b[2J"},
                                 {"chat_id":"chat:Good","type":"CHAT","title":"\u001b[2J\u001b]0;evil\u0007Title"},
                                 {"chat_id":"chat:Bad","type":"CHAT","title":"bad"}]})";
         }},
        {"/graph/me/messages/chat:Good", goodHistory},
        {"/graph/me/messages/chat:Bad",
         [](const Poco::URI&) {
             return R"({"error_code":100,"error_msg":"PARAM : \u001b[2J\u001b]0;pwned\u0007 \u202Egnp.exe"})";
         }},
    });
    TempDir dir;
    const auto db = dir.file("h.db");
    const std::vector<std::string> base{"-Dapi.base_url=" + api.baseUrl(), "-Dapi.access_token=hostile-test-token",
                                        "-Darchive.database=" + db,        "-Dapi.requests_per_second=0",
                                        "-Dapi.timeout_ms=5000",           "-Dapi.max_retries=0"};

    const auto sync = runOkarchive(with(base, {"-Dsync.chats=all", "sync"}));
    INFO(sync.out << sync.err);
    CHECK(sync.exitCode == 1);  // chat:Bad failed, the others went on
    CHECK_FALSE(hasEscape(sync));
    CHECK_THAT(sync.out, Catch::Contains("chat:Good  ok  1 new") && Catch::Contains("chat:Bad  FAILED"));
    CHECK_THAT(sync.err, Catch::Contains("skipped the chat 'chat:../../../tmp/PWNED'") &&
                             Catch::Contains("skipped the chat 'chat:?[2J'") && Catch::Contains("chat:AAAA"));
    CHECK(sync.err.find(std::string(200, 'A')) == std::string::npos);  // the 5,000-character id is cut
    CHECK_THAT(sync.err, Catch::Contains("?[2J?]0;pwned? ?gnp.exe"));  // error_msg shown, inert
    for (const auto& path : api.paths()) {
        INFO(path);
        CHECK(path.find("PWNED") == std::string::npos);
        CHECK(path.find("AAAA") == std::string::npos);
    }

    const auto status = runOkarchive(with(base, {"status"}));
    INFO(status.out << status.err);
    CHECK(status.exitCode == 1);  // chat:Bad's last sync failed
    CHECK_THAT(status.err, Catch::Contains("the last sync of chat:Bad failed"));
    CHECK_FALSE(hasEscape(status));
    CHECK_THAT(status.out, Catch::Contains("?[2J?]0;evil?Title") && !Catch::Contains("PWNED"));

    const auto summary = runOkarchive(
        with(base, {"summary", "--chat=chat:Good", "--since=2023-11-14", "--until=2023-11-15", "--dry-run"}));
    INFO(summary.out << summary.err);
    CHECK(summary.exitCode == 0);
    CHECK_FALSE(hasEscape(summary));
    CHECK_THAT(summary.out, Catch::Contains("Mallory"));
}

TEST_CASE("a chat id outside the grammar is refused wherever it is given, naming it inert and cut") {
    TempDir dir;
    const std::vector<std::string> base{"-Dapi.base_url=http://127.0.0.1:1/graph", "-Dapi.access_token=t0ken-x",
                                        "-Darchive.database=" + dir.file("i.db")};
    for (const auto& args : std::vector<std::vector<std::string>>{{"sync", "--chat=chat:../../etc/passwd"},
                                                                  {"-Dsync.chats=chat:ok, chat:\x1b[2J", "sync"},
                                                                  {"sync", "--chat=chat:" + std::string(129, 'x')}}) {
        auto command = base;
        command.insert(command.end(), args.begin(), args.end());
        const auto r = runOkarchive(command);
        INFO(r.out << r.err);
        CHECK(r.exitCode == 2);
        CHECK_THAT(r.err, Catch::Contains("is not a chat id") && Catch::Contains("1 to 128"));
        CHECK_FALSE(hasEscape(r));
        CHECK(r.err.size() < 400);
    }
    // A per-chat setting key names a chat too: refused as an unknown setting, shown inert.
    const auto key = runOkarchive(with(base, {"-Dsync.interval.chat:\x1b[2J=1m", "-Dsync.chats=chat:A", "sync"}));
    INFO(key.out << key.err);
    CHECK(key.exitCode == 2);
    CHECK_THAT(key.err, Catch::Contains("unknown setting 'sync.interval.chat:?[2J'"));
    CHECK_FALSE(hasEscape(key));
}
