#include "sim/RequestStats.h"

#include "sim/JsonEscape.h"

namespace okarchive::sim {

void RequestStats::record(const std::string& path, bool history) {
    std::lock_guard lock(_mutex);
    ++_requests;
    if (history) ++_history;
    ++_byPath[path];
}

void RequestStats::recordMediaRequest() {
    std::lock_guard lock(_mutex);
    ++_mediaRequests;
}

void RequestStats::recordMediaAnswer(int status, std::uint64_t bytes) {
    std::lock_guard lock(_mutex);
    _mediaBytes += bytes;
    ++_mediaByStatus[status];
}

std::string RequestStats::json() const {
    std::lock_guard lock(_mutex);
    std::string out = "{\"requests\":" + std::to_string(_requests) +
                      ",\"history_requests\":" + std::to_string(_history) + ",\"by_path\":{";
    bool first = true;
    for (const auto& [path, count] : _byPath) {
        if (!first) out += ',';
        first = false;
        appendCanonicalString(out, path);
        out += ':' + std::to_string(count);
    }
    out += "},\"media_requests\":" + std::to_string(_mediaRequests) +
           ",\"media_bytes\":" + std::to_string(_mediaBytes) + ",\"media_by_status\":{";
    first = true;
    for (const auto& [status, count] : _mediaByStatus) {
        out += std::string(first ? "" : ",") + "\"" + std::to_string(status) + "\":" + std::to_string(count);
        first = false;
    }
    out += "}}";
    return out;
}

void RequestStats::reset() {
    std::lock_guard lock(_mutex);
    _requests = 0;
    _history = 0;
    _byPath.clear();
    _mediaRequests = 0;
    _mediaBytes = 0;
    _mediaByStatus.clear();
}

std::uint64_t RequestStats::requests() const {
    std::lock_guard lock(_mutex);
    return _requests;
}

}  // namespace okarchive::sim

namespace okarchive::sim {

std::uint64_t RequestStats::mediaRequests() const {
    std::lock_guard lock(_mutex);
    return _mediaRequests;
}

}  // namespace okarchive::sim
