#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace okarchive::sim {

/// One chat of the simulated dataset.
struct ChatSpec {
    std::string chatId = {};   ///< "chat:..."
    std::string title = {};    ///< empty: the sim picks one
    std::size_t messages = 0;  ///< messages generated at start (at least the sum of its clusters)
    enum class Access {
        Ok,
        Forbidden,
        NotFound
    } access = Access::Ok;  ///< Forbidden: listed, calls answer 10; NotFound: unlisted, 300
    std::vector<std::size_t> clusters =
        {};  ///< extra same-millisecond clusters for this chat only (added to SimConfig::clusters)
};

/// Everything the simulator can be told. Defaults match the CLI defaults.
struct SimConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;           ///< 0: any free port (see Simulator::port())
    std::string token = "sim-token";  ///< the accepted access_token
    bool inclusiveBounds = true;      ///< from >= ts >= to (true) or from > ts > to (false)
    int pageCap = 100;                ///< count is silently capped at this
    std::uint64_t seed = 1;
    std::vector<ChatSpec> chats = {};  ///< empty: one chat chat:C3ecb9d02a600 "OK Archive Demo" with 20,000 messages
    std::vector<std::size_t> clusters = {};  ///< same-millisecond clusters of exactly N messages, put into every chat
    double faultRate = 0;                    ///< 0..1, share of API requests that get a fault
    std::vector<std::string> faultKinds =
        {};                     ///< 500 503 429 error8 error2 truncated nonjson reset delay; empty: all but delay
    int retryAfterSeconds = 0;  ///< Retry-After of the 429 fault
    int delayMs = 2000;         ///< sleep of the delay fault
    int appendEveryMs = 0;      ///< >0: a thread appends one message to every chat this often
    int editEveryMs = 0;        ///< >0: the same thread edits one random live message of every chat this often
    int deleteEveryMs = 0;      ///< >0: ... and deletes one this often
    std::string botUserId = "user:910000000001";  ///< sender of POSTed messages

    /// Where generated media links point: Local = this server's /media/<kind>/<id> (signed, expiring, served),
    /// Remote = CDN-looking https links as before (nothing served).
    enum class Media { Local, Remote } media = Media::Local;
    std::int64_t mediaLinkTtlMs = 3600000;  ///< a minted link expires this long after it was served
    bool mediaFreshLinks = false;  ///< mint a new link on every serve (else a link is reused while ttl/2 is left)
    double mediaFaultRate = 0;     ///< 0..1, share of media ids that get a fault
    std::vector<std::string> mediaFaultKinds = {};  ///< see MediaFaultPlan::names(); empty: all
    int mediaTrickleMs = 60000;                     ///< the pause of the trickle fault
    std::int64_t mediaMaxSize = 2 * 1024 * 1024;    ///< the largest media file; sizes scale with it
    std::function<std::int64_t()> mediaClock = {};  ///< the clock links are minted and checked by; empty: wall clock
};

}  // namespace okarchive::sim
