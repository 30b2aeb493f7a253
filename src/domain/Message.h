#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/Media.h"

namespace okarchive {

/// One attachment as received: its type (open set; unknown types are kept) and its payload JSON, verbatim.
struct Attachment {
    Attachment() = default;
    Attachment(std::string type_, std::string payloadJson_)
        : type(std::move(type_)), payloadJson(std::move(payloadJson_)) {}
    Attachment(std::string type_, std::string payloadJson_, AttachmentMedia media_)
        : type(std::move(type_)), payloadJson(std::move(payloadJson_)), media(std::move(media_)) {}

    std::string type;
    std::string payloadJson;  ///< the payload's JSON text exactly as received ("null" if absent)
    /// Where its media stands in the media ledger, filled by readers (cursors, findMessage) for attachments with
    /// media (mediaSource); empty otherwise and on the write path (commitPage ignores it).
    std::optional<AttachmentMedia> media;
    bool operator==(const Attachment&) const = default;
};

/// A service message decoded from a text such as {"ui":1234567890123,"ty":"EXIT"}.
struct ServiceEvent {
    std::string type;                   ///< `ty` verbatim (EXIT, or any unknown kind)
    std::optional<std::string> userId;  ///< "user:<ui>", absent if the text had no `ui`
    bool operator==(const ServiceEvent&) const = default;
};

enum class MessageKind { Message, Service };

/// An earlier version of an archived message (issue 13), as readers return it: what it said before the change the
/// archive observed at `replacedAtMs`.
struct MessageVersion {
    std::int64_t replacedAtMs = 0;        ///< wall ms when the archive observed the newer version replacing it
    std::optional<std::string> text;      ///< the version's text (absent if it had none)
    std::vector<Attachment> attachments;  ///< the version's attachments, in order (media not filled)
    std::string rawJson;                  ///< the version's message object, verbatim
    bool operator==(const MessageVersion&) const = default;
};

/// A chat message, decoded. `rawJson` keeps the whole object as received so nothing is ever lost.
struct Message {
    std::string chatId;  ///< "chat:..."
    std::string mid;     ///< "mid:..."
    std::int64_t seq = 0;
    std::int64_t timestamp = 0;  ///< ms since epoch, as received
    std::string senderId;        ///< "user:..." (may be empty if the API sent none)
    std::string senderName;
    std::optional<std::string> text;      ///< exactly as received (decoded JSON string); absent if none
    std::vector<Attachment> attachments;  ///< `attachment` first, then `attachments[]`, in order
    std::optional<std::string> replyTo;   ///< mid of the replied message
    std::optional<ServiceEvent> service;  ///< set for service messages
    std::string rawJson;                  ///< the message object, verbatim
    /// Set (to why) when the object could not be decoded: it is archived apart, verbatim (quarantine), and only
    /// chatId, rawJson and, when hasTimestamp, timestamp (and mid, if any) mean anything.
    std::optional<std::string> undecodable;
    bool hasTimestamp = true;  ///< false: an undecodable object without a usable timestamp (proves no coverage)
    /// Write side: the API itself flagged the message deleted (`"deleted": true` in the top-level object or in
    /// "message", as include_deleted=true answers carry it; MessageDecoder). commitPage marks it deleted.
    bool flaggedDeleted = false;

    /// Read side (issue 13), filled by readers (cursors, findMessage); commitPage ignores them.
    std::optional<std::int64_t> editedAtMs;           ///< wall ms of the last observed change (null: never changed)
    std::optional<std::int64_t> deletedObservedAtMs;  ///< wall ms its deletion was observed (null: not deleted)
    std::vector<MessageVersion> revisions;            ///< earlier versions, oldest first (empty: never changed)

    MessageKind kind() const { return service ? MessageKind::Service : MessageKind::Message; }
    bool operator==(const Message&) const = default;
};

}  // namespace okarchive
