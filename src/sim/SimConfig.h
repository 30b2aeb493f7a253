#pragma once

#include <cstddef>
#include <cstdint>
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
    std::string botUserId = "user:910000000001";  ///< sender of POSTed messages
};

}  // namespace okarchive::sim
