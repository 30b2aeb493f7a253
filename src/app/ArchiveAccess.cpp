#include "app/ArchiveAccess.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "app/Settings.h"
#include "domain/InertText.h"
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
    ArchiveReplyResolver(MessageReader& archive, const MessageQuery& query) : _archive(archive), _query(query) {}

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
    MessageReader& _archive;
    const MessageQuery& _query;
};

}  // namespace

std::unique_ptr<Archive> openExistingArchive(const std::string& path, ArchiveMode mode) {
    if (!std::filesystem::exists(path))
        throw Error(fmt::format("archive {} does not exist: run okarchive sync first (or set archive.database)", path));
    return openArchive(path, Env::system(), mode);
}

void requireArchivedChat(Archive& archive, const std::string& chatId, const std::string& path) {
    const auto ids = archive.archivedChatIds();
    if (std::find(ids.begin(), ids.end(), chatId) == ids.end())
        throw Error(
            fmt::format("{} is not in the archive {}: run okarchive sync --chat={} first", chatId, path, chatId));
}

std::vector<std::string> resolveArchivedChats(Archive& archive, const std::vector<std::string>& requested,
                                              const std::string& path, std::ostream& err) {
    if (requested.size() == 1 && requested.front() == "all") {
        // A chat no sync ever finished is no archive of it (a mistyped id, a chat the token cannot read, a first
        // sync that failed half-way): `all` leaves it out. Named explicitly, it still exports what it holds.
        const auto neverSynced = archive.neverSyncedChatIds();
        for (const auto& id : neverSynced)
            err << fmt::format("okarchive: skipped {}: never synced successfully\n", inertText(snippet(id, 80)));
        auto chats = archive.archivedChatIds();
        std::erase_if(chats, [&](const std::string& id) {
            return std::binary_search(neverSynced.begin(), neverSynced.end(), id);
        });
        if (chats.empty())
            throw Error(
                fmt::format("the archive {} holds no chat synced successfully yet: run okarchive sync first", path));
        return chats;
    }
    for (const auto& chat : requested) {
        requireChatId(chat, "--chat");
        requireArchivedChat(archive, chat, path);
    }
    return requested;
}

ExportSummary exportFromArchive(Archive& archive, const MessageQuery& query, ExportRequest request, const Env& env) {
    // One snapshot: the count and the messages come from the same moment even while a sync writes.
    const auto snapshot = archive.snapshot();
    request.chatId = query.chatId;
    if (const auto info = snapshot->chatInfo(query.chatId)) {
        request.chatTitle = info->title;
        request.chatType = info->type;
    }
    request.totalMessages = static_cast<std::uint64_t>(snapshot->countMessages(query));
    request.openCursor = [&] { return snapshot->openCursor(query); };
    ArchiveReplyResolver replies(*snapshot, query);
    request.replies = &replies;
    std::map<std::string, std::optional<std::string>> names;  // a chat has few members: cache every lookup
    request.userName = [&](const std::string& userId) {
        auto it = names.find(userId);
        if (it == names.end()) it = names.emplace(userId, snapshot->latestSenderName(userId)).first;
        return it->second;
    };
    if (!request.exportedAtMs) request.exportedAtMs = env.wallMs();
    return runExport(request);  // the snapshot ends when this returns
}

}  // namespace okarchive
