#pragma once

#include <functional>
#include <string>
#include <vector>

#include "domain/Env.h"
#include "store/Archive.h"
#include "sync/ChatMedia.h"
#include "sync/ChatSources.h"
#include "sync/ChatSync.h"
#include "sync/RecheckPolicy.h"

namespace okarchive {

/// How a run pages and when it stops, and what it does with the chat's media.
struct ChatRunOptions {
    int pageSize = 100;
    ProgressCallback progress = {};
    std::function<bool()> stopRequested = {};  ///< asked between pages (ChatSync::setStopCheck)
    /// The media downloads (nothing: no media work at all). With media.download = none the ledger is only seeded.
    const MediaPlan* media = nullptr;
    Archive* mediaLedger = nullptr;      ///< a connection of its own for the media work (ChatMedia)
    const Cancellation* stop = nullptr;  ///< ends downloads in flight at once (SIGTERM); none: never
    RecheckPlan recheck = {};            ///< the chat's re-check after paging (ChatSync::setRecheck); none: off
};

/// One chat's sync exactly as `sync` and `serve` both run it (the one place that does): the chat's metadata
/// (fetched on its first sync, refreshed when the run archived a new chat event such as a join, a leave or a title
/// change), its pages (ChatSync), and its entry in the run log. A stop request ends it with `stopped` set and
/// nothing recorded (a stop is not a failure; every page fetched is committed). AuthError is recorded and rethrown
/// (every later call would fail the same way); any other Error, a StorageError included (full disk, read-only or
/// locked archive), ends the chat as a failed result (recorded when the archive lets it) so the other chats go on:
/// run() never throws one. The first cause is the result's error.
class ChatRun {
public:
    ChatRun(Archive& archive, ChatSources& sources, Env& env) : _archive(archive), _sources(sources), _env(env) {}

    ChatSyncResult run(const std::string& chatId, const ChatRunOptions& options);

    /// The chats a configuration names: the list as given, or for {"all"} every chat of GET /me/chats, whose
    /// metadata is stored as it is listed.
    std::vector<std::string> resolve(const std::vector<std::string>& configured);

    static bool namesAllChats(const std::vector<std::string>& configured) {
        return configured.size() == 1 && configured.front() == "all";
    }

private:
    /// Seeds the chat's ledger (archives from before it) and starts its downloads (nothing when off).
    std::unique_ptr<ChatMedia> startMedia(const std::string& chatId, const ChatRunOptions& options, ChatSync& sync);
    /// What the run did to the chat's media, after `media` finished (or, with downloads off, what waits).
    MediaRunCounts mediaCounts(const ChatMedia* media, const ChatRunOptions& options, const std::string& chatId);
    ChatSyncResult failed(const ChatSync& sync, ChatMedia* media, const Error& error);
    ChatSyncResult stoppedResult(const ChatSync& sync, ChatMedia* media);
    void refreshMetadata(ChatSyncResult& result);
    /// Adds the run to the run log; a StorageError doing so fails an ok result (a failed one keeps its cause).
    void record(ChatSyncResult& result, std::int64_t startedAtMs);

    Archive& _archive;
    ChatSources& _sources;
    Env& _env;
};

}  // namespace okarchive
