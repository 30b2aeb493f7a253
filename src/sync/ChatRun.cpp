#include "sync/ChatRun.h"

#include <fmt/format.h>

#include "domain/Errors.h"

namespace okarchive {

std::vector<std::string> ChatRun::resolve(const std::vector<std::string>& configured) {
    if (!namesAllChats(configured)) return configured;
    std::vector<std::string> ids;
    for (const auto& chat : _sources.listChats()) {
        ids.push_back(chat.chatId);
        try {
            _archive.upsertChat(chat);
        } catch (const StorageError&) {
            // The archive refuses writes (disk full, read-only, locked): the chat is still synced, and its run
            // fails and is counted on the same cause; its first successful sync stores the metadata.
        }
    }
    return ids;
}

ChatSyncResult ChatRun::run(const std::string& chatId, const ChatRunOptions& options) {
    const auto startedAt = _env.wallMs();
    const auto started = _env.now();
    ChatSync sync(_archive, _sources, chatId, options.pageSize, options.progress, _env);
    if (options.stopRequested) sync.setStopCheck(options.stopRequested);
    sync.setRecheck(options.recheck);
    ChatSyncResult result;
    std::unique_ptr<ChatMedia> media;  // stops (and records what it has) before `sync` goes, whatever happens
    try {
        // A chat named by id gets its metadata on its first sync (discovery through /me/chats already stored it).
        const bool firstSync = !_archive.chatInfo(chatId);
        if (firstSync) _archive.upsertChat(_sources.describe(chatId));
        media = startMedia(chatId, options, sync);
        sync.run();
        if (media) media->finish();
        result = sync.result();
        result.seconds = std::chrono::duration<double>(_env.now() - started).count();  // paging and media
        result.media = mediaCounts(media.get(), options, chatId);
        if (result.chatEventsNew > 0 && !firstSync) refreshMetadata(result);
    } catch (const Cancelled&) {  // stopped between pages (SyncStopped) or a request abandoned on stop
        result = stoppedResult(sync, media.get());
        return result;
    } catch (const AuthError& e) {
        result = failed(sync, media.get(), e);
        record(result, startedAt);
        throw;
    } catch (const Error& e) {
        result = failed(sync, media.get(), e);
    }
    record(result, startedAt);
    return result;
}

std::unique_ptr<ChatMedia> ChatRun::startMedia(const std::string& chatId, const ChatRunOptions& options,
                                               ChatSync& sync) {
    if (!options.media) return nullptr;
    _archive.seedMedia(chatId);  // attachments archived before the ledger existed
    if (!options.media->config.download || !options.mediaLedger) return nullptr;
    auto media = std::make_unique<ChatMedia>(*options.mediaLedger, _sources, chatId, *options.media,
                                             options.stop ? *options.stop : Cancellation::never(), _env);
    sync.setAfterCommit([m = media.get()] { m->pageCommitted(); });
    return media;
}

MediaRunCounts ChatRun::mediaCounts(const ChatMedia* media, const ChatRunOptions& options, const std::string& chatId) {
    if (media) return media->counts();
    MediaRunCounts counts;
    if (!options.media) return counts;
    for (const auto& c : _archive.mediaCounts(chatId))
        if (c.state == MediaState::Pending) counts.pending += c.files;
    return counts;
}

ChatSyncResult ChatRun::stoppedResult(const ChatSync& sync, ChatMedia* media) {
    auto result = sync.result();
    result.stopped = true;
    if (media) {
        media->stop();
        result.media = media->counts();
    }
    return result;
}

ChatSyncResult ChatRun::failed(const ChatSync& sync, ChatMedia* media, const Error& error) {
    auto result = sync.result();
    if (media) {
        media->stop();
        result.media = media->counts();
    }
    result.ok = false;
    result.error = error.what();
    try {
        result.messagesTotal = _archive.messageCount(result.chatId);
    } catch (const StorageError&) {  // the archive cannot even be read: the count stays unknown (0)
    }
    return result;
}

void ChatRun::refreshMetadata(ChatSyncResult& result) {
    // The run archived joins, leaves or title changes: the chat's metadata may have changed with them. A failure
    // here costs only freshness, so it is a warning, never a failed sync (a refused token still stops everything).
    try {
        _archive.upsertChat(_sources.describe(result.chatId));
    } catch (const AuthError&) {
        throw;
    } catch (const Cancelled&) {
        throw;  // a stop, not a stale title: the run ends as stopped and records nothing
    } catch (const Error& e) {
        result.warnings.push_back(
            fmt::format("{}: could not refresh the chat's metadata: {}", result.chatId, e.what()));
    }
}

void ChatRun::record(ChatSyncResult& result, std::int64_t startedAtMs) {
    try {
        _archive.recordSyncRun({result.chatId, startedAtMs, _env.wallMs(), result.ok ? "ok" : "failed",
                                result.messagesNew, static_cast<std::int64_t>(result.requests), result.error});
    } catch (const StorageError& e) {
        // A run the archive cannot record is a failed run; a failure already known stays its cause.
        if (!result.ok) return;
        result.ok = false;
        result.error = e.what();
    }
}

}  // namespace okarchive
