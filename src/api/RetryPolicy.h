#pragma once

#include <chrono>
#include <optional>
#include <random>
#include <string>

namespace okarchive {

/// How an OK error_code is treated.
enum class ErrorClass {
    Transient,   ///< 1, 2, 8, 11: retry with backoff
    Auth,        ///< 101, 102, 103: the token is invalid or expired, stop everything
    ChatAccess,  ///< 10, 50, 300: this chat fails, others go on
    Final        ///< anything else (e.g. 100 PARAM): this request fails
};

ErrorClass classifyErrorCode(int errorCode);

/// OK's name for an error_code (102 -> "PARAM_SESSION_EXPIRED"); "" if unknown.
const char* errorCodeName(int errorCode);

/// Exponential backoff with full jitter, bounded by a number of retries and an overall deadline.
struct RetryPolicy {
    int maxRetries = 5;
    std::chrono::milliseconds baseDelay{500};
    std::chrono::milliseconds maxDelay{30000};
    std::chrono::milliseconds deadline{120000};  ///< no retry starts after this much time since the first attempt

    /// Delay before retry number `attempt` (0-based): uniform in [0, min(maxDelay, baseDelay * 2^attempt)].
    std::chrono::milliseconds backoff(int attempt, std::mt19937_64& rng) const;
};

/// Parses an HTTP Retry-After value: delay-seconds or an HTTP date (relative to `now`). Nothing if unparsable.
std::optional<std::chrono::milliseconds> parseRetryAfter(const std::string& value,
                                                         std::chrono::system_clock::time_point now);

}  // namespace okarchive
