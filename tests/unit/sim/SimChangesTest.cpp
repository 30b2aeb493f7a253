// okapi-sim's edits and deletions (issue 13): control endpoints, pages without deleted messages (or flagged with
// include_deleted=true), the truth in its current version and the change log.
#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>
#include <set>
#include <thread>

#include "SimTestSupport.h"

using okarchive::sim::Simulator;
using namespace simtest;

namespace {

const std::string kChat = "chat:T1";

std::string historyUri(const std::string& query) {
    return "/me/messages/" + kChat + "?access_token=sim-token&" + query;
}

/// The "mid" members of a body, in order.
std::vector<std::string> midsIn(const std::string& body) {
    static const std::regex mid(R"re("mid":"(mid:[^"]+)")re");
    std::vector<std::string> out;
    for (auto it = std::sregex_iterator(body.begin(), body.end(), mid); it != std::sregex_iterator(); ++it)
        out.push_back((*it)[1]);
    return out;
}

}  // namespace

TEST_CASE("sim deletions leave pages full of live messages, include_deleted flags them", "[sim][changes]") {
    for (const bool inclusive : {true, false}) {
        auto config = smallConfig(300);
        config.inclusiveBounds = inclusive;
        Simulator sim(config);
        sim.start();
        Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
        const auto truthBefore = midsIn(sim.truthNdjson(kChat, false));
        REQUIRE(truthBefore.size() == 300);
        const std::vector<std::string> gone{truthBefore[299], truthBefore[250], truthBefore[10]};
        const auto reply = http(session, "POST",
                                "/_sim/delete?chat_id=" + kChat + "&mid=" + gone[0] + "," + gone[1] + "," + gone[2]);
        REQUIRE(reply.status == 200);
        CHECK(reply.body == R"({"deleted":3,"unknown":[]})");

        const auto page = midsIn(get(session, historyUri("count=100")).body);
        REQUIRE(page.size() == 100);  // still a full page: 100 live messages
        std::vector<std::string> expected(truthBefore.rbegin(), truthBefore.rend());
        std::erase_if(expected, [&](const std::string& m) { return std::count(gone.begin(), gone.end(), m) > 0; });
        expected.resize(100);
        CHECK(page == expected);
        const auto truth = midsIn(sim.truthNdjson(kChat, false));
        CHECK(truth.size() == 297);
        for (const auto& m : gone) CHECK(std::count(truth.begin(), truth.end(), m) == 0);

        const auto flagged = get(session, historyUri("count=100&include_deleted=true")).body;
        CHECK(midsIn(flagged).front() == gone[0]);
        const auto flags = flagged.find(R"("deleted":true)");
        REQUIRE(flags != std::string::npos);
        CHECK(flagged.find(R"("deleted":true)", flags + 1) != std::string::npos);  // both deleted ones in range
        CHECK(http(session, "POST", "/_sim/undelete?chat_id=" + kChat + "&mid=" + gone[0]).status == 200);
        CHECK(midsIn(get(session, historyUri("count=1")).body) == std::vector<std::string>{gone[0]});
    }
}

TEST_CASE("sim edits serve the new text and the change log keeps the old one", "[sim][changes]") {
    Simulator sim(smallConfig(50));
    sim.start();
    Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
    const auto truth = lines(sim.truthNdjson(kChat, false));
    const auto mid = midsIn(truth[49]).front();
    REQUIRE(http(session, "POST", "/_sim/edit?chat_id=" + kChat + "&mid=" + mid + "&text=changed").status == 200);
    const auto page = get(session, historyUri("count=1")).body;
    CHECK(page.find(R"("text":"changed")") != std::string::npos);
    CHECK(lines(sim.truthNdjson(kChat, false))[49].find(R"("text":"changed")") != std::string::npos);
    REQUIRE(http(session, "POST", "/_sim/edit?chat_id=" + kChat + "&mid=" + mid + "&attachments=drop").status == 200);
    const auto log = lines(get(session, "/_sim/changes?chat_id=" + kChat).body);
    REQUIRE(log.size() == 2);
    CHECK(log[0].find(R"("kind":"edit")") != std::string::npos);
    CHECK(log[1].find(R"("text_before":"changed")") != std::string::npos);
    CHECK(lines(sim.truthNdjson(kChat, false))[49].find(R"x("text":"changed (edited 2)")x") != std::string::npos);

    CHECK(http(session, "POST", "/_sim/edit?chat_id=" + kChat + "&mid=mid:nope").status == 404);
    CHECK(http(session, "POST", "/_sim/delete?chat_id=chat:nope&mid=" + mid).status == 404);
    CHECK(http(session, "POST", "/_sim/delete?chat_id=" + kChat).status == 400);
}

TEST_CASE("sim --delete-every removes live messages on its own", "[sim][changes]") {
    auto config = smallConfig(40);
    config.deleteEveryMs = 5;
    Simulator sim(config);
    sim.start();
    Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
    bool deleted = false;
    for (int i = 0; i < 400 && !deleted; ++i) {  // the thread is on its own clock: poll, do not sleep a fixed time
        deleted = !get(session, "/_sim/changes?chat_id=" + kChat).body.empty();
        if (!deleted) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(deleted);
    sim.stop();
    CHECK(midsIn(sim.truthNdjson(kChat, false)).size() < 40);
}
