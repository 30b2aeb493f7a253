#include "sync/ChatMedia.h"

#include <algorithm>

#include <fmt/format.h>

#include "api/HistoryPager.h"
#include "domain/Errors.h"
#include "domain/MediaLink.h"

namespace okarchive {
namespace {

/// Entries asked of the ledger at once, and the queue length past which a committed page adds none (the end of
/// paging drains the rest): memory stays flat however far downloads lag behind paging.
constexpr std::size_t kBatch = 200;
/// Fresh links asked of the API for one entry whose signed link the media host refuses; then it is expired.
constexpr int kMaxRefreshes = 2;
/// Outcomes waiting for the ledger thread.
constexpr std::size_t kQueuedOutcomes = 256;

/// Hears the pager's discoveries while one millisecond is re-fetched for fresh links; commits nothing itself.
class RefreshSink : public PageSink {
public:
    explicit RefreshSink(std::function<void()> inclusive) : _inclusive(std::move(inclusive)) {}
    void commit(std::vector<Message>, std::vector<TimeRange>) override {}
    void clusterOverflow(std::int64_t, std::size_t) override {}
    void fromBoundInclusive() override { _inclusive(); }

private:
    std::function<void()> _inclusive;
};

/// Whether media.types lets the attachment type be downloaded (OTHER: any type okarchive does not know).
bool typeWanted(const MediaConfig& config, const std::string& type) {
    const auto listed = [&](const std::string& name) {
        return std::find(config.types.begin(), config.types.end(), name) != config.types.end();
    };
    return listed(type) || (!isKnownMediaType(type) && listed("OTHER"));
}

/// The link the attachment at `position` of `message` carries now, if the message is in `page`.
std::optional<std::string> freshLink(const std::vector<Message>& page, const MediaItem& item) {
    for (const auto& m : page) {
        if (m.mid != item.mid) continue;
        if (item.position < 0 || static_cast<std::size_t>(item.position) >= m.attachments.size()) return std::nullopt;
        const auto& a = m.attachments[static_cast<std::size_t>(item.position)];
        if (const auto source = mediaSource(a.type, a.payloadJson)) return source->url;
        return std::nullopt;
    }
    return std::nullopt;
}

/// Why a download got no answer worth recording: a status, or the fetcher's words.
std::string refusalCause(const MediaOutcome& outcome) {
    return outcome.httpStatus ? std::to_string(*outcome.httpStatus) : outcome.error;
}

}  // namespace

ChatMedia::ChatMedia(Archive& ledger, HistorySource& source, std::string chatId, const MediaPlan& plan,
                     const Cancellation& stop, Env& env)
    : _ledger(ledger), _source(source), _chatId(std::move(chatId)), _plan(plan), _env(env) {
    _onStop = stop.onCancel([this] { _cancel.cancel(); });
    _onCancelWake = _cancel.onCancel([this] {
        { std::lock_guard lock(_mutex); }
        _changed.notify_all();
    });
    _writer = std::make_unique<SerialWorker>(kQueuedOutcomes);
    for (int i = 0; i < std::max(1, _plan.config.workers); ++i) _downloaders.emplace_back([this] { downloadLoop(); });
}

ChatMedia::~ChatMedia() { stop(); }

void ChatMedia::stop() noexcept {
    _cancel.cancel();
    try {
        joinAll();
    } catch (...) {
        // A ledger that refuses writes: the entries stay as they were (pending or failed), retried next run.
    }
}

void ChatMedia::joinAll() {
    {
        std::lock_guard lock(_mutex);
        _stopping = true;
    }
    _changed.notify_all();
    for (auto& t : _downloaders)
        if (t.joinable()) t.join();
    _downloaders.clear();
    if (_writer) _writer->finish();  // outcomes already received are recorded: a stop loses no download
}

void ChatMedia::pageCommitted() {
    {
        std::lock_guard lock(_mutex);
        if (_refillQueued || _stopping) return;
        _refillQueued = true;
    }
    try {
        _writer->post([this] {
            {
                std::lock_guard lock(_mutex);
                _refillQueued = false;
            }
            refill();
        });
    } catch (...) {
        // The ledger thread failed: finish() reports why. The page itself is committed; paging goes on.
    }
}

std::size_t ChatMedia::refill() {
    std::size_t limit = kBatch;
    {
        std::lock_guard lock(_mutex);
        if (_queue.size() >= kBatch) return 1;  // downloads lag behind: later
        limit += _busy.size() + _tried.size();
    }
    std::size_t handled = 0;
    for (auto& item : _ledger.mediaToFetch(_chatId, limit, _plan.config.maxAttempts)) {
        {
            std::lock_guard lock(_mutex);
            const auto key = keyOf(item);
            if (_busy.count(key) || _tried.count(key)) continue;
            ++handled;
            if (_busyIdentities.count(item.identity)) continue;  // the same content is on its way: reused after it
        }
        if (!settleWithoutRequest(item)) dispatch(std::move(item));
    }
    return handled;
}

bool ChatMedia::settleWithoutRequest(const MediaItem& item) {
    MediaOutcome outcome;
    outcome.atMs = _env.wallMs();
    if (!typeWanted(_plan.config, item.type)) {
        outcome.state = MediaState::SkippedPolicy;
        outcome.error = isKnownMediaType(item.type)
                            ? fmt::format("media.types does not list {}", item.type)
                            : fmt::format("media.types does not list OTHER (the type {})", item.type);
    } else if (const auto saved = _ledger.savedMedia(item.identity);
               saved && saved->bytes && (!_plan.access.holds || _plan.access.holds(saved->sha256, *saved->bytes))) {
        outcome.state = MediaState::Saved;
        outcome.bytes = saved->bytes;
        outcome.sha256 = saved->sha256;
        outcome.mime = saved->mime;
        std::lock_guard lock(_mutex);
        ++_reused;
    } else {
        return false;
    }
    record(item, outcome, false);
    settled(item, outcome.state);
    return true;
}

void ChatMedia::record(const MediaItem& item, MediaOutcome outcome, bool requested) {
    outcome.identity = item.identity;  // an entry edited meanwhile (another identity) keeps waiting for its own file
    _ledger.recordMediaOutcome(_chatId, item.mid, item.position, outcome);
    if (_plan.observer) _plan.observer(outcome, requested);
}

void ChatMedia::settled(const MediaItem& item, MediaState state) {
    {
        std::lock_guard lock(_mutex);
        const auto key = keyOf(item);
        _busy.erase(key);
        _busyIdentities.erase(item.identity);
        _tried.insert(key);
        _final[key] = state;
    }
    _changed.notify_all();
}

void ChatMedia::dispatch(MediaItem item) {
    {
        std::lock_guard lock(_mutex);
        _busy.insert(keyOf(item));
        _busyIdentities.insert(item.identity);
        _queue.push_back(std::move(item));
    }
    _changed.notify_all();
}

void ChatMedia::abandon(const MediaItem& item, std::exception_ptr failure) {
    {
        std::lock_guard lock(_mutex);
        _busy.erase(keyOf(item));
        _busyIdentities.erase(item.identity);
        if (failure && !_failure) _failure = failure;
    }
    _changed.notify_all();
}

void ChatMedia::downloadLoop() {
    while (auto item = nextDownload()) download(std::move(*item));
}

std::optional<MediaItem> ChatMedia::nextDownload() {
    std::unique_lock lock(_mutex);
    _changed.wait(lock, [&] { return _stopping || _failure || !_queue.empty(); });
    if (_stopping || _failure) return std::nullopt;
    auto item = std::move(_queue.front());
    _queue.pop_front();
    return item;
}

void ChatMedia::download(MediaItem item) {
    FetchedMedia fetched;
    try {
        fetched = _plan.access.fetch(item.url, item.type, _cancel);
    } catch (const Cancelled&) {
        abandon(item, nullptr);  // the entry stays as it was: the next run fetches it
        return;
    } catch (const Error&) {
        abandon(item, std::current_exception());  // the media store cannot be written (full, read-only)
        return;
    } catch (const std::exception& e) {
        abandon(item, std::make_exception_ptr(StorageError(fmt::format("{}: media download: {}", _chatId, e.what()))));
        return;
    }
    bool refresh = false;
    const auto outcome = judge(item, std::move(fetched), refresh);
    try {
        _writer->post([this, item, outcome, refresh] {
            try {
                record(item, outcome, true);
            } catch (...) {  // the writer stops here: say so, or waitIdle would wait for this item forever
                abandon(item, std::current_exception());
                throw;
            }
            if (refresh) {
                awaitRefresh(item);
            } else {
                settled(item, outcome.state);
                if (outcome.state == MediaState::Saved && outcome.bytes) {
                    std::lock_guard lock(_mutex);
                    _bytes += *outcome.bytes;
                }
            }
        });
    } catch (...) {
        abandon(item, std::current_exception());
    }
}

MediaOutcome ChatMedia::judge(const MediaItem& item, FetchedMedia fetched, bool& refresh) const {
    auto outcome = std::move(fetched.outcome);
    if (outcome.atMs == 0) outcome.atMs = _env.wallMs();
    if (outcome.state == MediaState::Saved) return outcome;
    const bool signedLink = stableLink(item.url) != item.url;  // carries expires=, sig=...: it may have expired
    if (fetched.linkRefused && signedLink && item.refreshes < kMaxRefreshes) {
        refresh = true;
        outcome.state = MediaState::FailedTransient;
        outcome.error += "; asking the API for a fresh link";
    } else if (fetched.linkRefused && signedLink) {
        outcome.state = MediaState::Expired;
        outcome.error = fmt::format("the platform no longer serves it: {} after {} fresh links", refusalCause(outcome),
                                    item.refreshes);
    } else if (outcome.state == MediaState::FailedTransient && item.attempts + 1 >= _plan.config.maxAttempts) {
        outcome.state = MediaState::FailedPermanent;
        outcome.error += fmt::format(" (gave up after {} attempts, media.max_attempts)", item.attempts + 1);
    }
    return outcome;
}

void ChatMedia::awaitRefresh(const MediaItem& item) {
    {
        std::lock_guard lock(_mutex);
        const auto key = keyOf(item);
        _busy.erase(key);
        _busyIdentities.erase(item.identity);
        _tried.insert(key);
        _final[key] = MediaState::FailedTransient;
        _refresh.push_back(item);
    }
    _changed.notify_all();
}

void ChatMedia::onLedger(std::function<void()> task) {
    _writer->post(std::move(task));
    _writer->finish();
}

void ChatMedia::throwIfCancelledOrFailed() {
    std::lock_guard lock(_mutex);
    if (_failure) std::rethrow_exception(_failure);
    if (_cancel.cancelled()) throw Cancelled(_chatId + ": media downloads stopped");
}

void ChatMedia::waitIdle() {
    {
        std::unique_lock lock(_mutex);
        _changed.wait(lock, [&] { return _failure || _cancel.cancelled() || (_queue.empty() && _busy.empty()); });
    }
    throwIfCancelledOrFailed();
    _writer->finish();
}

std::size_t ChatMedia::drain() {
    std::size_t total = 0;
    for (;;) {
        throwIfCancelledOrFailed();
        std::size_t handled = 0;
        onLedger([&] { handled = refill(); });
        total += handled;
        waitIdle();
        if (handled == 0) return total;
    }
}

void ChatMedia::finish() {
    drain();
    refreshAll();
    for (int round = 1; round < _plan.config.maxAttempts; ++round) {  // each round costs an entry one attempt
        {
            std::lock_guard lock(_mutex);
            _tried.clear();
        }
        if (drain() == 0) break;
        refreshAll();
    }
    throwIfCancelledOrFailed();
    joinAll();
}

void ChatMedia::refreshAll() {
    for (;;) {
        std::vector<MediaItem> batch;
        {
            std::lock_guard lock(_mutex);
            batch.swap(_refresh);
        }
        if (batch.empty()) return;
        for (auto& item : batch) {
            throwIfCancelledOrFailed();
            refreshLink(std::move(item));
        }
        waitIdle();
    }
}

std::vector<Message> ChatMedia::millisecondNow(std::int64_t timestamp) {
    bool inclusive = false;
    onLedger([&] { inclusive = _ledger.fromBoundInclusive(_chatId).value_or(false); });
    RefreshSink sink([this] { _writer->post([this] { _ledger.setFromBoundInclusive(_chatId, true); }); });
    HistoryPager pager(_source, _chatId, {100, 100}, inclusive);
    auto page = pager.fetchMillisecond(timestamp, sink);
    std::erase_if(page, [&](const Message& m) { return !m.hasTimestamp || m.timestamp != timestamp; });
    return page;
}

void ChatMedia::refreshLink(MediaItem item) {
    std::vector<Message> page;
    MediaOutcome outcome;
    outcome.atMs = _env.wallMs();
    try {
        page = millisecondNow(item.timestamp);
    } catch (const AuthError&) {
        throw;
    } catch (const Cancelled&) {
        throw;
    } catch (const ApiError& e) {  // the next run tries again
        outcome.error = fmt::format("could not ask the API for a fresh link: {}", e.what());
        onLedger([&] { record(item, outcome, false); });
        settled(item, outcome.state);
        return;
    }
    const auto link = freshLink(page, item);
    onLedger([&] {
        if (!page.empty()) _ledger.commitPage(_chatId, page, {});  // the fresh link; no revision for it alone
        _ledger.recordMediaRefresh(_chatId, item.mid, item.position);
    });
    ++item.refreshes;
    ++item.attempts;
    if (link) {
        item.url = *link;
        dispatch(std::move(item));
        return;
    }
    outcome.state = MediaState::Expired;
    outcome.error = "the platform no longer serves it: the API no longer returns the message with this media";
    onLedger([&] { record(item, outcome, false); });
    settled(item, outcome.state);
}

MediaRunCounts ChatMedia::counts() const {
    std::lock_guard lock(_mutex);
    MediaRunCounts c;
    c.downloading = true;
    for (const auto& [key, state] : _final) {
        switch (state) {
            case MediaState::Saved: ++c.saved; break;
            case MediaState::SkippedPolicy: ++c.skipped; break;
            case MediaState::Expired: ++c.expired; break;
            case MediaState::FailedTransient:
            case MediaState::FailedPermanent: ++c.failed; break;
            case MediaState::Pending: break;
        }
    }
    c.reused = _reused;
    c.bytes = _bytes;
    return c;
}

MediaRunCounts downloadChatMedia(Archive& ledger, HistorySource& source, const std::string& chatId,
                                 const MediaPlan& plan, const Cancellation& stop, Env& env) {
    ChatMedia media(ledger, source, chatId, plan, stop, env);
    media.finish();
    return media.counts();
}

}  // namespace okarchive
