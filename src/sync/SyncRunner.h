#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/GraphClient.h"
#include "store/Archive.h"
#include "sync/ChatSync.h"

namespace okarchive {

struct SyncSettings {
    std::vector<std::string> chats;  ///< "chat:ID" each; {"all"} = every chat the bot is in (GET /me/chats)
    int pageSize = 100;
};

/// Syncs many chats one after another through one API client. A failing chat is recorded and the others go on;
/// an invalid token (AuthError) stops everything at once and propagates.
class SyncRunner {
public:
    using ResultCallback = std::function<void(const ChatSyncResult&)>;

    SyncRunner(Archive& archive, GraphClient& client, SyncSettings settings);

    /// Runs every chat; `onProgress` gets live figures, `onResult` each chat's outcome as soon as it is known.
    std::vector<ChatSyncResult> run(const ProgressCallback& onProgress, const ResultCallback& onResult);

    /// The chat ids a run covers: the configured list, or the discovered chats for "all" (stored as it goes).
    std::vector<std::string> resolveChats();

private:
    ChatSyncResult syncOne(const std::string& chatId, const ProgressCallback& onProgress);

    Archive& _archive;
    GraphClient& _client;
    SyncSettings _settings;
};

}  // namespace okarchive
