#pragma once

#include <functional>
#include <string>
#include <vector>

#include "domain/Env.h"
#include "store/Archive.h"
#include "sync/ChatSources.h"
#include "sync/ChatSync.h"

namespace okarchive {

/// How a run pages and when it stops.
struct ChatRunOptions {
    int pageSize = 100;
    ProgressCallback progress = {};
    std::function<bool()> stopRequested = {};  ///< asked between pages (ChatSync::setStopCheck)
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
    ChatSyncResult failed(const ChatSync& sync, const Error& error);
    void refreshMetadata(ChatSyncResult& result);
    /// Adds the run to the run log; a StorageError doing so fails an ok result (a failed one keeps its cause).
    void record(ChatSyncResult& result, std::int64_t startedAtMs);

    Archive& _archive;
    ChatSources& _sources;
    Env& _env;
};

}  // namespace okarchive
