#include "api/ApiAnswer.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "api/RetryPolicy.h"

namespace okarchive {
namespace {

std::optional<int> leadingInt(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    int value = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || ptr == s.data()) return std::nullopt;
    return value;
}

std::string clip(std::string_view text, std::size_t limit = 300) {
    if (text.size() <= limit) return std::string(text);
    return std::string(text.substr(0, limit)) + "...";
}

bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; });
}

/// OK's error_code from the body, else from the invocation-error header; 0 if none. `message` gets error_msg,
/// redacted, then clipped.
int okErrorCode(const std::optional<JsonDocument>& doc, const HttpResponse& response, const Redactor& redact,
                std::string& message) {
    int code = 0;
    if (doc && doc->root().isObject()) {
        if (const JsonValue* ec = doc->root().find("error_code"); ec && !ec->isNull()) {
            if (ec->isInteger() && ec->asInt64() > 0 && ec->asInt64() < 1'000'000'000)
                code = static_cast<int>(ec->asInt64());
            else if (ec->isString())
                code = leadingInt(ec->asString()).value_or(0);
        }
        if (const JsonValue* msg = doc->root().find("error_msg"); msg && msg->isString())
            message = clip(redact(msg->asString()));  // redact first: a clip may cut a secret
    }
    if (const std::string* header = response.header("invocation-error"); code == 0 && header)
        code = leadingInt(*header).value_or(0);
    return code;
}

void judgeErrorCode(ApiAnswer& x, int code, const std::string& message) {
    x.errorCode = code;
    x.failure = message.empty() ? errorCodeLabel(code) : fmt::format("{} ({})", errorCodeLabel(code), message);
    if (classifyErrorCode(code) == ErrorClass::Transient) {
        x.kind = ApiAnswer::Kind::Transient;
        x.maybeProcessed = code != 8;  // FLOOD_BLOCKED: refused, certainly not performed
        x.retryReason = "api_error";
    } else {
        x.kind = ApiAnswer::Kind::Final;
    }
}

/// Decides by the status alone when it is not a 2xx; false for a 2xx (the body decides).
bool judgeStatus(ApiAnswer& x, const std::string& statusText) {
    const int status = x.httpStatus;
    x.failure = statusText;
    if (status == 429 || status == 408 || status >= 500) {
        x.kind = ApiAnswer::Kind::Transient;
        x.maybeProcessed = status >= 500;  // 429 and 408: the server refused it before acting
        x.retryReason = status >= 500 ? "http_5xx" : fmt::format("http_{}", status);
        return true;
    }
    x.kind = ApiAnswer::Kind::Final;
    if (status < 200 || (status >= 300 && status < 400))
        x.failure = fmt::format("{} (unexpected; redirects are not followed: check api.base_url)", statusText);
    return status < 200 || status >= 300;
}

}  // namespace

std::string errorCodeLabel(int code) {
    const char* name = errorCodeName(code);
    return *name ? fmt::format("error {} {}", code, name) : fmt::format("error {}", code);
}

ApiAnswer judgeAnswer(HttpResponse response, const AnswerRules& rules, std::chrono::system_clock::time_point wallNow,
                      const Redactor& redact) {
    ApiAnswer x;
    x.httpStatus = response.status;
    if (const std::string* retryAfter = response.header("Retry-After"))
        x.retryAfter = parseRetryAfter(*retryAfter, wallNow);
    const bool emptyBody = blank(response.body);
    std::optional<JsonDocument> doc;
    std::string parseError;
    bool tooManyValues = false;
    try {
        doc = JsonDocument::parse(std::move(response.body), rules.maxValues);
    } catch (const JsonTooManyValuesError& e) {
        parseError = e.what();
        tooManyValues = true;
    } catch (const JsonParseError& e) {
        parseError = e.what();
    }
    std::string message;
    if (const int code = okErrorCode(doc, response, redact, message); code != 0) {
        judgeErrorCode(x, code, message);
        return x;
    }
    const std::string statusText = fmt::format("HTTP {} {}", response.status, response.reason);
    if (judgeStatus(x, statusText)) return x;
    x.failure.clear();
    x.kind = ApiAnswer::Kind::Ok;
    if (doc) {
        x.doc = std::move(*doc);
    } else if (rules.isPost && emptyBody) {  // a POST answered 2xx with nothing: it was done
        x.doc = JsonDocument::parse("{}");
    } else if (tooManyValues) {  // asking again would cost the same memory again
        x.kind = ApiAnswer::Kind::Final;
        x.failure = fmt::format("{}, refused: {}", statusText, parseError);
    } else {
        x.kind = ApiAnswer::Kind::Transient;
        x.retryReason = "invalid_body";
        x.failure = fmt::format("{} with a body that is not JSON ({}): {}", statusText,
                                response.contentType.empty() ? "no Content-Type" : response.contentType, parseError);
    }
    return x;
}

ApiAnswer judgeFailure(const TransportError& failure) {
    ApiAnswer x;
    x.kind = failure.retryable() ? ApiAnswer::Kind::Transient : ApiAnswer::Kind::Final;
    x.httpStatus = failure.httpStatus();
    x.failure = failure.what();
    x.maybeProcessed = failure.maybeProcessed();
    // The transport words each timeout (a socket's or the request deadline's) "timeout...".
    x.retryReason = x.failure.rfind("timeout", 0) == 0 ? "timeout" : "network";
    return x;
}

const std::vector<std::string>& retryReasons() {
    static const std::vector<std::string> reasons = {"timeout",  "network",   "http_408",    "http_429",
                                                     "http_5xx", "api_error", "invalid_body"};
    return reasons;
}

}  // namespace okarchive
