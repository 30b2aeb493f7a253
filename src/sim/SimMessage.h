#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/JsonEscape.h"

namespace okarchive::sim {

/// One attachment as the sim sends it: its type and its payload's exact wire JSON text.
struct SimAttachment {
    std::string type;
    std::optional<std::string> payloadJson;  ///< wire text of the payload; nullopt = no "payload" key at all
};

/// One message fully materialised: the decoded content (the ground truth) plus how it is dressed on the wire.
struct SimMessage {
    std::string chatId;
    std::string mid;
    std::int64_t seq = 0;
    std::int64_t timestamp = 0;
    std::string senderId;
    std::string senderName;
    std::optional<std::string> text;                        ///< decoded text; nullopt = no "text" key
    std::optional<SimAttachment> attachment;                ///< the single "attachment" member
    std::optional<std::vector<SimAttachment>> attachments;  ///< the "attachments" array (may be empty)
    std::optional<std::string> replyTo;                     ///< mid of the replied message
    bool service = false;                                   ///< text is a service event
    std::string serviceType;                                ///< `ty`, verbatim
    std::optional<std::string> serviceUserId;               ///< "user:<ui>", nullopt without `ui`
    std::string extraMessageMembers;         ///< unknown members inside "message" (",\"k\":v..."), verbatim
    std::string extraTopMembers;             ///< unknown members of the top-level object, verbatim
    EscapeStyle style = EscapeStyle::Plain;  ///< how strings are escaped on the wire
    /// Non-empty: sent in a shape no client can decode (seq, float, empty-mid, null) and left out of the truth.
    std::string undecodable;
};

}  // namespace okarchive::sim
