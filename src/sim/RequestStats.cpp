#include "sim/RequestStats.h"

#include "sim/JsonEscape.h"

namespace okarchive::sim {

void RequestStats::record(const std::string& path, bool history) {
    std::lock_guard lock(_mutex);
    ++_requests;
    if (history) ++_history;
    ++_byPath[path];
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
    out += "}}";
    return out;
}

void RequestStats::reset() {
    std::lock_guard lock(_mutex);
    _requests = 0;
    _history = 0;
    _byPath.clear();
}

std::uint64_t RequestStats::requests() const {
    std::lock_guard lock(_mutex);
    return _requests;
}

}  // namespace okarchive::sim
