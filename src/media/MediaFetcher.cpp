#include "media/MediaFetcher.h"

#include <arpa/inet.h>

#include <algorithm>

#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <fmt/format.h>

#include "domain/Errors.h"
#include "domain/RateLimiter.h"
#include "media/MediaSniff.h"
#include "media/MediaStore.h"
#include "net/HttpStream.h"
#include "net/Url.h"

namespace okarchive {

namespace {

/// What every download of one fetcher shares (read-only but for the thread-safe limiter).
struct FetcherState {
    MediaConfig config;
    MediaStore& store;
    Env& env;
    HostResolver resolve;
    RateLimiter limiter;
};

constexpr int kMaxRedirects = 5;

FetchedMedia verdict(MediaState state, std::string error, std::optional<int> status = std::nullopt) {
    FetchedMedia out;
    out.outcome.state = state;
    out.outcome.error = std::move(error);
    out.outcome.httpStatus = status;
    return out;
}

bool isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/// 403/404/410: the link is dead (the pipeline may get a fresh one); 408/429/5xx may pass; any other: for good.
FetchedMedia statusVerdict(int status, const std::string& where) {
    const std::string error = fmt::format("HTTP {} ({})", status, where);
    if (status == 403 || status == 404 || status == 410) {
        FetchedMedia out = verdict(MediaState::FailedPermanent, error, status);
        out.linkRefused = true;
        return out;
    }
    if (status == 408 || status == 429 || status >= 500) return verdict(MediaState::FailedTransient, error, status);
    return verdict(MediaState::FailedPermanent, error, status);
}

bool isNumericAddress(const std::string& host) {
    unsigned char buffer[16];
    return ::inet_pton(AF_INET, host.c_str(), buffer) == 1 || ::inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

/// The link for messages: scheme, host, port and path; never the query (it may carry a signature).
std::string describeLink(const HttpUrl& url) {
    return fmt::format("{}://{}:{}{}", url.origin.https ? "https" : "http", url.origin.host, url.origin.port,
                       url.path.empty() ? "/" : url.path);
}

/// One attachment's download: every hop of its redirect chain, as the sink of each hop's answer.
class Download : public StreamSink {
public:
    Download(FetcherState& fetcher, const std::string& type) : _fetcher(fetcher), _type(type) {}

    FetchedMedia run(const std::string& url, const Cancellation& cancel);

private:
    FetchedMedia hop(const HttpUrl& url, const std::string& address, const Cancellation& cancel);
    std::optional<FetchedMedia> refused(const HttpUrl& url, int redirects, std::string& address);
    FetchedMedia finish();
    std::optional<FetchedMedia> wrongKind() const;
    bool onHead(const StreamHead& head) override;
    bool onData(const char* data, std::size_t size) override;

    FetcherState& _fetcher;
    const std::string& _type;
    std::string _where;
    int _status = 0;
    std::optional<FetchedMedia> _verdict;  // decided by the head
    std::optional<std::string> _location;
    std::optional<std::int64_t> _announced;
    std::unique_ptr<MediaStoreWrite> _file;
    std::string _sniff;
    bool _overCap = false;
};

FetchedMedia Download::run(const std::string& url, const Cancellation& cancel) {
    std::string current = url;
    for (int redirects = 0;; ++redirects) {
        HttpUrl parsed;
        try {
            parsed = parseHttpUrl(current);
        } catch (const UrlError&) {
            return verdict(MediaState::FailedPermanent,
                           redirects ? fmt::format("a redirect from {} leads to a link that is not http(s)", _where)
                                     : "the media link is not an http(s) URL");
        }
        std::string address;
        if (auto refusal = refused(parsed, redirects, address)) return *refusal;
        FetchedMedia result = hop(parsed, address, cancel);
        if (!_location) return result;
        if (redirects == kMaxRedirects)
            return verdict(MediaState::FailedPermanent,
                           fmt::format("more than {} redirects (the last from {})", kMaxRedirects, _where), _status);
        try {
            Poco::URI next(current);
            next.resolve(*_location);
            current = next.toString();
        } catch (const Poco::Exception&) {
            return verdict(MediaState::FailedPermanent,
                           fmt::format("a redirect from {} has an invalid Location", _where), _status);
        }
    }
}

/// Resolves the host once and checks every address it has; `address` is the one to connect to.
std::optional<FetchedMedia> Download::refused(const HttpUrl& url, int redirects, std::string& address) {
    _where = describeLink(url);
    const std::string& host = url.origin.host;
    std::vector<std::string> addresses{host};
    if (!isNumericAddress(host)) {
        try {
            addresses = _fetcher.resolve(host);
        } catch (const Error& e) {
            return verdict(MediaState::FailedTransient, fmt::format("{} ({})", e.what(), _where));
        }
    }
    if (addresses.empty())  // a resolver's empty answer: nowhere to connect
        return verdict(MediaState::FailedTransient, fmt::format("the host {} has no address ({})", host, _where));
    for (const auto& candidate : addresses) {
        const auto why = addressRefusal(candidate, _fetcher.config.allowPrivateAddresses);
        if (!why) continue;
        const std::string resolved = candidate == host ? *why
                                                       : fmt::format("{} resolves to {}, a {} address", host, candidate,
                                                                     addressClassName(classifyAddress(candidate)));
        return verdict(MediaState::FailedPermanent, fmt::format("refused {}without connecting: {} ({})",
                                                                redirects ? "a redirect " : "", resolved, _where));
    }
    address = addresses.front();
    return std::nullopt;
}

FetchedMedia Download::hop(const HttpUrl& url, const std::string& address, const Cancellation& cancel) {
    _fetcher.limiter.acquire(_fetcher.env, cancel);
    _status = 0;
    _verdict.reset();
    _location.reset();
    _file.reset();
    _sniff.clear();
    _overCap = false;
    StreamRequest request;
    request.origin = url.origin;
    request.address = address;
    request.target = (url.path.empty() ? "/" : url.path) + (url.query.empty() ? "" : "?" + url.query);
    request.headers = {{"Accept", "*/*"}, {"Accept-Encoding", "identity"}};
    request.timeout = _fetcher.config.timeout;
    request.stallTimeout = _fetcher.config.stallTimeout;
    try {
        streamRequest(request, *this, cancel);
    } catch (const TransportError& e) {
        _file.reset();
        _location.reset();
        return verdict(e.retryable() ? MediaState::FailedTransient : MediaState::FailedPermanent,
                       fmt::format("{} ({})", e.what(), _where), _status ? std::optional(_status) : std::nullopt);
    }
    if (_verdict || _location) return _verdict ? *_verdict : FetchedMedia{};
    return finish();
}

bool Download::onHead(const StreamHead& head) {
    _status = head.status;
    if (isRedirect(head.status)) {
        if (const std::string* location = head.header("Location"))
            _location = *location;
        else
            _verdict = verdict(MediaState::FailedPermanent,
                               fmt::format("HTTP {} without a Location ({})", head.status, _where), head.status);
        return false;
    }
    if (head.status < 200 || head.status > 299) {
        _verdict = statusVerdict(head.status, _where);
        return false;
    }
    _announced = head.contentLength;
    const std::int64_t cap = _fetcher.config.maxBytes;
    if (_announced && *_announced > cap) {
        _verdict = verdict(MediaState::SkippedPolicy,
                           fmt::format("{} bytes, more than media.max_bytes ({} bytes): not downloaded ({})",
                                       *_announced, cap, _where),
                           head.status);
        _verdict->outcome.bytes = *_announced;
        return false;
    }
    _file = std::make_unique<MediaStoreWrite>(_fetcher.store);
    return true;
}

bool Download::onData(const char* data, std::size_t size) {
    if (_file->bytes() + static_cast<std::int64_t>(size) > _fetcher.config.maxBytes) {
        _overCap = true;
        return false;
    }
    if (_sniff.size() < kSniffBytes) {
        _sniff.append(data, std::min(size, kSniffBytes - _sniff.size()));
        if (_sniff.size() == kSniffBytes && (_verdict = wrongKind())) return false;  // not read past its first bytes
    }
    _file->append(data, size);
    return true;
}

/// The verdict when the first bytes are not of the attachment's kind (an HTML page for an image).
std::optional<FetchedMedia> Download::wrongKind() const {
    const auto mismatch = kindMismatch(_type, sniffMime(_sniff));
    if (!mismatch) return std::nullopt;
    return verdict(MediaState::FailedPermanent, fmt::format("{} ({})", *mismatch, _where), _status);
}

/// A whole 2xx body arrived: its length, emptiness and kind are checked before it takes its final name.
FetchedMedia Download::finish() {
    const std::int64_t bytes = _file->bytes();
    if (_overCap)
        return verdict(MediaState::SkippedPolicy,
                       fmt::format("larger than media.max_bytes ({} bytes): stopped reading ({})",
                                   _fetcher.config.maxBytes, _where),
                       _status);
    if (_announced && bytes != *_announced)
        return verdict(MediaState::FailedTransient,
                       fmt::format("short body: {} of the {} bytes announced ({})", bytes, *_announced, _where),
                       _status);
    if (bytes == 0 && !_announced)
        return verdict(MediaState::FailedTransient, fmt::format("empty body ({})", _where), _status);
    if (auto wrong = wrongKind()) return *wrong;
    FetchedMedia out = verdict(MediaState::Saved, "", _status);
    out.outcome.sha256 = _file->commit();
    out.outcome.bytes = bytes;
    out.outcome.mime = sniffMime(_sniff);
    return out;
}

}  // namespace

struct MediaFetcher::Impl {
    FetcherState state;
};

MediaFetcher::MediaFetcher(const MediaConfig& config, MediaStore& store, Env& env)
    : MediaFetcher(config, store, env, systemResolver()) {}

MediaFetcher::MediaFetcher(const MediaConfig& config, MediaStore& store, Env& env, HostResolver resolver)
    : _impl(new Impl{FetcherState{config, store, env, std::move(resolver), RateLimiter(config.requestsPerSecond)}}) {}

MediaFetcher::~MediaFetcher() = default;

FetchedMedia MediaFetcher::fetch(const std::string& url, const std::string& type, const Cancellation& cancel) {
    Download download(_impl->state, type);
    FetchedMedia result = download.run(url, cancel);
    result.outcome.atMs = _impl->state.env.wallMs();
    return result;
}

}  // namespace okarchive
