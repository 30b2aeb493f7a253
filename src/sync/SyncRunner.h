#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/GraphClient.h"
#include "domain/Env.h"
#include "store/Archive.h"
#include "sync/ChatRun.h"
#include "sync/ChatSources.h"
#include "sync/RecheckPolicy.h"

namespace okarchive {

struct SyncSettings {
    std::vector<std::string> chats;  ///< "chat:ID" each; {"all"} = every chat the bot is in (GET /me/chats)
    int pageSize = 100;
    RecheckSettings recheck;       ///< sync.recheck (and per chat), --recheck
    bool includeDeleted = false;  ///< sync.include_deleted
};

/// Syncs many chats one after another through one API client (`okarchive sync`). A failing chat is recorded and
/// the others go on; an invalid token (AuthError) stops everything at once and propagates.
class SyncRunner {
public:
    using ResultCallback = std::function<void(const ChatSyncResult&)>;

    SyncRunner(Archive& archive, GraphClient& client, SyncSettings settings, Env& env = Env::system());

    /// Runs every chat; `onProgress` gets live figures, `onResult` each chat's outcome as soon as it is known.
    std::vector<ChatSyncResult> run(const ProgressCallback& onProgress, const ResultCallback& onResult);

    /// Each chat's media downloads from now on (ChatRunOptions::media, mediaLedger, stop); none: no media work.
    void setMedia(const MediaPlan* plan, Archive* ledger, const Cancellation* stop) {
        _media = plan;
        _mediaLedger = ledger;
        _stop = stop;
    }

private:
    GraphChatSources _sources;
    ChatRun _run;
    SyncSettings _settings;
    const MediaPlan* _media = nullptr;
    Archive* _mediaLedger = nullptr;
    const Cancellation* _stop = nullptr;
};

}  // namespace okarchive
