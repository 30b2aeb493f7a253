#pragma once

// Helpers shared by the sim tests: a tiny HTTP client over Poco and NDJSON utilities.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "sim/Simulator.h"

namespace simtest {

struct HttpResult {
    int status = 0;
    std::string body;
    std::string invocationError;  ///< the invocation-error header, empty if absent
    std::string retryAfter;       ///< the Retry-After header, empty if absent
    std::string contentType;
};

inline HttpResult http(Poco::Net::HTTPClientSession& session, const std::string& method, const std::string& uri,
                       const std::string& body = "", const std::string& contentType = "") {
    Poco::Net::HTTPRequest request(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    if (!contentType.empty()) request.setContentType(contentType);
    if (method == "POST") request.setContentLength(static_cast<std::streamsize>(body.size()));
    std::ostream& out = session.sendRequest(request);
    out << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpResult result;
    result.status = static_cast<int>(response.getStatus());
    result.invocationError = response.get("invocation-error", "");
    result.retryAfter = response.get("Retry-After", "");
    result.contentType = response.getContentType();
    Poco::StreamCopier::copyToString(in, result.body);
    return result;
}

inline HttpResult get(Poco::Net::HTTPClientSession& session, const std::string& uri) {
    return http(session, "GET", uri);
}

/// Parses a JSON object with Poco. Poco refuses lone surrogate escapes, which the sim sends on purpose:
/// they become \\ufffd first, the same way on both sides of any comparison.
inline Poco::JSON::Object::Ptr parseObject(std::string text) {
    for (const std::string lone : {"\\ud800", "\\uD800"})
        for (auto pos = text.find(lone); pos != std::string::npos; pos = text.find(lone, pos))
            text.replace(pos, lone.size(), "\\ufffd");
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

inline std::vector<std::string> lines(const std::string& ndjson) {
    std::vector<std::string> out;
    std::istringstream in(ndjson);
    std::string line;
    while (std::getline(in, line)) out.push_back(line);
    return out;
}

/// Every integer following "seq": in a body, read as text (never through a double).
inline std::vector<std::int64_t> rawSeqs(const std::string& body) {
    std::vector<std::int64_t> out;
    const std::string key = "\"seq\":";
    for (auto pos = body.find(key); pos != std::string::npos; pos = body.find(key, pos + 1)) {
        std::size_t end = pos + key.size();
        while (end < body.size() && body[end] >= '0' && body[end] <= '9') ++end;
        out.push_back(std::stoll(body.substr(pos + key.size(), end - pos - key.size())));
    }
    return out;
}

/// The integer member `key` of a flat NDJSON line, read as text.
inline std::int64_t rawInt(const std::string& line, const std::string& key) {
    const std::string needle = "\"" + key + "\":";
    const auto pos = line.find(needle);
    if (pos == std::string::npos) return -1;
    return std::stoll(line.substr(pos + needle.size(), 20));
}

inline okarchive::sim::SimConfig smallConfig(std::size_t messages, std::uint64_t seed = 7) {
    okarchive::sim::SimConfig config;
    config.seed = seed;
    okarchive::sim::ChatSpec chat;
    chat.chatId = "chat:T1";
    chat.title = "Test chat";
    chat.messages = messages;
    config.chats.push_back(chat);
    return config;
}

}  // namespace simtest
