#include "api/GraphClient.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include <iostream>

#include <fmt/format.h>

#include "api/ApiAnswer.h"
#include "domain/Errors.h"
#include "domain/InertText.h"

namespace okarchive {
namespace {

/// A needle this long is the token wherever it stands; a shorter one may be a piece of an ordinary word.
constexpr std::size_t kWordLength = 12;

bool isWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// Replaces every occurrence of `needle` that stands as a whole run: a short one not glued to a word character on an
/// edge where `needle` has one (token "x" leaves "expired" alone but redacts "token x." and "?t=x&"), a long one
/// everywhere.
void redactRuns(std::string& text, const std::string& needle) {
    if (needle.empty()) return;
    std::size_t at = text.find(needle);
    while (at != std::string::npos) {
        const std::size_t end = at + needle.size();
        const bool glued =
            needle.size() < kWordLength && ((at > 0 && isWordChar(text[at - 1]) && isWordChar(needle.front())) ||
                                            (end < text.size() && isWordChar(text[end]) && isWordChar(needle.back())));
        if (glued) {
            at = text.find(needle, at + 1);
            continue;
        }
        text.replace(at, needle.size(), "***");
        at = text.find(needle, at + 3);
    }
}

/// Every access_token query parameter's whole value becomes "***", whatever it holds (an echo of the URL, even one
/// the server altered or cut, keeps nothing of the token).
void redactTokenParameters(std::string& text) {
    static constexpr std::string_view kName = "access_token=";
    static constexpr std::string_view kValueEnd = "&# \t\r\n\"'<>;\\";
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (std::size_t at = lower.find(kName); at != std::string::npos; at = lower.find(kName, at + 1)) {
        const std::size_t value = at + kName.size();
        std::size_t end = text.find_first_of(kValueEnd, value);
        if (end == std::string::npos) end = text.size();
        if (std::string_view(text).substr(value, end - value) == "***" || end == value) continue;
        text.replace(value, end - value, "***");
        lower.replace(value, end - value, "***");
    }
}

/// The token as it may appear in text (raw and every URL-encoded form), longest first.
std::vector<std::string> tokenForms(const std::string& token) {
    std::vector<std::string> forms;
    if (token.empty()) return forms;
    for (std::string form :
         {token, percentEncode(token), percentEncode(token, {}, false), percentEncode(token, "!$&'()*+,;=:@/?")})
        if (std::find(forms.begin(), forms.end(), form) == forms.end()) forms.push_back(std::move(form));
    std::sort(forms.begin(), forms.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return forms;
}

}  // namespace

GraphClient::GraphClient(GraphClientSettings settings, std::shared_ptr<RateLimiter> limiter, Env& env,
                         const Cancellation& cancel)
    : _tokenForms(tokenForms(settings.accessToken)),
      _settings(std::move(settings)),
      _limiter(std::move(limiter)),
      _env(env),
      _cancel(cancel),
      _transport(HttpSettings{_settings.timeout, _settings.maxResponseBytes}),
      _rng(std::random_device{}()) {
    try {
        HttpUrl base = parseHttpUrl(_settings.baseUrl);
        _origin = std::move(base.origin);
        _basePath = std::move(base.path);
    } catch (const UrlError& e) {
        throw UsageError(redact(fmt::format("api.base_url \"{}\" {}", _settings.baseUrl, e.what())));
    }
    while (!_basePath.empty() && _basePath.back() == '/') _basePath.pop_back();
}

GraphClient::~GraphClient() = default;

std::string GraphClient::redact(const std::string& text) const {
    std::string out = text;
    for (const std::string& form : _tokenForms) redactRuns(out, form);
    redactTokenParameters(out);
    return out;
}

std::string GraphClient::segment(std::string_view text) { return percentEncode(text, ":@"); }

std::string GraphClient::apiPath(const std::string& path) const {
    return _basePath + percentEncode(path, std::string(kPathChars) + "%");  // segments come encoded already
}

void GraphClient::warn(const std::string& text) const {
    const std::string shown = inertText(redact(text));
    if (_warn)
        _warn(shown);
    else
        std::cerr << "okarchive: warning: " << shown << "\n";
}

HttpRequest GraphClient::request(const std::string& method, Origin origin, std::string target,
                                 const QueryParams& params) const {
    char separator = target.find('?') == std::string::npos ? '?' : '&';
    auto addParam = [&](const std::string& key, const std::string& value) {
        target += separator;
        target += percentEncode(key);
        target += '=';
        target += percentEncode(value);
        separator = '&';
    };
    for (const auto& [key, value] : params) addParam(key, value);
    // The one place the token is added: never to another origin (a CDN, a link an answer pointed to).
    if (!_settings.accessToken.empty() && origin.sameAs(_origin)) addParam("access_token", _settings.accessToken);
    HttpRequest r;
    r.method = method;
    r.origin = std::move(origin);
    r.target = std::move(target);
    r.headers = {{"Accept", "application/json"}};
    return r;
}

JsonDocument GraphClient::get(const std::string& path, const QueryParams& params) {
    // The target carries the token; messages only ever name `what`, which has no query string.
    return call(request("GET", _origin, apiPath(path), params), redact("GET " + path));
}

JsonDocument GraphClient::getPage(const std::string& path, const QueryParams& params) {
    HttpRequest r = request("GET", _origin, apiPath(path), params);
    r.maxResponseBytes = _settings.maxPageBytes;
    return call(r, redact("GET " + path));
}

JsonDocument GraphClient::getUrl(const std::string& url, const QueryParams& params) {
    HttpUrl parsed;
    try {
        parsed = parseHttpUrl(url);
    } catch (const UrlError& e) {
        throw ApiError(redact(fmt::format("GET \"{}\": the URL {}", url, e.what())), 0, 0);
    }
    const std::string what = redact(fmt::format("GET {}{}", parsed.origin.host, parsed.path));
    std::string target = parsed.path.empty() ? "/" : parsed.path;
    if (!parsed.query.empty()) target += "?" + parsed.query;
    return call(request("GET", parsed.origin, std::move(target), params), what);
}

JsonDocument GraphClient::post(const std::string& path, const std::string& jsonBody) {
    HttpRequest r = request("POST", _origin, apiPath(path), {});
    r.body = jsonBody;
    r.contentType = "application/json;charset=utf-8";
    r.freshConnection = true;  // never POST over a possibly stale keep-alive connection
    return call(r, redact("POST " + path));
}

JsonDocument GraphClient::call(const HttpRequest& request, const std::string& what) {
    const bool isPost = request.body.has_value();
    const auto start = _env.now();
    for (int attempt = 0;; ++attempt) {
        ApiAnswer x = this->attempt(request);
        if (x.kind == ApiAnswer::Kind::Ok) return std::move(x.doc);
        if (x.kind == ApiAnswer::Kind::Final) throwFinal(what, x);
        if (isPost && x.maybeProcessed)
            throw ApiError(redact(fmt::format("{} failed and was not retried, because the server may have processed "
                                              "it and a retry could post a duplicate: {}",
                                              what, x.failure)),
                           x.errorCode, x.httpStatus);
        waitBeforeRetry(what, attempt, x, start);
        if (_retryObserver) _retryObserver(x.retryReason);
    }
}

/// One HTTP exchange, through the rate limiter, judged by OK's rules.
ApiAnswer GraphClient::attempt(const HttpRequest& request) {
    if (_limiter) _limiter->acquire(_env, _cancel);
    ++_requests;
    ApiAnswer x;
    try {
        x = judgeAnswer(_transport.send(request, _cancel), {request.body.has_value(), _settings.maxValues},
                        _env.wallNow(), [this](const std::string& text) { return redact(text); });
    } catch (const TransportError& e) {
        x = judgeFailure(e);
    }
    if (_observer) _observer(x.httpStatus, x.errorCode);
    return x;
}

/// Throws when retry number `attempt` may not happen (retries or deadline spent, or cancelled while waiting).
void GraphClient::waitBeforeRetry(const std::string& what, int attempt, const ApiAnswer& x, Env::TimePoint start) {
    const int attempts = attempt + 1;
    if (attempt >= _settings.retry.maxRetries)
        throw RetriesExhaustedError(redact(fmt::format("{} failed after {} attempts: {}", what, attempts, x.failure)),
                                    x.errorCode, x.httpStatus);
    auto delay = _settings.retry.backoff(attempt, _rng);
    if (x.retryAfter && *x.retryAfter > delay) delay = *x.retryAfter;
    if (_env.now() - start + delay > _settings.retry.deadline)
        throw RetriesExhaustedError(
            redact(fmt::format("{} failed after {} attempts (the next retry, in {} ms, would start after the "
                               "{} ms retry deadline): {}",
                               what, attempts, delay.count(), _settings.retry.deadline.count(), x.failure)),
            x.errorCode, x.httpStatus);
    if (!_env.sleepFor(delay, _cancel))
        throw Cancelled(redact(fmt::format("{}: stopped while waiting {} ms to retry", what, delay.count())));
}

void GraphClient::throwFinal(const std::string& what, const ApiAnswer& x) const {
    if (x.errorCode != 0) {
        switch (classifyErrorCode(x.errorCode)) {
            case ErrorClass::Auth:
                throw AuthError(redact(fmt::format("the access token is invalid or expired ({}): get a new token and "
                                                   "set api.access_token",
                                                   errorCodeLabel(x.errorCode))),
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
