#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace okarchive::sim {

/// Counts API requests (never /_sim ones), in total, history calls, and per path. Thread-safe.
class RequestStats {
public:
    /// Counts one API request to `path` (the URI path without query).
    void record(const std::string& path, bool history);

    /// {"requests":N,"history_requests":N,"by_path":{...}}
    std::string json() const;

    /// Zeroes every counter.
    void reset();

    /// API requests since start or the last reset.
    std::uint64_t requests() const;

private:
    mutable std::mutex _mutex;
    std::uint64_t _requests = 0;
    std::uint64_t _history = 0;
    std::map<std::string, std::uint64_t> _byPath;
};

}  // namespace okarchive::sim
