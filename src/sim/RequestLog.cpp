#include "sim/RequestLog.h"

#include "sim/JsonEscape.h"

namespace okarchive::sim {

void LoggedRequest::setTokenIn(std::vector<std::string> places) {
    std::lock_guard lock(_mutex);
    _tokenIn = std::move(places);
}

void LoggedRequest::setMedia(MediaRequestInfo media) {
    std::lock_guard lock(_mutex);
    _media = std::move(media);
}

void LoggedRequest::appendJson(std::string& out, std::uint64_t seq, std::int64_t timeMs) const {
    std::lock_guard lock(_mutex);
    out += "{\"seq\":" + std::to_string(seq) + ",\"time_ms\":" + std::to_string(timeMs) +
           ",\"method\":" + canonicalString(_method) + ",\"path\":" + canonicalString(_path) +
           ",\"query\":" + canonicalString(_query) + ",\"status\":" + std::to_string(_status.load()) +
           ",\"bytes\":" + std::to_string(_bytes.load()) + ",\"token_seen\":" + (_tokenIn.empty() ? "false" : "true") +
           ",\"token_in\":[";
    for (std::size_t i = 0; i < _tokenIn.size(); ++i) out += (i > 0 ? "," : "") + canonicalString(_tokenIn[i]);
    out += "],\"media\":";
    if (!_media) {
        out += "null}\n";
        return;
    }
    out += "{\"kind\":\"" + std::string(mediaKindName(_media->kind)) + "\",\"id\":" + canonicalString(_media->id) +
           ",\"fault\":\"" + std::string(mediaFaultName(_media->fault)) + "\",\"link\":\"" +
           std::string(linkCheckName(_media->link)) + "\",\"sha256\":\"" + _media->truth.sha256 +
           "\",\"size\":" + std::to_string(_media->truth.size) + "}}\n";
}

std::shared_ptr<LoggedRequest> RequestLog::begin(std::string method, std::string path, std::string query,
                                                 std::int64_t timeMs) {
    auto request = std::make_shared<LoggedRequest>(std::move(method), std::move(path), std::move(query));
    std::lock_guard lock(_mutex);
    _entries.push_back({_next++, timeMs, request});
    while (_entries.size() > _capacity) _entries.pop_front();
    return request;
}

std::string RequestLog::ndjson(std::uint64_t since) const {
    std::vector<Stored> copy;
    {
        std::lock_guard lock(_mutex);
        for (const auto& stored : _entries)
            if (stored.seq > since) copy.push_back(stored);
    }
    std::string out;
    for (const auto& stored : copy) stored.request->appendJson(out, stored.seq, stored.timeMs);
    return out;
}

void RequestLog::reset() {
    std::lock_guard lock(_mutex);
    _entries.clear();
}

}  // namespace okarchive::sim
