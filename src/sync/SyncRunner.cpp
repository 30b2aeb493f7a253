#include "sync/SyncRunner.h"

#include <chrono>

#include "api/ChatDirectory.h"
#include "api/HistorySource.h"
#include "domain/Errors.h"

namespace okarchive {
namespace {

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

SyncRunner::SyncRunner(Archive& archive, GraphClient& client, SyncSettings settings)
    : _archive(archive), _client(client), _settings(std::move(settings)) {}

std::vector<std::string> SyncRunner::resolveChats() {
    if (!(_settings.chats.size() == 1 && _settings.chats.front() == "all")) return _settings.chats;
    std::vector<std::string> ids;
    for (const auto& chat : ChatDirectory(_client).listChats()) {
        _archive.upsertChat(chat);
        ids.push_back(chat.chatId);
    }
    return ids;
}

std::vector<ChatSyncResult> SyncRunner::run(const ProgressCallback& onProgress, const ResultCallback& onResult) {
    std::vector<ChatSyncResult> results;
    for (const auto& chatId : resolveChats()) {
        results.push_back(syncOne(chatId, onProgress));
        if (onResult) onResult(results.back());
    }
    return results;
}

ChatSyncResult SyncRunner::syncOne(const std::string& chatId, const ProgressCallback& onProgress) {
    const auto startedAt = nowMs();
    GraphHistorySource source(_client);
    ChatSync sync(_archive, source, chatId, _settings.pageSize, onProgress);
    ChatSyncResult result;
    try {
        // Metadata once, on the first sync of a chat named by id (discovery through /me/chats already has it).
        if (!_archive.chatInfo(chatId)) _archive.upsertChat(ChatDirectory(_client).chat(chatId));
        sync.run();
        result = sync.result();
    } catch (const AuthError& e) {
        // Record it, then stop everything: every further call would fail the same way.
        result = sync.result();
        _archive.recordSyncRun({chatId, startedAt, nowMs(), "failed", result.messagesNew,
                                static_cast<std::int64_t>(result.requests), e.what()});
        throw;
    } catch (const Error& e) {
        result = sync.result();
        result.ok = false;
        result.error = e.what();
        result.messagesTotal = _archive.messageCount(chatId);
    }
    _archive.recordSyncRun({chatId, startedAt, nowMs(), result.ok ? "ok" : "failed", result.messagesNew,
                            static_cast<std::int64_t>(result.requests), result.error});
    return result;
}

}  // namespace okarchive
