#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "api/ChatDirectory.h"
#include "api/GraphClient.h"
#include "app/Commands.h"
#include "app/Settings.h"
#include "domain/InertText.h"
#include "store/Archive.h"

namespace okarchive {

namespace {

int runChats(CommandContext& ctx) {
    Settings settings(ctx.config);
    const auto api = settings.api();
    GraphClient client(api, std::make_shared<RateLimiter>(settings.requestsPerSecond()));
    const auto chats = ChatDirectory(client).listChats();

    // What the archive holds, if there is one (listing chats never creates an archive).
    std::map<std::string, ChatStatus> archived;
    const auto path = settings.databasePath();
    if (std::filesystem::exists(path)) {
        const auto opened = openArchive(path);
        Archive& archive = *opened;
        for (const auto& chat : chats) archive.upsertChat(chat);
        for (auto& s : archive.chatStatuses()) archived.emplace(s.chatId, std::move(s));
    }
    ctx.out << fmt::format("{:<24} {:<8} {:<10} {:>10}  {}\n", "CHAT", "TYPE", "STATUS", "ARCHIVED", "TITLE");
    for (const auto& chat : chats) {
        const auto it = archived.find(chat.chatId);
        const auto held = it == archived.end() ? std::string("-") : std::to_string(it->second.messages);
        ctx.out << fmt::format("{:<24} {:<8} {:<10} {:>10}  {}\n", inertText(chat.chatId), inertText(chat.type),
                               inertText(chat.status), held, inertText(chat.title));
    }
    ctx.out << fmt::format("{} chats\n", chats.size());
    return ExitOk;
}

}  // namespace

const CommandSpec& chatsCommand() {
    static const CommandSpec spec{"chats", "", "list the bot's chats and what the archive holds of each", {}, runChats};
    return spec;
}

}  // namespace okarchive
