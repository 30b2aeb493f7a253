#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "api/ApiAnswer.h"
#include "service/ServiceStatus.h"
#include "service/StatusServer.h"
#include "support/HttpGet.h"
#include "support/ManualEnv.h"

using namespace okarchive;
using namespace std::chrono_literals;
using okarchive::test::httpGet;
using okarchive::test::ManualEnv;

namespace {

/// Every line of a Prometheus text exposition is a comment, blank, or `name{labels} value`.
bool isPrometheusText(const std::string& text) {
    static const std::regex sample(
        R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?[0-9.e+]+|\+Inf$)");
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
        if (!std::regex_match(line, sample)) {
            UNSCOPED_INFO("bad line: " << line);
            return false;
        }
    }
    return true;
}

}  // namespace

TEST_CASE("health is 200 while every chat's last run succeeded, 503 when one failed or the token is refused") {
    ManualEnv clock;
    Scheduler scheduler(clock, [] { return 0.0; });
    scheduler.setChats({{"chat:A", 1min}, {"chat:B", 1min}});
    ServiceStatus status;
    status.setArchived("chat:A", 10);
    status.setArchived("chat:B", 0);
    REQUIRE(status.health(scheduler.entries(), clock.now(), clock.wallMs()).first == 200);  // nothing failed yet
    status.recordRun("chat:A", "ok", 0.5, 12, clock.wallMs(), "", {});
    status.recordRun("chat:B", "failed", 0.1, 0, clock.wallMs(), "chat:B: HTTP 500", {});
    auto [code, body] = status.health(scheduler.entries(), clock.now(), clock.wallMs());
    REQUIRE(code == 503);
    const auto root = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    const auto chats = root->getArray("chats");
    REQUIRE(chats->size() == 2);
    REQUIRE(chats->getObject(0)->getValue<std::string>("chat_id") == "chat:A");
    REQUIRE(chats->getObject(0)->getValue<int>("messages_archived") == 12);
    REQUIRE(chats->getObject(1)->getValue<std::string>("last_error") == "chat:B: HTTP 500");
    REQUIRE(chats->getObject(1)->has("next_run"));
    status.recordRun("chat:B", "ok", 0.1, 3, clock.wallMs(), "", {});
    REQUIRE(status.health(scheduler.entries(), clock.now(), clock.wallMs()).first == 200);
    status.setAuthError("token refused");
    REQUIRE(status.health(scheduler.entries(), clock.now(), clock.wallMs()).first == 503);
}

TEST_CASE("health is 503 while the bot's chats cannot be listed, saying why, and 200 once they can") {
    ManualEnv clock;
    ServiceStatus status;
    status.setDiscoveryError("archive a.db: cannot open it: disk I/O error");
    auto [code, body] = status.health({}, clock.now(), clock.wallMs());
    CHECK(code == 503);
    const auto root = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    CHECK(root->getValue<std::string>("status") == "failing");
    CHECK(root->getValue<std::string>("discovery_error") == "archive a.db: cannot open it: disk I/O error");
    status.setDiscoveryError("");
    std::tie(code, body) = status.health({}, clock.now(), clock.wallMs());
    CHECK(code == 200);
    CHECK(body.find("\"discovery_error\":null") != std::string::npos);
}

TEST_CASE("metrics are Prometheus text with the documented names and consistent counts") {
    ServiceStatus status;
    status.recordRun("chat:A", "ok", 0.3, 100, 1'700'000'000'000, "", {});
    status.recordRun("chat:A", "failed", 7, 100, 1'700'000'001'000, "boom", {});
    status.recordApiRequest(200, 0);
    status.recordApiRequest(200, 0);
    status.recordApiRequest(200, 102);
    status.recordApiRequest(0, 0);
    status.recordDispatcherCycle();
    status.recordDispatcherCycle();
    const auto text = status.metrics(4096);
    REQUIRE(isPrometheusText(text));
    for (const char* line :
         {"okarchive_archive_messages{chat=\"chat:A\"} 100",
          "okarchive_sync_runs_total{chat=\"chat:A\",result=\"ok\"} 1",
          "okarchive_sync_runs_total{chat=\"chat:A\",result=\"failed\"} 1",
          "okarchive_api_requests_total{code=\"200\"} 2", "okarchive_api_requests_total{code=\"error_102\"} 1",
          "okarchive_api_requests_total{code=\"network\"} 1",
          "okarchive_last_success_timestamp_seconds{chat=\"chat:A\"} 1700000000",
          "okarchive_sync_duration_seconds_bucket{le=\"0.5\"} 1", "okarchive_sync_duration_seconds_bucket{le=\"10\"} 2",
          "okarchive_sync_duration_seconds_bucket{le=\"+Inf\"} 2", "okarchive_sync_duration_seconds_count 2",
          "okarchive_dispatcher_cycles_total 2", "okarchive_archive_bytes 4096"})
        REQUIRE(text.find(std::string(line) + "\n") != std::string::npos);
}

bool hasLine(const std::string& text, const std::string& line) { return text.find(line + "\n") != std::string::npos; }

TEST_CASE("metrics: every chat synced has each run result from 0, a last success of 0 until one, and digest counts") {
    ServiceStatus status;
    status.setChats({"chat:A", "chat:B"});
    status.recordRun("chat:A", "ok", 2.5, 7, 1'700'000'000'000, "", {});
    status.recordDigestPosted("chat:A");
    status.setSummaryError("chat:B", "HTTP 500");
    status.setSummaryError("chat:B", "");  // resolved: still one failure counted
    const auto text = status.metrics(0);
    REQUIRE(isPrometheusText(text));
    for (const char* line :
         {"okarchive_sync_runs_total{chat=\"chat:A\",result=\"ok\"} 1",
          "okarchive_sync_runs_total{chat=\"chat:A\",result=\"failed\"} 0",
          "okarchive_sync_runs_total{chat=\"chat:B\",result=\"ok\"} 0",
          "okarchive_sync_runs_total{chat=\"chat:B\",result=\"failed\"} 0",
          "okarchive_last_success_timestamp_seconds{chat=\"chat:A\"} 1700000000",
          "okarchive_last_success_timestamp_seconds{chat=\"chat:B\"} 0",
          "okarchive_last_sync_duration_seconds{chat=\"chat:A\"} 2.5", "okarchive_archive_messages{chat=\"chat:A\"} 7",
          "okarchive_archive_messages{chat=\"chat:B\"} 0", "okarchive_digests_posted_total{chat=\"chat:A\"} 1",
          "okarchive_digests_posted_total{chat=\"chat:B\"} 0", "okarchive_digests_failed_total{chat=\"chat:A\"} 0",
          "okarchive_digests_failed_total{chat=\"chat:B\"} 1"}) {
        INFO(line);
        CHECK(hasLine(text, line));
    }
    CHECK(text.find("okarchive_last_sync_duration_seconds{chat=\"chat:B\"}") == std::string::npos);  // no run yet
    status.setChats({"chat:B"});  // chat:A is no longer synced: gone from every family
    CHECK(status.metrics(0).find("chat:A") == std::string::npos);
}

TEST_CASE("metrics: build info, API retries by reason from 0, and the archive's size of a chat as a gauge") {
    ServiceStatus status;
    status.recordApiRetry("http_5xx");
    status.recordApiRetry("http_5xx");
    status.recordApiRetry("timeout");
    const auto text = status.metrics(0);
    CHECK(std::regex_search(text, std::regex("\nokarchive_build_info\\{version=\"[0-9A-Za-z.+~-]+\"\\} 1\n")));
    CHECK(hasLine(text, "okarchive_api_retries_total{reason=\"http_5xx\"} 2"));
    CHECK(hasLine(text, "okarchive_api_retries_total{reason=\"timeout\"} 1"));
    for (const auto& reason : retryReasons())
        if (reason != "http_5xx" && reason != "timeout")
            CHECK(hasLine(text, "okarchive_api_retries_total{reason=\"" + reason + "\"} 0"));
    CHECK(hasLine(text, "# TYPE okarchive_archive_messages gauge"));
    CHECK(text.find("okarchive_messages_archived_total") == std::string::npos);  // renamed: a level, not a counter
}

TEST_CASE("metrics: one HELP and one TYPE per family before its samples, _total only and always on counters") {
    ServiceStatus status;
    status.setChats({"chat:A"});
    status.recordRun("chat:A", "failed", 1, 0, 1'700'000'000'000, "boom", {});
    status.recordApiRequest(200, 0);
    const auto text = status.metrics(1);
    std::map<std::string, std::string> types;
    std::map<std::string, int> helps;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        INFO(line);
        std::smatch m;
        if (std::regex_match(line, m, std::regex("# HELP ([a-z_]+) .+"))) {
            ++helps[m[1]];
        } else if (std::regex_match(line, m, std::regex("# TYPE ([a-z_]+) (counter|gauge|histogram)"))) {
            CHECK(types.emplace(m[1], m[2]).second);
            CHECK(helps[m[1]] == 1);
            const std::string name = m[1];
            CHECK((m[2] == "counter") == (name.size() > 6 && name.compare(name.size() - 6, 6, "_total") == 0));
        } else {
            REQUIRE(std::regex_match(line, m, std::regex("([a-z_]+?)(_bucket|_sum|_count)?(\\{.*\\})? .+")));
            const bool histogramPart = m[2].matched && types.count(m[1]) && types[m[1]] == "histogram";
            CHECK(types.count(histogramPart ? std::string(m[1]) : std::string(m[1]) + std::string(m[2])) == 1);
        }
    }
    for (const auto& [name, count] : helps) CHECK(count == 1);
    CHECK(types.size() == 15);
}

TEST_CASE("metrics: a label value's backslash, quote and line break are escaped") {
    ServiceStatus status;
    status.setArchived("chat:a\"b\\c\nd", 3);
    CHECK(hasLine(status.metrics(0), "okarchive_archive_messages{chat=\"chat:a\\\"b\\\\c\\nd\"} 3"));
}

TEST_CASE("the status server answers /healthz, /metrics and 404, on a free port") {
    int healthCode = 200;
    StatusServer server("127.0.0.1:0", {[&] { return std::pair<int, std::string>(healthCode, "{\"status\":\"x\"}"); },
                                        [] { return std::string("okarchive_archive_bytes 1\n"); }});
    REQUIRE(server.port() != 0);
    REQUIRE(httpGet(server.port(), "/healthz") == std::pair<int, std::string>(200, "{\"status\":\"x\"}"));
    healthCode = 503;
    REQUIRE(httpGet(server.port(), "/healthz").first == 503);
    REQUIRE(httpGet(server.port(), "/metrics") == std::pair<int, std::string>(200, "okarchive_archive_bytes 1\n"));
    REQUIRE(httpGet(server.port(), "/nope").first == 404);
}

TEST_CASE("a status address that cannot be bound is a usage error naming status.listen") {
    StatusServer first("127.0.0.1:0",
                       {[] { return std::pair<int, std::string>(200, ""); }, [] { return std::string(); }});
    REQUIRE_THROWS_WITH(
        StatusServer("127.0.0.1:" + std::to_string(first.port()),
                     {[] { return std::pair<int, std::string>(200, ""); }, [] { return std::string(); }}),
        Catch::Contains("status.listen"));
}
