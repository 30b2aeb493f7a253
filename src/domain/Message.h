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

    MessageKind kind() const { return service ? MessageKind::Service : MessageKind::Message; }
    bool operator==(const Message&) const = default;
};

}  // namespace okarchive
