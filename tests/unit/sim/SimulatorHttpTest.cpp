#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/Net/NetException.h>

#include <algorithm>
#include <map>
#include <set>

#include "SimTestSupport.h"

using okarchive::sim::ChatSpec;
using okarchive::sim::SimConfig;
using okarchive::sim::Simulator;
using namespace simtest;

namespace {

const std::string kToken = "sim-token";

std::string history(const std::string& chat, const std::string& query) {
    return "/me/messages/" + chat + "?access_token=" + kToken + (query.empty() ? "" : "&" + query);
}

/// (timestamp, seq) of every message of a page, in page order.
std::vector<std::pair<std::int64_t, std::int64_t>> pageKeys(const std::string& body) {
    std::vector<std::pair<std::int64_t, std::int64_t>> keys;
    const auto root = parseObject(body);
    const auto messages = root->getArray("messages");
    REQUIRE(messages);
    const auto seqs = rawSeqs(body);
    REQUIRE(seqs.size() == messages->size());
    for (std::size_t i = 0; i < messages->size(); ++i) {
        const auto message = messages->getObject(static_cast<unsigned>(i));
        keys.emplace_back(message->getValue<Poco::Int64>("timestamp"), seqs[i]);
    }
    return keys;
}

/// (timestamp, seq) of every truth line, ascending.
std::vector<std::pair<std::int64_t, std::int64_t>> truthKeys(const std::string& ndjson) {
    std::vector<std::pair<std::int64_t, std::int64_t>> keys;
    for (const auto& line : lines(ndjson)) keys.emplace_back(rawInt(line, "timestamp"), rawInt(line, "seq"));
    return keys;
}

}  // namespace

TEST_CASE("sim pages are newest first and silently capped at 100", "[sim]") {
    Simulator sim(smallConfig(500));
    sim.start();
    Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
    const auto page = get(session, history("chat:T1", "count=500"));
    REQUIRE(page.status == 200);
    const auto keys = pageKeys(page.body);
    REQUIRE(keys.size() == 100);
    for (std::size_t i = 1; i < keys.size(); ++i) CHECK(keys[i - 1] > keys[i]);
    auto truth = truthKeys(sim.truthNdjson("chat:T1", false));
    REQUIRE(truth.size() == 500);
    std::reverse(truth.begin(), truth.end());
    truth.resize(100);
    CHECK(keys == truth);

    const auto defaults = get(session, "/me/messages?chat_id=chat:T1&access_token=" + kToken);
    CHECK(pageKeys(defaults.body).size() == 50);
}

TEST_CASE("sim bounds are inclusive or exclusive as configured", "[sim]") {
    for (const bool inclusive : {true, false}) {
        SimConfig config = smallConfig(300);
        config.inclusiveBounds = inclusive;
        Simulator sim(config);
        sim.start();
        Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
        const auto truth = truthKeys(sim.truthNdjson("chat:T1", false));
        const std::int64_t t = truth[150].first;
        const auto atT =
            static_cast<std::size_t>(std::count_if(truth.begin(), truth.end(), [&](auto& k) { return k.first == t; }));

        // from = T, to = T - 1: inclusive returns the messages at T (and T - 1, which has none); exclusive returns
        // none.
        const auto a = pageKeys(get(session, history("chat:T1", "from=" + std::to_string(t) +
                                                                    "&to=" + std::to_string(t - 1) + "&count=100"))
                                    .body);
        // from = T + 1, to = T - 1: both return exactly the messages at T.
        const auto b = pageKeys(get(session, history("chat:T1", "from=" + std::to_string(t + 1) +
                                                                    "&to=" + std::to_string(t - 1) + "&count=100"))
                                    .body);
        // from = T + 1, to = T: inclusive returns T's messages, exclusive none.
        const auto c = pageKeys(get(session, history("chat:T1", "from=" + std::to_string(t + 1) +
                                                                    "&to=" + std::to_string(t) + "&count=100"))
                                    .body);
        CHECK(b.size() == atT);
        for (const auto& key : b) CHECK(key.first == t);
        if (inclusive) {
            CHECK(a.size() == atT);
            CHECK(c.size() == atT);
        } else {
            CHECK(a.empty());
            CHECK(c.empty());
        }
    }
}

TEST_CASE("sim answers from <= to with error 100 over HTTP 200", "[sim]") {
    Simulator sim(smallConfig(50));
    sim.start();
    Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
    for (const std::string query : {"from=5&to=5", "from=4&to=5", "count=0", "from=abc"}) {
        const auto reply = get(session, history("chat:T1", query));
        CHECK(reply.status == 200);
        CHECK(reply.invocationError == "100");
        CHECK(parseObject(reply.body)->getValue<int>("error_code") == 100);
    }
}

TEST_CASE("sim answers a wrong or missing token with 102 over HTTP 200", "[sim]") {
    Simulator sim(smallConfig(50));
    sim.start();
    Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
    for (const std::string uri :
         {"/me/messages/chat:T1?access_token=wrong", "/me/messages/chat:T1", "/me/chats?access_token=x"}) {
        const auto reply = get(session, uri);
        CHECK(reply.status == 200);
        CHECK(reply.invocationError == "102");
        const auto error = parseObject(reply.body);
        CHECK(error->getValue<int>("error_code") == 102);
        CHECK(error->getValue<std::string>("error_msg") == "PARAM_SESSION_EXPIRED : Session expired");
        CHECK(error->get("error_data").isEmpty());
    }
    sim.setToken("fresh");
    CHECK(get(session, history("chat:T1", "")).invocationError == "102");
    CHECK(get(session, "/me/messages/chat:T1?access_token=fresh").invocationError.empty());
}

TEST_CASE("sim answers 10 for a forbidden chat and 300 for an unknown one", "[sim]") {
    SimConfig config = smallConfig(20);
    ChatSpec forbidden{"chat:F", "", 10, ChatSpec::Access::Forbidden, {}};
    ChatSpec hidden{"chat:H", "", 10, ChatSpec::Access::NotFound, {}};
    config.chats.push_back(forbidden);
    config.chats.push_back(hidden);
    Simulator sim(config);
    sim.start();
    Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
    CHECK(get(session, history("chat:F", "")).invocationError == "10");
    CHECK(get(session, "/me/chat/chat:F?access_token=" + kToken).invocationError == "10");
    CHECK(get(session, history("chat:H", "")).invocationError == "300");
    CHECK(get(session, history("chat:nope", "")).invocationError == "300");
    CHECK(get(session, "/me/chat/chat:nope?access_token=" + kToken).invocationError == "300");
    const auto chat = parseObject(get(session, "/me/chat/chat:T1?access_token=" + kToken).body);
    CHECK(chat->getValue<std::string>("chat_id") == "chat:T1");
    CHECK(chat->getObject("participants")->size() == chat->getValue<std::size_t>("participants_count"));
    CHECK(chat->getObject("icon")->has("url"));
    const auto info = parseObject(get(session, "/me/info?access_token=" + kToken).body);
    CHECK(info->getValue<std::string>("group_id").rfind("group:", 0) == 0);
}

TEST_CASE("sim chats marker paging returns every listed chat once", "[sim]") {
    SimConfig config;
    for (int i = 0; i < 7; ++i) {
        ChatSpec chat{"chat:P" + std::to_string(i), "", 5, ChatSpec::Access::Ok, {}};
        if (i == 3) chat.access = ChatSpec::Access::Forbidden;
        if (i == 5) chat.access = ChatSpec::Access::NotFound;
        config.chats.push_back(chat);
    }
    Simulator sim(config);
    sim.start();
    Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
    std::multiset<std::string> seen;
    std::string marker;
    int pages = 0;
    while (true) {
        const auto reply =
            get(session, "/me/chats?count=2&access_token=" + kToken + (marker.empty() ? "" : "&marker=" + marker));
        const auto root = parseObject(reply.body);
        const auto chats = root->getArray("chats");
        REQUIRE(chats);
        for (std::size_t i = 0; i < chats->size(); ++i) {
            const auto chat = chats->getObject(static_cast<unsigned>(i));
            seen.insert(chat->getValue<std::string>("chat_id"));
            CHECK(chat->getValue<std::string>("type") == "CHAT");
            CHECK(chat->has("last_event_time"));
        }
        ++pages;
        REQUIRE(pages < 10);
        if (!root->has("marker")) break;
        marker = root->getValue<std::string>("marker");
    }
    CHECK(pages == 3);
    CHECK(seen == std::multiset<std::string>{"chat:P0", "chat:P1", "chat:P2", "chat:P3", "chat:P4", "chat:P6"});
    CHECK(get(session, "/me/chats?count=101&access_token=" + kToken).invocationError == "100");
    CHECK(get(session, "/me/chats?count=0&access_token=" + kToken).invocationError == "100");
    CHECK(get(session, "/me/chats?marker=garbage&access_token=" + kToken).invocationError == "100");
}

TEST_CASE("sim POST appends a bot message and the truth shows it", "[sim]") {
    Simulator sim(smallConfig(40));
    sim.start();
    Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
    const std::string body = R"({"recipient":{"chat_id":"chat:T1"},"message":{"text":"Hi \u00e9 \"there\" <b>"}})";
    const auto reply = http(session, "POST", history("chat:T1", ""), body, "application/json;charset=utf-8");
    REQUIRE(reply.status == 200);
    const auto answer = parseObject(reply.body);
    CHECK(answer->getValue<bool>("success"));
    const auto mid = answer->getValue<std::string>("message_id");
    CHECK(sim.messageCount("chat:T1") == 41);
    const auto truth = lines(sim.truthNdjson("chat:T1", false));
    REQUIRE(truth.size() == 41);
    const auto& last = truth.back();
    CHECK(last.find("\"mid\":\"" + mid + "\"") != std::string::npos);
    CHECK(
        last.find(
            R"("sender":{"user_id":"user:910000000001","name":"okarchive bot"},"kind":"message","text":"Hi é \"there\" <b>","attachments":[],"reply_to":null,"edited_at":null,"revisions":[],"deleted_observed_at":null})") !=
        std::string::npos);

    // The newest page starts with it.
    const auto page = parseObject(get(session, history("chat:T1", "count=1")).body);
    CHECK(page->getArray("messages")->getObject(0)->getObject("message")->getValue<std::string>("mid") == mid);

    // The query form works too; a wrong content type is refused.
    const auto viaQuery =
        http(session, "POST", "/me/messages?chat_id=chat:T1&access_token=" + kToken, body, "application/json");
    CHECK(viaQuery.invocationError.empty());
    CHECK(sim.messageCount("chat:T1") == 42);
    const auto wrongType = http(session, "POST", history("chat:T1", ""), body, "text/plain");
    CHECK(wrongType.invocationError == "100");
    const auto wrongChat = http(session, "POST", history("chat:T1", ""),
                                R"({"recipient":{"chat_id":"chat:other"},"message":{"text":"x"}})", "application/json");
    CHECK(wrongChat.invocationError == "100");
    CHECK(sim.messageCount("chat:T1") == 42);
}

TEST_CASE("sim cluster of 120 sits in one millisecond and only 100 are reachable", "[sim]") {
    SimConfig config = smallConfig(1000);
    config.clusters = {120};
    Simulator sim(config);
    sim.start();
    const auto truth = truthKeys(sim.truthNdjson("chat:T1", false));
    REQUIRE(truth.size() == 1000);
    std::map<std::int64_t, std::size_t> perMs;
    for (const auto& key : truth) ++perMs[key.first];
    const auto biggest =
        std::max_element(perMs.begin(), perMs.end(), [](auto& a, auto& b) { return a.second < b.second; });
    REQUIRE(biggest->second == 120);
    const std::int64_t t = biggest->first;

    Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
    const auto page = pageKeys(
        get(session, history("chat:T1", "from=" + std::to_string(t) + "&to=" + std::to_string(t - 1) + "&count=100"))
            .body);
    REQUIRE(page.size() == 100);
    for (const auto& key : page) CHECK(key.first == t);

    const auto reachable = truthKeys(sim.truthNdjson("chat:T1", true));
    CHECK(reachable.size() == 980);
    std::vector<std::pair<std::int64_t, std::int64_t>> reachableAtT;
    for (const auto& key : reachable)
        if (key.first == t) reachableAtT.push_back(key);
    std::reverse(reachableAtT.begin(), reachableAtT.end());
    CHECK(reachableAtT == page);
}

TEST_CASE("sim truth holds exactly the configured messages in the export format", "[sim]") {
    SimConfig config = smallConfig(2000);
    config.chats.push_back(ChatSpec{"chat:T2", "", 77, ChatSpec::Access::Ok, {60}});
    config.chats.push_back(ChatSpec{"chat:T3", "", 0, ChatSpec::Access::Ok, {}});
    Simulator sim(config);
    const auto truth = lines(sim.truthNdjson("chat:T1", false));
    CHECK(truth.size() == 2000);
    CHECK(lines(sim.truthNdjson("chat:T2", false)).size() == 77);
    CHECK(sim.truthNdjson("chat:T3", false).empty());
    CHECK_THROWS_AS(sim.truthNdjson("chat:none", false), std::out_of_range);

    std::set<std::string> mids;
    std::size_t services = 0, withAttachments = 0, replies = 0, nullTexts = 0;
    for (const auto& line : truth) {
        INFO(line.substr(0, 300));
        REQUIRE(line.rfind("{\"chat_id\":\"chat:T1\",\"mid\":\"mid:T1.", 0) == 0);
        const auto root = parseObject(line);
        std::vector<std::string> keys;
        for (const auto& name : root->getNames()) keys.push_back(name);
        const bool service = root->getValue<std::string>("kind") == "service";
        std::vector<std::string> expected = {"chat_id", "mid", "seq", "timestamp", "time", "sender", "kind", "text"};
        if (service) expected.push_back("service");
        expected.push_back("attachments");
        expected.push_back("reply_to");
        expected.insert(expected.end(), {"edited_at", "revisions", "deleted_observed_at"});
        CHECK(keys == expected);
        CHECK(mids.insert(root->getValue<std::string>("mid")).second);
        CHECK(root->getValue<std::string>("time").size() == 24);
        services += service ? 1 : 0;
        withAttachments += root->getArray("attachments")->size() > 0 ? 1 : 0;
        replies += root->get("reply_to").isEmpty() ? 0 : 1;
        nullTexts += root->get("text").isEmpty() ? 1 : 0;
        CHECK(line.back() == '}');
    }
    CHECK(services > 10);
    CHECK(withAttachments > 100);
    CHECK(replies > 50);
    CHECK(nullTexts > 10);
}

TEST_CASE("sim seq exceeds 2^53 on the wire and grows with time", "[sim]") {
    Simulator sim(smallConfig(300));
    sim.start();
    Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
    const auto page = get(session, history("chat:T1", "count=100"));
    const auto seqs = rawSeqs(page.body);
    REQUIRE(seqs.size() == 100);
    for (std::size_t i = 0; i < seqs.size(); ++i) {
        CHECK(seqs[i] > (std::int64_t{1} << 53));
        if (i > 0) CHECK(seqs[i - 1] > seqs[i]);
    }
}

TEST_CASE("sim is deterministic: same seed same truth", "[sim]") {
    Simulator a(smallConfig(1500, 42));
    Simulator b(smallConfig(1500, 42));
    Simulator c(smallConfig(1500, 43));
    CHECK(a.truthNdjson("chat:T1", false) == b.truthNdjson("chat:T1", false));
    CHECK(a.truthNdjson("chat:T1", false) != c.truthNdjson("chat:T1", false));
}

TEST_CASE("sim wire text decodes to the truth text for every message", "[sim]") {
    Simulator sim(smallConfig(1200, 3));
    sim.start();
    Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
    std::vector<Poco::JSON::Object::Ptr> wire;  // newest first
    std::string from;
    while (true) {
        const auto body = get(session, history("chat:T1", "count=100" + from)).body;
        const auto messages = parseObject(body)->getArray("messages");
        if (messages->size() == 0) break;
        std::int64_t oldest = 0;
        for (std::size_t i = 0; i < messages->size(); ++i) {
            wire.push_back(messages->getObject(static_cast<unsigned>(i)));
            oldest = wire.back()->getValue<Poco::Int64>("timestamp");
        }
        // Natural clusters are at most 5, so asking below the oldest timestamp after re-reading it loses nothing here:
        // drop the oldest millisecond and ask again from it (inclusive bounds).
        while (!wire.empty() && wire.back()->getValue<Poco::Int64>("timestamp") == oldest) wire.pop_back();
        from = "&from=" + std::to_string(oldest);
        if (messages->size() < 100) {
            for (std::size_t i = 0; i < messages->size(); ++i) {
                const auto m = messages->getObject(static_cast<unsigned>(i));
                if (m->getValue<Poco::Int64>("timestamp") == oldest) wire.push_back(m);
            }
            break;
        }
    }
    const auto truth = lines(sim.truthNdjson("chat:T1", false));
    REQUIRE(wire.size() == truth.size());
    std::size_t hostile = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const auto expected = parseObject(truth[i]);
        const auto actual = wire[wire.size() - 1 - i];
        const auto message = actual->getObject("message");
        INFO(truth[i].substr(0, 300));
        CHECK(message->getValue<std::string>("mid") == expected->getValue<std::string>("mid"));
        if (expected->get("text").isEmpty()) {
            CHECK_FALSE(message->has("text"));
        } else {
            CHECK(message->getValue<std::string>("text") == expected->getValue<std::string>("text"));
            const auto text = expected->getValue<std::string>("text");
            hostile += text.find('<') != std::string::npos || text.find('\0') != std::string::npos ? 1 : 0;
        }
        CHECK(actual->getObject("sender")->getValue<std::string>("name") ==
              expected->getObject("sender")->getValue<std::string>("name"));
        const std::size_t single = message->has("attachment") ? 1 : 0;
        const std::size_t many = message->has("attachments") ? message->getArray("attachments")->size() : 0;
        CHECK(expected->getArray("attachments")->size() == single + many);
    }
    CHECK(hostile > 5);
}

TEST_CASE("sim control endpoints append, count and reset", "[sim]") {
    Simulator sim(smallConfig(30));
    sim.start();
    Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
    const auto appended = http(session, "POST", "/_sim/append?chat_id=chat:T1&count=5");
    CHECK(appended.body == R"({"appended":5})");
    sim.append("chat:T1", 2);
    CHECK(sim.messageCount("chat:T1") == 37);
    const auto truth = get(session, "/_sim/truth?chat_id=chat:T1");
    CHECK(truth.body == sim.truthNdjson("chat:T1", false));
    CHECK(lines(truth.body).size() == 37);
    CHECK(get(session, "/_sim/truth?chat_id=chat:zzz").status == 404);

    get(session, history("chat:T1", ""));
    get(session, "/me/chats?access_token=" + kToken);
    const auto stats = parseObject(get(session, "/_sim/stats").body);
    CHECK(stats->getValue<int>("requests") == 2);
    CHECK(stats->getValue<int>("history_requests") == 1);
    CHECK(stats->getObject("by_path")->getValue<int>("/me/chats") == 1);
    CHECK(sim.apiRequests() == 2);
    http(session, "POST", "/_sim/stats/reset");
    CHECK(sim.apiRequests() == 0);

    const auto faults = http(session, "POST", "/_sim/faults?rate=1&kinds=error2");
    CHECK(faults.body == R"({"fault_rate":1,"kinds":["error2"]})");
    CHECK(get(session, history("chat:T1", "")).invocationError == "2");
    CHECK(get(session, "/_sim/stats").status == 200);
    CHECK(http(session, "POST", "/_sim/faults?rate=0").body == R"({"fault_rate":0,"kinds":["error2"]})");
    CHECK(http(session, "POST", "/_sim/faults?kinds=bogus").status == 400);
    CHECK(http(session, "POST", "/_sim/token?value=t2").status == 200);
    CHECK(get(session, history("chat:T1", "")).invocationError == "102");
    CHECK(get(session, "/me/messages/chat:T1?access_token=t2").invocationError.empty());
    CHECK(get(session, "/me/unknown?access_token=t2").invocationError == "3");
    CHECK(get(session, "/elsewhere").status == 404);
}

TEST_CASE("sim faults are deterministic and shaped like the real failures", "[sim]") {
    SimConfig config = smallConfig(30);
    config.faultRate = 0.5;
    config.faultKinds = {"error8", "429"};
    config.retryAfterSeconds = 3;
    std::vector<std::string> outcomes[2];
    for (auto& outcome : outcomes) {
        Simulator sim(config);
        sim.start();
        Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
        for (int i = 0; i < 40; ++i) {
            const auto reply = get(session, history("chat:T1", "count=1"));
            if (reply.status == 429) CHECK(reply.retryAfter == "3");
            outcome.push_back(std::to_string(reply.status) + "/" + reply.invocationError);
        }
        // Control endpoints never fail.
        for (int i = 0; i < 10; ++i) CHECK(get(session, "/_sim/stats").status == 200);
    }
    CHECK(outcomes[0] == outcomes[1]);
    CHECK(std::count(outcomes[0].begin(), outcomes[0].end(), "200/") > 5);
    CHECK(std::count(outcomes[0].begin(), outcomes[0].end(), "200/8") > 2);
    CHECK(std::count(outcomes[0].begin(), outcomes[0].end(), "429/") > 2);
}

TEST_CASE("sim reset and truncated faults break the response", "[sim]") {
    SimConfig config = smallConfig(30);
    config.faultRate = 1;
    config.faultKinds = {"reset"};
    Simulator sim(config);
    sim.start();
    {
        Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
        CHECK_THROWS(get(session, history("chat:T1", "")));
    }
    sim.setFaults(1, {"truncated"});
    {
        Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
        Poco::Net::HTTPRequest request("GET", history("chat:T1", ""), Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        std::string body;
        try {
            Poco::StreamCopier::copyToString(in, body);
        } catch (const Poco::Exception&) {}
        CHECK(static_cast<std::int64_t>(body.size()) < response.getContentLength64());
    }
    sim.setFaults(1, {"nonjson"});
    {
        Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
        const auto reply = get(session, history("chat:T1", ""));
        CHECK((reply.status == 200 || reply.status == 502));
        CHECK(reply.body.rfind("<html>", 0) == 0);
    }
    sim.setFaults(0, {});
    Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
    CHECK(get(session, history("chat:T1", "")).status == 200);
}

TEST_CASE("sim appends in the background when asked", "[sim]") {
    SimConfig config = smallConfig(10);
    config.appendEveryMs = 20;
    Simulator sim(config);
    sim.start();
    for (int i = 0; i < 100 && sim.messageCount("chat:T1") < 13; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    sim.stop();
    const auto count = sim.messageCount("chat:T1");
    CHECK(count >= 13);
    const auto keys = truthKeys(sim.truthNdjson("chat:T1", false));
    for (std::size_t i = 1; i < keys.size(); ++i) CHECK(keys[i - 1] < keys[i]);
}
