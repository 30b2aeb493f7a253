#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/Json.h"
#include "domain/ChatInfo.h"
#include "domain/Message.h"

namespace okarchive {

/// Decodes a history page {"messages":[...]} of `chatId` (newest first, as sent). A message that cannot be decoded
/// (no mid, seq or timestamp, none exact, a timestamp outside the years 2000..9999, not an object, a recipient.chat_id
/// other than `chatId`) comes back whole with Message::undecodable saying why, for
/// the quarantine. Throws JsonParseError only when the page itself is unusable.
std::vector<Message> decodeMessagePage(const JsonValue& root, const std::string& chatId);

/// Decodes one message object (see the API notes). seq is exact int64. Throws JsonParseError naming the field when
/// the message lacks mid/seq/timestamp or one is not exact, or the timestamp lies outside the years 2000..9999.
Message decodeMessage(const JsonValue& object, const std::string& chatId);

/// If `text` is a service message ({"ui":...,"ty":"..."}), its event; otherwise nothing.
std::optional<ServiceEvent> decodeServiceText(std::string_view text);

/// Decodes one chat object from /me/chats or /me/chat/chat:ID.
ChatInfo decodeChat(const JsonValue& object);

}  // namespace okarchive
