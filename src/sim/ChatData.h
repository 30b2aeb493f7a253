#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/ChatChanges.h"
#include "sim/SimConfig.h"
#include "sim/Rng.h"
#include "sim/SimMessage.h"

namespace okarchive::sim {

/// Where a message's content comes from.
enum class EntryOrigin : std::uint8_t {
    Generated,  ///< derived from (seed, index): any kind of message
    Ordinary,   ///< appended at run time: a plain text from a chat member
    Custom,     ///< POSTed: content stored in ChatData::custom()
};

/// The compact timeline record of one message (24 bytes); its content is derived on demand.
struct Entry {
    std::int64_t timestamp = 0;
    std::int64_t seq = 0;
    std::uint32_t custom = 0;  ///< index into the custom contents when origin is Custom
    EntryOrigin origin = EntryOrigin::Generated;
};

/// One chat: its metadata and its timeline, ascending by (timestamp, seq). Not thread-safe (Dataset locks).
class ChatData {
public:
    /// Generates the timeline: `spec.messages` messages (at least the sum of `clusters`) over the year before
    /// `rangeEnd`, with natural 2-5 message clusters and one cluster of exactly N per entry of `clusters`.
    ChatData(const ChatSpec& spec, std::size_t chatIndex, std::uint64_t seed, const std::vector<std::size_t>& clusters,
             std::size_t userCount, std::int64_t rangeStart, std::int64_t rangeEnd);

    const std::string& chatId() const { return _chatId; }
    const std::string& title() const { return _title; }
    ChatSpec::Access access() const { return _access; }
    std::uint64_t contentSeed() const { return _contentSeed; }
    const std::vector<std::size_t>& members() const { return _members; }    ///< indexes into UserDirectory::users()
    std::size_t loneSurrogateIndex() const { return _loneSurrogateIndex; }  ///< SIZE_MAX when none
    std::size_t bigTextIndex() const { return _bigTextIndex; }              ///< SIZE_MAX when none
    std::int64_t createdAt() const { return _createdAt; }

    std::size_t size() const { return _entries.size(); }
    const Entry& entry(std::size_t index) const { return _entries[index]; }
    const SimMessage& custom(std::uint32_t index) const { return _customs.at(index); }
    std::int64_t lastTimestamp() const { return _entries.empty() ? _createdAt : _entries.back().timestamp; }

    /// "mid:<chat>.<hex seq>" of the message at `index`.
    std::string midOf(std::size_t index) const;
    /// The index of the message `mid`, nullopt if the chat has none.
    std::optional<std::size_t> indexOf(const std::string& mid) const;

    /// Its edits and deletions since generation.
    ChatChanges& changes() { return _changes; }
    const ChatChanges& changes() const { return _changes; }

    /// The index range [first, last) of messages within the bounds (inclusive: from >= ts >= to; exclusive: from > ts >
    /// to).
    std::pair<std::size_t, std::size_t> range(std::int64_t from, std::int64_t to, bool inclusive) const;

    /// Appends a message at max(nowMs, last + 1); returns its index.
    std::size_t appendOrdinary(std::int64_t nowMs);

    /// Appends a POSTed message at max(nowMs, last + 1); returns its index.
    std::size_t appendCustom(SimMessage content, std::int64_t nowMs);

private:
    std::int64_t nextTimestamp(std::int64_t nowMs) const;
    /// The first chat has every user; the others a deterministic subset (step 7 is coprime with 30).
    void chooseMembers(Rng& rng, std::size_t chatIndex, std::size_t userCount);
    /// Fills _entries: `ordinary` messages in natural groups, and one group of exactly N per entry of `clusters`
    /// spread evenly among them.
    void generateTimeline(Rng& rng, std::size_t ordinary, const std::vector<std::size_t>& clusters,
                          std::int64_t meanGap, std::int64_t start);

    std::string _chatId;
    std::string _midPrefix;
    std::string _title;
    ChatSpec::Access _access;
    std::uint64_t _contentSeed;
    std::vector<std::size_t> _members;
    std::size_t _loneSurrogateIndex = SIZE_MAX;
    std::size_t _bigTextIndex = SIZE_MAX;
    std::int64_t _createdAt = 0;
    std::vector<Entry> _entries;
    std::vector<SimMessage> _customs;
    std::uint64_t _appendCounter = 0;
    ChatChanges _changes;
};

}  // namespace okarchive::sim
