#include "sync/SyncRunner.h"

namespace okarchive {

SyncRunner::SyncRunner(Archive& archive, GraphClient& client, SyncSettings settings, Env& env)
    : _sources(client, settings.includeDeleted), _run(archive, _sources, env), _settings(std::move(settings)) {}

std::vector<ChatSyncResult> SyncRunner::run(const ProgressCallback& onProgress, const ResultCallback& onResult) {
    std::vector<ChatSyncResult> results;
    for (const auto& chatId : _run.resolve(_settings.chats)) {
        results.push_back(_run.run(chatId, {_settings.pageSize, onProgress, {}, _media, _mediaLedger, _stop,
                                            RecheckPlan::of(_settings.recheck, chatId)}));
        if (results.back().stopped) break;
        if (onResult) onResult(results.back());
    }
    return results;
}

}  // namespace okarchive
