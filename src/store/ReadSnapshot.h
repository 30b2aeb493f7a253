#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/ChatInfo.h"
#include "domain/Message.h"
#include "domain/MessageCursor.h"
#include "store/MediaLedger.h"

namespace okarchive {

/// Which archived messages to read. Times in ms; since inclusive, until exclusive. Repeated values (senders,
/// attachment types) mean "any of them"; different filters combine with AND.
struct MessageQuery {
    std::string chatId;
    std::optional<std::int64_t> since = {};
    std::optional<std::int64_t> until = {};
    std::vector<std::string> senders = {};  ///< sender user ids ("user:...")
    std::optional<MessageKind> kind = {};
    std::vector<std::string> attachmentTypes = {};  ///< has an attachment of one of these types (ASCII case ignored)
    std::optional<std::string> contains = {};       ///< case-insensitive substring of the text (domain/TextFold.h)
    bool excludeDigests = false;                    ///< leave out the bot's own posted digests (the digest ledger)
    std::optional<bool> edited = {};   ///< true: only messages with revisions (--edited); false: only unchanged ones
    std::optional<bool> deleted = {};  ///< true: only messages marked deleted (--deleted); false: --exclude-deleted
};

/// Whether `message` passes every filter of `query` (neither the chat id nor excludeDigests, which needs the
/// archive, is checked). The single definition every backend's cursor narrows down to.
bool matchesQuery(const MessageQuery& query, const Message& message);

/// An earlier version of an archived message, kept when its content changed.
struct MessageRevision {
    std::string rawJson;
    std::optional<std::string> text;
    std::int64_t replacedAtMs = 0;  ///< when the newer version replaced it
};

/// What kind of change the archive observed (StatisticsSource::forEachChange).
enum class ChangeKind { Edit, Deletion };

/// Reading archived messages and the names around them.
class MessageReader {
public:
    virtual ~MessageReader() = default;

    virtual std::optional<ChatInfo> chatInfo(const std::string& chatId) = 0;  ///< nothing if never described
    /// The name last seen for a user (ties: the smallest name), nothing if never seen.
    virtual std::optional<std::string> latestSenderName(const std::string& userId) = 0;
    virtual std::int64_t messageCount(const std::string& chatId) = 0;
    virtual std::int64_t countMessages(const MessageQuery& query) = 0;  ///< how many openCursor(query) yields
    virtual std::optional<Message> findMessage(const std::string& chatId, const std::string& mid) = 0;
    /// The replaced versions of a message, oldest first (empty if it never changed or is unknown).
    virtual std::vector<MessageRevision> messageRevisions(const std::string& chatId, const std::string& mid) = 0;

    /// Streams matching messages in ascending (timestamp, seq) order without loading the chat in memory. The cursor
    /// must not outlive the reader that opened it; it does not see other handles' later commits (whether it sees
    /// its own handle's is up to the backend: read through a snapshot for a view of one moment).
    virtual std::unique_ptr<MessageCursor> openCursor(const MessageQuery& query) = 0;
    /// The media ledger's files and bytes, by attachment type and state, of the messages `query` selects (each
    /// MediaCount's chatId is query.chatId); ordered by type, then state name. Attachments without media are not
    /// counted. For reports and export manifests; reads the same view as openCursor.
    virtual std::vector<MediaCount> mediaCounts(const MessageQuery& query) = 0;
};

/// One chat's time range for the statistics aggregates: since inclusive, until exclusive (open when unset).
struct StatsRange {
    std::string chatId;
    std::optional<std::int64_t> since = {};
    std::optional<std::int64_t> until = {};
    bool excludeDigests = false;  ///< leave out the bot's own posted digests (the digest ledger), as MessageQuery
};

/// The first and last archived message of a range (service messages included), and an upper bound of message keys.
struct RangeBounds {
    std::optional<std::int64_t> first, last;  ///< timestamps; nothing when the range holds no message
    std::int64_t maxKey = 0;                  ///< every message key of the archive is at most this
};

/// The row-level aggregates statistics fold, streamed so memory stays independent of the number of messages.
/// A message key is a small non-negative integer identifying one archived message within the archive.
class StatisticsSource {
public:
    virtual ~StatisticsSource() = default;

    virtual RangeBounds rangeBounds(const StatsRange& range) = 0;
    /// Every message in range replying to an archived message of the same chat: (reply timestamp, target key).
    virtual void forEachReply(const StatsRange& range,
                              const std::function<void(std::int64_t timestamp, std::int64_t targetKey)>& visit) = 0;
    /// Non-service messages in range in ascending timestamp order. `senderId` is valid during the call only.
    virtual void forEachMessage(
        const StatsRange& range,
        const std::function<void(std::int64_t timestamp, std::string_view senderId, std::int64_t key)>& visit) = 0;
    /// The keys of the service messages in range.
    virtual void forEachServiceMessage(const StatsRange& range, const std::function<void(std::int64_t key)>& visit) = 0;
    /// Service messages in range counted per UTC quarter hour (its start, ascending) and event type (nothing: the
    /// event is unknown). `type` is valid during the call only.
    virtual void forEachServiceQuarter(
        const StatsRange& range,
        const std::function<void(std::int64_t quarterStart, std::optional<std::string_view> type, std::int64_t count)>&
            visit) = 0;
    /// Every attachment of messages with keys in [lowKey, highKey]: (message key, type). `type` valid during the call.
    virtual void forEachAttachment(std::int64_t lowKey, std::int64_t highKey,
                                   const std::function<void(std::int64_t key, std::string_view type)>& visit) = 0;
    virtual std::optional<std::int64_t> timestampOfKey(std::int64_t key) = 0;
    /// Every observed change to a message in range (by the message's timestamp): one Edit per revision kept (at its
    /// replacedAt) and one Deletion per message now marked deleted (at its deletedObservedAt), ascending by
    /// observedAtMs. Digest exclusion as the other aggregates. `senderId` is valid during the call only.
    virtual void forEachChange(
        const StatsRange& range,
        const std::function<void(std::int64_t observedAtMs, std::string_view senderId, ChangeKind kind)>& visit) = 0;
};

/// A consistent read view: everything read through it comes from one moment, whatever is committed meanwhile.
/// Cursors it opens must not outlive it. One thread at a time.
class ReadSnapshot : public MessageReader, public StatisticsSource {};

}  // namespace okarchive
