#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/Json.h"
#include "net/HttpTransport.h"

namespace okarchive {

/// What one HTTP exchange with the Graph API amounts to under OK's rules (no token, no retrying: GraphClient does
/// that with it).
struct ApiAnswer {
    enum class Kind { Ok, Transient, Final };
    Kind kind = Kind::Final;
    JsonDocument doc;            ///< when Ok
    int httpStatus = 0;          ///< 0 when the exchange failed below HTTP
    int errorCode = 0;           ///< OK's error_code, 0 if none
    std::string failure;         ///< what went wrong, for messages ("HTTP 503 Service Unavailable", "timeout ...")
    bool maybeProcessed = true;  ///< could the server have acted on it? (decides POST retries)
    std::optional<std::chrono::milliseconds> retryAfter;
    std::string retryReason;  ///< when Transient: why, as okarchive_api_retries_total counts it (retryReasons())
};

/// Every retryReason a transient answer carries: timeout, network (refused, reset, cut short), http_408, http_429,
/// http_5xx, api_error (a transient OK error_code such as 8 FLOOD_BLOCKED), invalid_body (a 2xx that is not JSON).
const std::vector<std::string>& retryReasons();

/// Removes secrets (the access token) from a text taken from an answer.
using Redactor = std::function<std::string(const std::string&)>;

/// What the request was, as far as judging its answer goes.
struct AnswerRules {
    bool isPost = false;               ///< an empty 2xx body means done
    std::size_t maxValues = SIZE_MAX;  ///< JSON values the body may hold; more is a final failure (memory)
};

/// Judges a whole HTTP answer: OK reports errors in the body (error_code, or the invocation-error header) whatever
/// the status, then the status counts, then the body must be JSON of at most `rules.maxValues` values.
/// `wallNow` dates a Retry-After given as an HTTP date. `redact` cleans OK's error_msg before it is clipped.
ApiAnswer judgeAnswer(HttpResponse response, const AnswerRules& rules, std::chrono::system_clock::time_point wallNow,
                      const Redactor& redact);

/// A request the transport could not complete: transient unless retrying cannot help.
ApiAnswer judgeFailure(const TransportError& failure);

/// "error 102 PARAM_SESSION_EXPIRED" (or "error 77" for a code OK does not name).
std::string errorCodeLabel(int code);

}  // namespace okarchive
