#include "sync/ChatSync.h"

#include <algorithm>

#include <fmt/format.h>

namespace okarchive {
namespace {

/// Pages waiting to be written while the next is fetched: enough to overlap the two, small enough for flat memory.
constexpr std::size_t kQueuedCommits = 2;

}  // namespace

std::string describeRecheck(const ChatSyncResult& result) {
    std::string text;
    if (result.messagesDeleted > 0) text += fmt::format(", {} deleted", result.messagesDeleted);
    if (result.messagesRestored > 0) text += fmt::format(", {} restored", result.messagesRestored);
    if (result.recheckRan && !result.recheckCompleted) text += ", re-check continues next run";
    return text;
}

ChatSync::ChatSync(Archive& archive, HistorySource& source, std::string chatId, int pageSize, ProgressCallback progress,
                   const Env& env)
    : _archive(archive), _source(source), _env(env), _pageSize(pageSize), _progress(std::move(progress)) {
    _result.chatId = std::move(chatId);
}

void ChatSync::run() {
    _started = _env.now();
    if (_stopRequested && _stopRequested()) throw SyncStopped(_result.chatId + ": sync not started, stopping");
    _archive.ensureChat(_result.chatId);
    const auto coverage = _archive.coverage(_result.chatId);
    const bool rechecking = _recheck.span.kind != RecheckSpan::Kind::Off;
    const auto recheckState = rechecking ? _archive.recheckState(_result.chatId) : RecheckState{};
    HistoryPager pager(_source, _result.chatId, {_pageSize, 100},
                       _archive.fromBoundInclusive(_result.chatId).value_or(false));
    _pager = &pager;
    _committer = std::make_unique<SerialWorker>(kQueuedCommits);
    try {
        pager.run(coverage, *this);
        if (const auto window = rechecking ? recheckWindow(recheckState, coverage, pager) : std::nullopt) {
            _result.recheckRan = true;
            _result.recheckCompleted = pager.recheck(*window, _recheck.maxPages, *this);
        }
        _committer->finish();
    } catch (const Cancelled&) {
        _committer->finish();  // the pages already fetched are written: a stop loses no work
        _committer.reset();
        finishRun(pager);
        throw;
    } catch (...) {
        _committer.reset();  // stops after the commit in progress: the rest is simply not covered yet
        finishRun(pager);
        throw;
    }
    _committer.reset();
    finishRun(pager);
    _result.messagesTotal = _archive.messageCount(_result.chatId);
    _result.ok = true;
}

void ChatSync::finishRun(const HistoryPager& pager) {
    _pager = nullptr;
    _result.requests = pager.stats().requests;
    _result.seconds = std::chrono::duration<double>(_env.now() - _started).count();
    _result.messagesNew = _messagesNew;
    _result.messagesRevised = _messagesRevised;
    _result.chatEventsNew = _chatEventsNew;
    _result.messagesDeleted = _messagesDeleted;
    _result.messagesRestored = _messagesRestored;
    _result.warnings = _warnings;
}

std::optional<TimeRange> ChatSync::recheckWindow(const RecheckState& state, const CoverageSet& coveredBefore,
                                                 const HistoryPager& pager) {
    if (state.pending && !_recheck.fresh) return state.pending;  // an interrupted pass goes on where it stopped
    const auto newest = pager.newest();
    if (!newest || coveredBefore.empty()) return std::nullopt;  // nothing was archived before this run
    auto window = _recheck.span.over(*newest);
    if (!window) return std::nullopt;
    // What this run has just fetched above the old coverage needs no second look.
    window->hi = std::min(window->hi, coveredBefore.ranges().back().hi);
    if (window->empty()) return std::nullopt;
    _committer->post([this, w = *window] { _archive.startRecheck(_result.chatId, w); });
    return window;
}

void ChatSync::commit(std::vector<Message> messages, std::vector<TimeRange> proven) {
    postPage(std::move(messages), [this, proven = std::move(proven)](const std::vector<Message>& page) {
        return _archive.commitPage(_result.chatId, page, proven);
    });
}

void ChatSync::commitRecheck(std::vector<Message> messages, std::vector<TimeRange> proven,
                             std::vector<TimeRange> repaged, std::optional<TimeRange> remaining) {
    postPage(std::move(messages), [this, proven = std::move(proven), step = RecheckStep{std::move(repaged), remaining}](
                                      const std::vector<Message>& page) {
        return _archive.commitRecheckPage(_result.chatId, page, proven, step);
    });
}

void ChatSync::postPage(std::vector<Message> messages,
                        std::function<PageWriteResult(const std::vector<Message>&)> write) {
    _committer->post([this, messages = std::move(messages), write = std::move(write)] {
        const auto events = countNewChatEvents(messages);
        const auto written = write(messages);
        _chatEventsNew += events;
        counted(written);
    });
    reportProgress();
    if (_stopRequested && _stopRequested()) throw SyncStopped(_result.chatId + ": sync stopped between pages");
}

void ChatSync::counted(const PageWriteResult& written) {
    _messagesNew += written.inserted;
    _messagesRevised += written.revised;
    _messagesDeleted += written.deleted;
    _messagesRestored += written.restored;
    if (_afterCommit) _afterCommit();
    if (written.quarantined > 0)
        _warnings.push_back(fmt::format(
            "{}: {} message(s) the API sent could not be decoded: kept apart with their raw JSON (quarantine, "
            "see okarchive status), the rest archived",
            _result.chatId, written.quarantined));
}

std::int64_t ChatSync::countNewChatEvents(const std::vector<Message>& messages) {
    // Service messages are rare, so looking each up costs nothing measurable; pages of ordinary messages cost none.
    std::int64_t fresh = 0;
    for (const auto& m : messages)
        if (m.service && !_archive.findMessage(_result.chatId, m.mid)) ++fresh;
    return fresh;
}

void ChatSync::clusterOverflow(std::int64_t timestamp, std::size_t received) {
    auto detail = fmt::format(
        "{}: millisecond {} holds at least {} messages, more than one page at the largest count; the API cannot "
        "reach the rest, kept the {} it returned",
        _result.chatId, timestamp, received, received);
    _committer->post([this, timestamp, detail = std::move(detail)] {
        _archive.recordWarning({_result.chatId, "cluster_overflow", timestamp, detail, _env.wallMs()});
        _warnings.push_back(detail);
    });
}

void ChatSync::fromBoundInclusive() {
    _committer->post([this] { _archive.setFromBoundInclusive(_result.chatId, true); });
}

void ChatSync::reportProgress() {
    if (!_progress || !_pager) return;
    SyncProgress p;
    p.chatId = _result.chatId;
    p.requests = _pager->stats().requests;
    p.pages = _pager->stats().pages;
    p.messagesNew = _messagesNew;
    p.seconds = std::chrono::duration<double>(_env.now() - _started).count();
    _progress(p);
}

}  // namespace okarchive
