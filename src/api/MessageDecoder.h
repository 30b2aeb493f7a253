#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/Json.h"
#include "domain/ChatInfo.h"
#include "domain/Message.h"

namespace okarchive {

/// Decodes a history page {"messages":[...]} (newest first, as sent). `chatId` fills Message::chatId when the
/// message has no recipient.chat_id. Throws JsonParseError naming the field when a message lacks mid/seq/timestamp.
std::vector<Message> decodeMessagePage(const JsonValue& root, const std::string& chatId);

/// Decodes one message object (see the API notes). seq is exact int64.
Message decodeMessage(const JsonValue& object, const std::string& chatId);

/// If `text` is a service message ({"ui":...,"ty":"..."}), its event; otherwise nothing.
std::optional<ServiceEvent> decodeServiceText(std::string_view text);

/// Decodes one chat object from /me/chats or /me/chat/chat:ID.
ChatInfo decodeChat(const JsonValue& object);

}  // namespace okarchive
