#include "sync/ChatSync.h"

#include <fmt/format.h>

namespace okarchive {
namespace {

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

ChatSync::ChatSync(Archive& archive, HistorySource& source, std::string chatId, int pageSize,
                   ProgressCallback progress)
    : _archive(archive), _source(source), _pageSize(pageSize), _progress(std::move(progress)) {
    _result.chatId = std::move(chatId);
}

void ChatSync::run() {
    _started = std::chrono::steady_clock::now();
    _archive.ensureChat(_result.chatId);
    HistoryPager pager(_source, _result.chatId, {_pageSize, 100}, _archive.fromBoundInclusive(_result.chatId).value_or(false));
    _pager = &pager;
    try {
        pager.run(_archive.coverage(_result.chatId), *this);
    } catch (...) {
        _result.requests = pager.stats().requests;
        _result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - _started).count();
        _pager = nullptr;
        throw;
    }
    _pager = nullptr;
    _result.requests = pager.stats().requests;
    _result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - _started).count();
    _result.messagesTotal = _archive.messageCount(_result.chatId);
    _result.ok = true;
}

void ChatSync::commit(const std::vector<Message>& messages, const std::vector<TimeRange>& proven) {
    const auto written = _archive.commitPage(_result.chatId, messages, proven);
    _result.messagesNew += written.inserted;
    _result.messagesRevised += written.revised;
    reportProgress();
}

void ChatSync::clusterOverflow(std::int64_t timestamp, std::size_t received) {
    auto detail = fmt::format(
        "{}: millisecond {} holds at least {} messages, more than one page at the largest count; the API cannot "
        "reach the rest, kept the {} it returned",
        _result.chatId, timestamp, received, received);
    _archive.recordWarning({_result.chatId, "cluster_overflow", timestamp, detail, nowMs()});
    _result.warnings.push_back(std::move(detail));
}

void ChatSync::fromBoundInclusive() { _archive.setFromBoundInclusive(_result.chatId, true); }

void ChatSync::reportProgress() {
    if (!_progress || !_pager) return;
    SyncProgress p;
    p.chatId = _result.chatId;
    p.requests = _pager->stats().requests;
    p.pages = _pager->stats().pages;
    p.messagesNew = _result.messagesNew;
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - _started).count();
    _progress(p);
}

}  // namespace okarchive
