#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace okarchive::sim {

/// Counts API requests (never /_sim ones), in total, history calls, and per path; and media requests. Thread-safe.
class RequestStats {
public:
    /// Counts one API request to `path` (the URI path without query).
    void record(const std::string& path, bool history);

    /// Counts one request under /media/ as it starts.
    void recordMediaRequest();
    /// Adds a finished media request's answer: `status` (0: none) and the body `bytes` sent.
    void recordMediaAnswer(int status, std::uint64_t bytes);

    /// {"requests":N,"history_requests":N,"by_path":{...},"media_requests":N,"media_bytes":N,
    ///  "media_by_status":{"200":N,...}} (media_requests counted as they start, bytes and statuses as they finish)
    std::string json() const;

    /// Zeroes every counter.
    void reset();

    /// API requests since start or the last reset.
    std::uint64_t requests() const;

    /// Media requests since start or the last reset.
    std::uint64_t mediaRequests() const;

private:
    mutable std::mutex _mutex;
    std::uint64_t _requests = 0;
    std::uint64_t _history = 0;
    std::map<std::string, std::uint64_t> _byPath;
    std::uint64_t _mediaRequests = 0;
    std::uint64_t _mediaBytes = 0;
    std::map<int, std::uint64_t> _mediaByStatus;
};

}  // namespace okarchive::sim
