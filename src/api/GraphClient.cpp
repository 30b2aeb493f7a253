#include "api/GraphClient.h"

#include <algorithm>
#include <charconv>
#include <mutex>
#include <optional>
#include <thread>

#include <Poco/Exception.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>
#include <fmt/format.h>

#include "domain/Errors.h"

namespace okarchive {
namespace {

/// One process-wide TLS client context: system CAs, peer and host name verified, TLS 1.2 or newer.
Poco::Net::Context::Ptr tlsContext() {
    static std::once_flag once;
    static Poco::Net::Context::Ptr context;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        Poco::Net::Context::Params params;
        params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;  // a client always verifies the server's chain
        params.loadDefaultCAs = true;
        context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
        context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    });
    return context;
}

bool unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

/// RFC 3986 percent-encoding of everything but unreserved characters and `keep`.
std::string percentEncode(std::string_view text, std::string_view keep = {}, bool upperHex = true) {
    static constexpr char upper[] = "0123456789ABCDEF";
    static constexpr char lower[] = "0123456789abcdef";
    const char* hex = upperHex ? upper : lower;
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        if (unreserved(c) || keep.find(ch) != std::string_view::npos) {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

void replaceAll(std::string& text, const std::string& needle, std::string_view with) {
    if (needle.empty()) return;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + with.size()))
        text.replace(at, needle.size(), with);
}

std::optional<int> leadingInt(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    int value = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || ptr == s.data()) return std::nullopt;
    return value;
}

std::string codeLabel(int code) {
    const char* name = errorCodeName(code);
    return *name ? fmt::format("error {} {}", code, name) : fmt::format("error {}", code);
}

std::string clip(std::string_view text, std::size_t limit = 300) {
    if (text.size() <= limit) return std::string(text);
    return std::string(text.substr(0, limit)) + "...";
}

bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; });
}

}  // namespace

struct GraphClient::Exchange {
    enum class Kind { Ok, Transient, Final };
    Kind kind = Kind::Final;
    JsonDocument doc;
    int httpStatus = 0;  // 0 when the exchange failed at the network level
    int errorCode = 0;
    std::string errorMsg;        // OK's error_msg, if any
    std::string failure;         // what went wrong, for messages ("HTTP 503 Service Unavailable", "timeout ...")
    bool maybeProcessed = true;  // could the server have acted on the request? (decides POST retries)
    std::optional<std::chrono::milliseconds> retryAfter;
};

GraphClient::GraphClient(GraphClientSettings settings, std::shared_ptr<RateLimiter> limiter)
    : _settings(std::move(settings)), _limiter(std::move(limiter)), _rng(std::random_device{}()) {
    const std::string& token = _settings.accessToken;
    if (!token.empty()) {
        for (std::string form :
             {token, percentEncode(token), percentEncode(token, {}, false), percentEncode(token, "!$&'()*+,;=:@/?")})
            if (std::find(_tokenForms.begin(), _tokenForms.end(), form) == _tokenForms.end())
                _tokenForms.push_back(std::move(form));
        std::sort(_tokenForms.begin(), _tokenForms.end(),
                  [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    }

    Poco::URI uri;
    try {
        uri = Poco::URI(_settings.baseUrl);
    } catch (const Poco::Exception& e) {
        throw UsageError(
            redact(fmt::format("api.base_url \"{}\" is not a valid URL: {}", _settings.baseUrl, e.displayText())));
    }
    if (uri.getScheme() == "https")
        _https = true;
    else if (uri.getScheme() != "http")
        throw UsageError(redact(
            fmt::format("api.base_url \"{}\" must start with https:// (or http:// for testing)", _settings.baseUrl)));
    _host = uri.getHost();
    if (_host.empty()) throw UsageError(redact(fmt::format("api.base_url \"{}\" has no host", _settings.baseUrl)));
    _port = uri.getPort();
    _basePath = percentEncode(uri.getPath(), "/:@!$&'()*+,;=");
    while (!_basePath.empty() && _basePath.back() == '/') _basePath.pop_back();
}

GraphClient::~GraphClient() = default;

std::string GraphClient::redact(const std::string& text) const {
    std::string out = text;
    for (const std::string& form : _tokenForms) replaceAll(out, form, "***");
    return out;
}

JsonDocument GraphClient::get(const std::string& path, const QueryParams& params) {
    return call("GET", path, params, nullptr);
}

JsonDocument GraphClient::post(const std::string& path, const std::string& jsonBody) {
    return call("POST", path, {}, &jsonBody);
}

void GraphClient::openSession() {
    if (_session) return;
    if (_https)
        _session = std::make_unique<Poco::Net::HTTPSClientSession>(_host, _port, tlsContext());
    else
        _session = std::make_unique<Poco::Net::HTTPClientSession>(_host, _port);
    _session->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(_settings.timeout.count()) * 1000));
    _session->setKeepAlive(true);
}

void GraphClient::resetSession() { _session.reset(); }

JsonDocument GraphClient::call(const std::string& method, const std::string& path, const QueryParams& params,
                               const std::string* body) {
    // The target carries the token; messages only ever name `what`, which has no query string.
    std::string target = _basePath + percentEncode(path, "/:@!$&'()*+,;=");
    char separator = '?';
    auto addParam = [&](const std::string& key, const std::string& value) {
        target += separator;
        target += percentEncode(key);
        target += '=';
        target += percentEncode(value);
        separator = '&';
    };
    for (const auto& [key, value] : params) addParam(key, value);
    if (!_settings.accessToken.empty()) addParam("access_token", _settings.accessToken);
    const std::string what = redact(method + " " + path);
    const bool isPost = body != nullptr;

    const auto start = std::chrono::steady_clock::now();
    for (int attempt = 0;; ++attempt) {
        if (_limiter) _limiter->acquire();
        ++_requests;
        if (isPost) resetSession();  // never POST over a possibly stale keep-alive connection
        Exchange x = exchange(method, target, body);
        if (_observer) _observer(x.httpStatus, x.errorCode);
        if (x.kind == Exchange::Kind::Ok) return std::move(x.doc);
        if (x.kind == Exchange::Kind::Final) throwFinal(what, x);

        if (isPost && x.maybeProcessed)
            throw ApiError(redact(fmt::format("{} failed and was not retried, because the server may have processed "
                                              "it and a retry could post a duplicate: {}",
                                              what, x.failure)),
                           x.errorCode, x.httpStatus);
        const int attempts = attempt + 1;
        if (attempt >= _settings.retry.maxRetries)
            throw RetriesExhaustedError(
                redact(fmt::format("{} failed after {} attempts: {}", what, attempts, x.failure)), x.errorCode,
                x.httpStatus);
        auto delay = _settings.retry.backoff(attempt, _rng);
        if (x.retryAfter && *x.retryAfter > delay) delay = *x.retryAfter;
        const auto elapsed = std::chrono::steady_clock::now() - start;
        if (elapsed + delay > _settings.retry.deadline)
            throw RetriesExhaustedError(
                redact(fmt::format("{} failed after {} attempts (the next retry, in {} ms, would start after the "
                                   "{} ms retry deadline): {}",
                                   what, attempts, delay.count(), _settings.retry.deadline.count(), x.failure)),
                x.errorCode, x.httpStatus);
        std::this_thread::sleep_for(delay);
    }
}

GraphClient::Exchange GraphClient::exchange(const std::string& method, const std::string& target,
                                            const std::string* body) {
    Exchange x;
    auto networkFailure = [&](const Poco::Exception& e, bool maybeProcessed) {
        x.kind = Exchange::Kind::Transient;
        x.httpStatus = 0;
        x.maybeProcessed = maybeProcessed;
        if (dynamic_cast<const Poco::TimeoutException*>(&e))
            x.failure = fmt::format("timeout (no answer within {} ms)", _settings.timeout.count());
        else if (dynamic_cast<const Poco::Net::ConnectionRefusedException*>(&e))
            x.failure = fmt::format("connection refused by {}:{}", _host, _port);
        else
            x.failure = fmt::format("network error: {}", e.displayText());
        if (dynamic_cast<const Poco::Net::CertificateValidationException*>(&e)) {
            x.kind = Exchange::Kind::Final;  // retrying will not make the certificate acceptable
            x.failure = fmt::format("the TLS certificate of {} was rejected: {}", _host, e.displayText());
        }
        resetSession();  // last: `e` may belong to the session
    };

    // Stage 1: connect and send the whole request. A failure here means the server never got a complete request.
    Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    request.set("User-Agent", "okarchive/0.1");
    request.set("Accept", "application/json");
    if (body) {
        request.setContentType("application/json;charset=utf-8");
        request.setContentLength64(static_cast<Poco::Int64>(body->size()));
    }
    try {
        openSession();
        std::ostream& out = _session->sendRequest(request);
        if (body) out.write(body->data(), static_cast<std::streamsize>(body->size()));
        out.flush();
        if (!out.good()) {
            if (const Poco::Exception* e = _session->networkException()) {
                networkFailure(*e, false);
            } else {
                resetSession();
                x.kind = Exchange::Kind::Transient;
                x.maybeProcessed = false;
                x.failure = "network error while sending the request";
            }
            return x;
        }
    } catch (const Poco::Exception& e) {
        networkFailure(e, false);
        return x;
    }

    // Stage 2: the answer. A failure from here on is ambiguous: the server may have acted on the request.
    Poco::Net::HTTPResponse response;
    std::string data;
    const std::size_t limit = _settings.maxResponseBytes;
    auto tooLarge = [&] {
        resetSession();
        x.kind = Exchange::Kind::Final;
        x.failure = fmt::format("the response is larger than the limit of {} bytes (maxResponseBytes)", limit);
    };
    try {
        std::istream& in = _session->receiveResponse(response);
        in.exceptions(std::ios::badbit);  // let the stream's network exception (e.g. a timeout) reach us
        x.httpStatus = static_cast<int>(response.getStatus());
        const Poco::Int64 length = response.getContentLength64();
        if (length != Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH && length > static_cast<Poco::Int64>(limit)) {
            tooLarge();
            return x;
        }
        if (length > 0) data.reserve(static_cast<std::size_t>(length));
        char buffer[65536];
        for (;;) {
            in.read(buffer, sizeof buffer);
            const auto n = static_cast<std::size_t>(in.gcount());
            if (n > limit - data.size()) {
                tooLarge();
                return x;
            }
            data.append(buffer, n);
            if (!in) break;
        }
        if (length != Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH &&
            data.size() < static_cast<std::size_t>(length)) {
            resetSession();
            x.kind = Exchange::Kind::Transient;
            x.failure = fmt::format("truncated response (HTTP {}, {} of {} bytes)", x.httpStatus, data.size(), length);
            return x;
        }
    } catch (const Poco::Exception& e) {
        networkFailure(e, true);
        return x;
    } catch (const std::ios_base::failure&) {
        if (const Poco::Exception* e = _session ? _session->networkException() : nullptr)
            networkFailure(*e, true);
        else {
            resetSession();
            x.kind = Exchange::Kind::Transient;
            x.httpStatus = 0;
            x.failure = "network error while reading the response";
        }
        return x;
    }

    const int status = x.httpStatus;
    const std::string statusText = fmt::format("HTTP {} {}", status, response.getReason());
    if (response.has("Retry-After"))
        x.retryAfter = parseRetryAfter(response.get("Retry-After"), std::chrono::system_clock::now());

    const bool emptyBody = blank(data);
    std::optional<JsonDocument> doc;
    std::string parseError;
    try {
        doc = JsonDocument::parse(std::move(data));
    } catch (const JsonParseError& e) {
        parseError = e.what();
    }

    // OK reports errors in the body, usually with HTTP 200: look whatever the status.
    int code = 0;
    if (doc && doc->root().isObject()) {
        if (const JsonValue* ec = doc->root().find("error_code"); ec && !ec->isNull()) {
            if (ec->isInteger() && ec->asInt64() > 0 && ec->asInt64() < 1'000'000'000)
                code = static_cast<int>(ec->asInt64());
            else if (ec->isString())
                code = leadingInt(ec->asString()).value_or(0);
        }
        if (const JsonValue* msg = doc->root().find("error_msg"); msg && msg->isString())
            x.errorMsg = clip(msg->asString());
    }
    if (code == 0 && response.has("invocation-error")) code = leadingInt(response.get("invocation-error")).value_or(0);

    if (code != 0) {
        x.errorCode = code;
        x.failure = x.errorMsg.empty() ? codeLabel(code) : fmt::format("{} ({})", codeLabel(code), x.errorMsg);
        if (classifyErrorCode(code) == ErrorClass::Transient) {
            x.kind = Exchange::Kind::Transient;
            x.maybeProcessed = code != 8;  // FLOOD_BLOCKED: refused, certainly not performed
        } else {
            x.kind = Exchange::Kind::Final;
        }
        return x;
    }
    if (status == 429) {
        x.kind = Exchange::Kind::Transient;
        x.maybeProcessed = false;
        x.failure = statusText;
        return x;
    }
    if (status >= 500 || status == 408) {
        x.kind = Exchange::Kind::Transient;
        x.maybeProcessed = status != 408;
        x.failure = statusText;
        return x;
    }
    if (status >= 400) {
        x.kind = Exchange::Kind::Final;
        x.failure = statusText;
        return x;
    }
    if (status < 200 || status >= 300) {
        x.kind = Exchange::Kind::Final;
        x.failure = fmt::format("{} (unexpected; redirects are not followed: check api.base_url)", statusText);
        return x;
    }
    if (!doc) {
        if (body && emptyBody) {  // a POST answered 2xx with nothing: it was done
            x.kind = Exchange::Kind::Ok;
            x.doc = JsonDocument::parse("{}");
            return x;
        }
        x.kind = Exchange::Kind::Transient;
        x.failure =
            fmt::format("{} with a body that is not JSON ({}): {}", statusText,
                        response.getContentType().empty() ? "no Content-Type" : response.getContentType(), parseError);
        return x;
    }
    x.kind = Exchange::Kind::Ok;
    x.doc = std::move(*doc);
    return x;
}

void GraphClient::throwFinal(const std::string& what, const Exchange& x) const {
    if (x.errorCode != 0) {
        switch (classifyErrorCode(x.errorCode)) {
            case ErrorClass::Auth:
                throw AuthError(redact(fmt::format("the access token is invalid or expired ({}): get a new token and "
                                                   "set api.access_token",
                                                   codeLabel(x.errorCode))),
                                x.errorCode, x.httpStatus);
            case ErrorClass::ChatAccess:
                throw ChatAccessError(redact(fmt::format("{}: the bot may not read this chat: {}", what, x.failure)),
                                      x.errorCode, x.httpStatus);
            default: throw ApiError(redact(fmt::format("{} failed: {}", what, x.failure)), x.errorCode, x.httpStatus);
        }
    }
    throw ApiError(redact(fmt::format("{} failed: {}", what, x.failure)), 0, x.httpStatus);
}

}  // namespace okarchive
