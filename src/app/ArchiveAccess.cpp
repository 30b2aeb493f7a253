#include "app/ArchiveAccess.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>

#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

#include "app/Settings.h"
#include "domain/Errors.h"

namespace okarchive {
namespace {

/// At most `limit` bytes of `text`, cut at a UTF-8 character boundary, with an ellipsis when cut.
std::string snippet(const std::string& text, std::size_t limit) {
    if (text.size() <= limit) return text;
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + "…";
}

/// Replies looked up in the archive, marked as outside the export when the filter leaves them out.
class ArchiveReplyResolver : public ReplyResolver {
public:
    ArchiveReplyResolver(Archive& archive, const MessageQuery& query) : _archive(archive), _query(query) {}

    std::optional<ReplyTarget> find(const std::string& mid) override {
        auto message = _archive.findMessage(_query.chatId, mid);
        if (!message) return std::nullopt;
        ReplyTarget target;
        target.mid = message->mid;
        target.timestamp = message->timestamp;
        target.seq = message->seq;
        target.senderName = message->senderName;
        target.textSnippet = message->service ? message->service->type : snippet(message->text.value_or(""), 120);
        target.inExport = matchesQuery(_query, *message);
        return target;
    }

private:
    Archive& _archive;
    const MessageQuery& _query;
};

}  // namespace

std::unique_ptr<Archive> openExistingArchive(const std::string& path) {
    if (!std::filesystem::exists(path))
        throw Error(fmt::format("archive {} does not exist: run okarchive sync first (or set archive.database)", path));
    return std::make_unique<Archive>(path);
}

void requireArchivedChat(Archive& archive, const std::string& chatId, const std::string& path) {
    const auto ids = archive.archivedChatIds();
    if (std::find(ids.begin(), ids.end(), chatId) == ids.end())
        throw Error(
            fmt::format("{} is not in the archive {}: run okarchive sync --chat={} first", chatId, path, chatId));
}

std::vector<std::string> resolveArchivedChats(Archive& archive, const std::vector<std::string>& requested,
                                              const std::string& path) {
    if (requested.size() == 1 && requested.front() == "all") {
        auto chats = archive.archivedChatIds();
        if (chats.empty())
            throw Error(fmt::format("the archive {} holds no chats yet: run okarchive sync first", path));
        return chats;
    }
    for (const auto& chat : requested) {
        requireChatId(chat, "--chat");
        requireArchivedChat(archive, chat, path);
    }
    return requested;
}

ExportSummary exportFromArchive(Archive& archive, const MessageQuery& query, ExportRequest request) {
    // One read transaction: the count and the messages come from the same snapshot even while a sync writes.
    SQLite::Transaction snapshot(archive.database());
    request.chatId = query.chatId;
    if (const auto info = archive.chatInfo(query.chatId)) {
        request.chatTitle = info->title;
        request.chatType = info->type;
    }
    request.totalMessages = static_cast<std::uint64_t>(archive.countMessages(query));
    request.openCursor = [&] { return archive.openCursor(query); };
    ArchiveReplyResolver replies(archive, query);
    request.replies = &replies;
    std::map<std::string, std::optional<std::string>> names;  // a chat has few members: cache every lookup
    request.userName = [&](const std::string& userId) {
        auto it = names.find(userId);
        if (it == names.end()) it = names.emplace(userId, archive.latestSenderName(userId)).first;
        return it->second;
    };
    if (!request.exportedAtMs)
        request.exportedAtMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
    return runExport(request);  // the snapshot ends (rolled back: nothing was written) when this returns
}

}  // namespace okarchive
