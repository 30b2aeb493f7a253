// okapi-sim's media: links on its own address, signed and expiring, deterministic content, the request log.
#include <catch2/catch.hpp>

#include <Poco/Net/NetException.h>

#include <map>
#include <regex>
#include <set>

#include "SimMediaSupport.h"

using okarchive::sim::SimConfig;
using okarchive::sim::Simulator;
using namespace simtest;

namespace {

const std::regex kLink(
    R"(http://127\.0\.0\.1:(\d+)/media/(image|video|audio|file|sticker|contact|other)/([0-9A-Za-z_-]+)\?expires=(-?\d+)&sig=([0-9a-f]{32}))");

/// The query of `url` with its sig replaced by `sig`.
std::string withSig(const std::string& url, const std::string& sig) {
    return url.substr(0, url.find("&sig=") + 5) + sig;
}

std::int64_t expiresOf(const std::string& url) {
    std::smatch match;
    REQUIRE(std::regex_match(url, match, kLink));
    return std::stoll(match[4]);
}

}  // namespace

TEST_CASE("sim media links point at the sim itself as /media/KIND/ID?expires=NOW+TTL&sig=HEX", "[sim][media]") {
    ManualClock clock;
    Simulator sim(mediaConfig(3000, clock));
    sim.start();
    const auto all = mediaOfChat(sim);
    const auto local = localMedia(all);
    REQUIRE(local.size() > 200);
    std::size_t hostile = 0;
    std::set<std::string> kinds;
    for (const auto& media : all) {
        if (media.url.rfind("javascript:", 0) == 0 || media.url.rfind("data:", 0) == 0) ++hostile;
        if (media.url.find("/media/") == std::string::npos) continue;
        std::smatch match;
        INFO(media.type << " " << media.url);
        REQUIRE(std::regex_match(media.url, match, kLink));
        CHECK(std::stoi(match[1]) == sim.port());
        CHECK(match[2] == kindOfType(media.type));
        kinds.insert(match[2]);
        if (media.object->has("id") && media.type != "CONTACT")
            CHECK(match[3] == media.object->getValue<std::string>("id"));
        const std::int64_t expires = std::stoll(match[4]);
        CHECK((expires == clock.now->load() + 3600000 || expires == clock.now->load() - 1));  // fresh, or expired-first
    }
    CHECK(hostile > 0);  // hostile links stay where the sim put them before
    CHECK(kinds == std::set<std::string>{"image", "video", "audio", "file", "sticker", "contact", "other"});
}

TEST_CASE("sim media: --media=remote keeps CDN-looking links and serves nothing", "[sim][media]") {
    ManualClock clock;
    auto config = mediaConfig(1500, clock);
    config.media = SimConfig::Media::Remote;
    Simulator sim(config);
    sim.start();
    const auto all = mediaOfChat(sim);
    REQUIRE(all.size() > 100);
    CHECK(localMedia(all).empty());
    for (const auto& media : all) CHECK(media.url.find("127.0.0.1") == std::string::npos);
    CHECK(sim.mediaTruthJson() == "[]");
}

TEST_CASE("sim media: one id serves the same bytes every time, the size and sha256 the log and media-truth name",
          "[sim][media]") {
    ManualClock clock;
    Simulator sim(mediaConfig(1500, clock));
    sim.start();
    const auto local = localMedia(mediaOfChat(sim));
    REQUIRE(local.size() > 50);
    std::map<std::string, std::string> hashes;
    for (std::size_t i = 0; i < 40; ++i) {
        const auto first = fetch(local[i].url), second = fetch(local[i].url);
        if (first.status != 200) continue;  // no faults by default, but expired-first... is a fault: none here
        CHECK(first.body == second.body);
        CHECK(first.contentLength == static_cast<long long>(first.body.size()));
        hashes[local[i].url.substr(0, local[i].url.find('?'))] = sha256Hex(first.body);
        if (local[i].type == "FILE") CHECK(local[i].object->getValue<std::size_t>("size") == first.body.size());
    }
    REQUIRE(hashes.size() == 40);
    std::size_t logged = 0;
    for (const auto& entry : requestLog(sim)) {
        const auto media = entry->getObject("media");
        if (!media) continue;
        const auto url = "http://127.0.0.1:" + std::to_string(sim.port()) + entry->getValue<std::string>("path");
        CHECK(media->getValue<std::string>("sha256") == hashes.at(url));
        CHECK(entry->getValue<std::size_t>("bytes") == media->getValue<std::size_t>("size"));
        CHECK(entry->getValue<int>("status") == 200);
        ++logged;
    }
    CHECK(logged == 80);
    const auto truth = parseObject("{\"t\":" + sim.mediaTruthJson() + "}")->getArray("t");
    std::size_t matched = 0;
    for (std::size_t i = 0; i < truth->size(); ++i) {
        const auto item = truth->getObject(static_cast<unsigned>(i));
        const auto url = "http://127.0.0.1:" + std::to_string(sim.port()) + "/media/" +
                         item->getValue<std::string>("kind") + "/" + item->getValue<std::string>("id");
        if (hashes.count(url) == 0) continue;
        CHECK(item->getValue<std::string>("sha256") == hashes.at(url));
        ++matched;
    }
    CHECK(matched == 40);
    CHECK(truth->size() == local.size());
}

TEST_CASE("sim media: the same seed makes the same content, links and faults, and the sig depends on the seed",
          "[sim][media]") {
    ManualClock clock;
    auto config = mediaConfig(800, clock, 11);
    config.mediaFaultRate = 0.3;
    Simulator a(config), b(config);
    config.seed = 12;
    Simulator c(config);
    for (auto* sim : {&a, &b, &c}) sim->start();
    const auto mediaA = localMedia(mediaOfChat(a)), mediaB = localMedia(mediaOfChat(b));
    REQUIRE(mediaA.size() == mediaB.size());
    for (std::size_t i = 0; i < mediaA.size(); ++i) {
        const auto tail = [](const std::string& url) { return url.substr(url.find("/media/")); };
        CHECK(tail(mediaA[i].url) == tail(mediaB[i].url));
    }
    const auto strip = [](std::string json, std::uint16_t port) {
        const std::string host = "127.0.0.1:" + std::to_string(port);
        for (auto at = json.find(host); at != std::string::npos; at = json.find(host))
            json.replace(at, host.size(), "HOST");
        return json;
    };
    CHECK(strip(a.mediaTruthJson(), a.port()) == strip(b.mediaTruthJson(), b.port()));
    const auto mediaC = localMedia(mediaOfChat(c));
    CHECK(strip(a.mediaTruthJson(), a.port()) != strip(c.mediaTruthJson(), c.port()));
}

TEST_CASE("sim media links: a wrong or missing sig, or a past expiry, answers 403, and a re-fetched page's link works",
          "[sim][media]") {
    ManualClock clock;
    Simulator sim(mediaConfig(600, clock));
    sim.start();
    const auto local = localMedia(mediaOfPage(page(sim)));
    REQUIRE(local.size() > 3);
    const std::string url = local[0].url;
    REQUIRE(fetch(url).status == 200);
    CHECK(fetch(withSig(url, std::string(32, '0'))).status == 403);
    CHECK(fetch(url.substr(0, url.find('?'))).status == 403);
    CHECK(fetch(url.substr(0, url.find("&sig="))).status == 403);
    const std::string forged =
        std::regex_replace(url, std::regex("expires=\\d+"), "expires=" + std::to_string(expiresOf(url) + 1));
    CHECK(fetch(forged).status == 403);
    const auto forbidden = fetch(withSig(url, std::string(32, 'f')));
    CHECK(forbidden.contentType.find("text/html") == 0);
    CHECK(forbidden.body.size() < 512);

    SECTION("within ttl/2 a re-fetched page carries the same link") {
        *clock.now += 1800000 - 1;
        CHECK(localMedia(mediaOfPage(page(sim)))[0].url == url);
    }
    SECTION("past the expiry the old link is refused and the re-fetched page carries a fresh one that works") {
        *clock.now += 3600001;
        CHECK(fetch(url).status == 403);
        const auto fresh = localMedia(mediaOfPage(page(sim)))[0].url;
        CHECK(fresh != url);
        CHECK(expiresOf(fresh) == clock.now->load() + 3600000);
        CHECK(fetch(fresh).status == 200);
        CHECK(fetch(fresh).body == fetch(fresh).body);
    }
}

TEST_CASE("sim media: with fresh links every served page mints a new link", "[sim][media]") {
    ManualClock clock;
    auto config = mediaConfig(600, clock);
    config.mediaFreshLinks = true;
    Simulator sim(config);
    sim.start();
    const auto first = localMedia(mediaOfPage(page(sim)));
    *clock.now += 1;
    const auto second = localMedia(mediaOfPage(page(sim)));
    REQUIRE(first.size() == second.size());
    REQUIRE(!first.empty());
    for (std::size_t i = 0; i < first.size(); ++i) {
        CHECK(first[i].url != second[i].url);
        CHECK(expiresOf(second[i].url) == expiresOf(first[i].url) + 1);
        CHECK(fetch(first[i].url).status == 200);  // the older link still works until it expires
    }
}

TEST_CASE("sim request log: every API and media request, the raw query, where the token appeared", "[sim][media]") {
    ManualClock clock;
    Simulator sim(mediaConfig(600, clock));
    sim.start();
    const auto local = localMedia(mediaOfPage(page(sim)));
    REQUIRE(!local.empty());
    fetch(local[0].url);
    fetch(local[0].url, {{"Authorization", "Bearer sim-token"}});
    fetch(local[0].url + "&leak=sim-token");
    const auto log = requestLog(sim);
    REQUIRE(log.size() == 4);
    CHECK(log[0]->getValue<std::string>("path") == "/me/messages/chat:T1");
    CHECK(log[0]->getValue<std::string>("query").find("access_token=sim-token") != std::string::npos);
    CHECK(log[0]->getValue<bool>("token_seen"));
    CHECK(log[0]->isNull("media"));
    CHECK(!log[1]->getValue<bool>("token_seen"));
    CHECK(log[1]->getValue<std::string>("query") == local[0].url.substr(local[0].url.find('?') + 1));
    CHECK(log[1]->getObject("media")->getValue<std::string>("link") == "valid");
    CHECK(log[2]->getValue<bool>("token_seen"));
    CHECK(log[2]->getArray("token_in")->getElement<std::string>(0) == "header:Authorization");
    CHECK(log[3]->getArray("token_in")->getElement<std::string>(0) == "uri");
    for (std::size_t i = 0; i < log.size(); ++i) CHECK(log[i]->getValue<std::uint64_t>("seq") == i + 1);
    CHECK(requestLog(sim, 3).size() == 1);
    const auto stats = parseObject(sim.statsJson());
    CHECK(stats->getValue<int>("media_requests") == 3);
    CHECK(stats->getValue<int>("requests") == 1);
    CHECK(sim.mediaRequests() == 3);
}
