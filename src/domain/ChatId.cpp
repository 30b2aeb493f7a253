#include "domain/ChatId.h"

#include <algorithm>

#include "domain/InertText.h"

namespace okarchive {

bool isChatId(std::string_view id) {
    constexpr std::string_view prefix = "chat:";
    if (id.substr(0, prefix.size()) != prefix) return false;
    const std::string_view rest = id.substr(prefix.size());
    const auto allowed = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    };
    return !rest.empty() && rest.size() <= kMaxChatIdLength && std::all_of(rest.begin(), rest.end(), allowed);
}

std::string shownChatId(std::string_view id) { return inertText(id, 60); }

}  // namespace okarchive
