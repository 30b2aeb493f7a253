#include "app/ChatOutputs.h"

#include <filesystem>

#include "domain/Errors.h"

namespace okarchive {

std::string outputForChat(const std::string& output, const std::string& chatId, bool severalChats) {
    if (!severalChats) return output;
    const std::filesystem::path path(output);
    const auto id = chatId.substr(chatId.find(':') + 1);
    return (path.parent_path() / (path.stem().string() + "." + id + path.extension().string())).string();
}

void requireOutputPerChat(const std::string& output, std::size_t chats) {
    if (chats > 1 && output == "-") throw UsageError("several chats cannot share standard output: give --output=PATH");
}

}  // namespace okarchive
