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
    ChatSync sync(_archive, _sources, chatId, options.pageSize, options.progress, _env);
    if (options.stopRequested) sync.setStopCheck(options.stopRequested);
    ChatSyncResult result;
    try {
        // A chat named by id gets its metadata on its first sync (discovery through /me/chats already stored it).
        const bool firstSync = !_archive.chatInfo(chatId);
        if (firstSync) _archive.upsertChat(_sources.describe(chatId));
        sync.run();
        result = sync.result();
        if (result.chatEventsNew > 0 && !firstSync) refreshMetadata(result);
    } catch (const Cancelled&) {  // stopped between pages (SyncStopped) or a request abandoned on stop
        result = sync.result();
        result.stopped = true;
        return result;
    } catch (const AuthError& e) {
        result = failed(sync, e);
        record(result, startedAt);
        throw;
    } catch (const Error& e) {
        result = failed(sync, e);
    }
    record(result, startedAt);
    return result;
}

ChatSyncResult ChatRun::failed(const ChatSync& sync, const Error& error) {
    auto result = sync.result();
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
