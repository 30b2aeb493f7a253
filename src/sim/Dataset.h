#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/ChatData.h"
#include "sim/MediaCatalog.h"
#include "sim/MessageFactory.h"
#include "sim/SimConfig.h"
#include "sim/UserDirectory.h"

namespace okarchive::sim {

/// What /me/chats and /me/chat/chat:ID tell about a chat.
struct ChatSummary {
    std::string chatId;
    std::string title;
    ChatSpec::Access access = ChatSpec::Access::Ok;
    std::size_t participantsCount = 0;
    std::string ownerId;
    std::int64_t lastEventTime = 0;
    std::string iconUrl;
    std::vector<std::pair<std::string, std::int64_t>> participants;  ///< user id, joined at
};

/// All chats of the simulation and their messages. Thread-safe: readers share a lock, appends take it alone.
class Dataset {
public:
    /// Generates every configured chat (or the default one). Throws std::invalid_argument on a bad config.
    explicit Dataset(const SimConfig& config);

    /// The chat's access, or nullopt when no such chat is configured.
    std::optional<ChatSpec::Access> access(const std::string& chatId) const;

    /// Summaries of the chats /me/chats lists (all but NotFound ones), in configuration order.
    std::vector<ChatSummary> listedChats() const;

    /// The summary of one configured chat; nullopt if unknown.
    std::optional<ChatSummary> summary(const std::string& chatId) const;

    /// Appends {"messages":[...]} for the chat: messages within the bounds, newest first, at most `count`, in their
    /// current version. Deleted messages are left out, unless `includeDeleted`: then they come with "deleted":true.
    void appendPage(std::string& out, const std::string& chatId, std::int64_t from, std::int64_t to, std::size_t count,
                    bool inclusive, bool includeDeleted = false) const;

    /// Streams the chat's truth NDJSON (ascending) to `sink` in chunks. reachableOnly drops the oldest messages of
    /// every millisecond holding more than `pageCap`. Deleted messages are left out; edited ones are current. Throws std::out_of_range for an unknown chat.
    void writeTruth(const std::string& chatId, bool reachableOnly, std::size_t pageCap,
                    const std::function<void(const std::string&)>& sink) const;

    /// Edits the listed messages (text: the new text, nullopt: a derived one; attachments dropped when asked); returns
    /// the mids the chat does not have. Throws std::out_of_range for an unknown chat.
    std::vector<std::string> edit(const std::string& chatId, const std::vector<std::string>& mids,
                                  const std::optional<std::string>& text, bool dropAttachments);
    /// Deletes (deleted true) or brings back the listed messages; returns the mids the chat does not have.
    std::vector<std::string> setDeleted(const std::string& chatId, const std::vector<std::string>& mids, bool deleted);
    /// Edits or deletes one random live message of every listed chat (the --edit-every / --delete-every threads).
    void changeRandom(bool deleteIt, std::uint64_t draw);
    /// The chat's change log as NDJSON, oldest first: {"mid","kind":"edit"|"delete"|"undelete","at",
    /// "text_before"(edits)}. Throws std::out_of_range for an unknown chat.
    std::string changesNdjson(const std::string& chatId) const;

    /// Appends `count` ordinary messages to the chat; throws std::out_of_range for an unknown chat.
    void appendOrdinary(const std::string& chatId, std::size_t count);

    /// Appends one ordinary message to every chat except NotFound ones.
    void appendToAll();

    /// Appends a POSTed message; returns its mid. Throws std::out_of_range for an unknown chat.
    std::string appendCustom(const std::string& chatId, SimMessage content);

    /// Number of messages in the chat now (0 for an unknown chat).
    std::size_t messageCount(const std::string& chatId) const;

    /// The group the bot belongs to ("group:...").
    const std::string& groupId() const { return _groupId; }

    /// The media links of the messages: pages mint fresh ones, the truth shows the latest.
    MediaCatalog& media() const { return *_media; }

private:
    ChatData& chat(const std::string& chatId);
    const ChatData& chat(const std::string& chatId) const;
    ChatSummary summarize(const ChatData& chat) const;
    /// The message at `index` as it is now (edits applied).
    SimMessage current(const ChatData& chat, std::size_t index) const;

    UserDirectory _users;
    std::unique_ptr<MediaCatalog> _media;
    MessageFactory _factory;
    std::string _groupId;
    std::vector<std::unique_ptr<ChatData>> _chats;
    std::unordered_map<std::string, std::size_t> _byId;
    mutable std::shared_mutex _mutex;
};

}  // namespace okarchive::sim
