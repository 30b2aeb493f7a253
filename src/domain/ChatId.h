#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace okarchive {

/// The longest id after "chat:" okarchive accepts (real ones are 13 characters: chat:C3ecb9d02a600).
inline constexpr std::size_t kMaxChatIdLength = 128;

/// okarchive's grammar of a chat id, checked wherever one enters (the /me/chats answer, --chat, sync.chats,
/// summary.chats, per-chat setting keys): "chat:" then 1 to kMaxChatIdLength of [A-Za-z0-9_-].
bool isChatId(std::string_view id);

/// What an error message says an id should look like.
inline constexpr std::string_view kChatIdGrammar =
    "chat: then 1 to 128 letters, digits, '_' or '-', e.g. chat:C3ecb9d02a600";

/// `id` as a message may show it, however hostile: inert (inertText) and cut after 60 characters.
std::string shownChatId(std::string_view id);

}  // namespace okarchive
