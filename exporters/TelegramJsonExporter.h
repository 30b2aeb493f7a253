#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/JsonWriter.h"
#include "domain/TimeZone.h"
#include "exporters/ExportPart.h"
#include "exporters/Exporter.h"
#include "exporters/ReplyResolver.h"

namespace okarchive {

/// Telegram Desktop's phrase for a file it did not download, written where a file path would go.
inline constexpr std::string_view kTelegramFileNotIncluded =
    "(File not included. Change data exporting settings to download.)";

/// The number of an OK chat id in result.json's "id": the part after "chat:" read as hexadecimal when it is 1 to 13
/// hex digits (chat:C3ecb9d02a600 -> 3446743954007552, below 2^53 so JavaScript reads it exactly), else a stable
/// 53-bit FNV-1a hash of the whole id.
std::int64_t telegramChatNumber(std::string_view chatId);
/// result.json's "type" for an OK chat type: DIALOG -> personal_chat, CHANNEL -> private_channel, else private_group.
std::string_view telegramChatType(std::string_view okType);
/// Telegram's peer reference for an OK user id: "user:123" -> "user123" (the first ':' dropped).
std::string telegramPeerId(std::string_view okUserId);

/// Numbers the messages of one export 1, 2, 3... in the export's (timestamp, seq) order, across parts, and keeps
/// each numbered message's (timestamp, seq) (16 bytes a message) so a reply finds the number of its target.
class TelegramMessageIds {
public:
    std::uint64_t number(const Message& message);  ///< the next number, remembered for `message`
    /// The number given to the message at (timestamp, seq), if it was numbered already.
    std::optional<std::uint64_t> find(std::int64_t timestamp, std::int64_t seq) const;

private:
    std::vector<std::pair<std::int64_t, std::int64_t>> _keys;  // ascending: the cursor's order
};

/// What result.json says besides the messages, and how it names people and replies.
struct TelegramJsonOptions {
    std::string chatName;
    std::string chatType;                ///< OK's (CHAT); mapped by telegramChatType
    std::string chatId;                  ///< OK's "chat:..."; numbered by telegramChatNumber
    const TimeZone* timeZone = nullptr;  ///< for "date" (local, without offset, as Telegram writes it); UTC if null
    ReplyResolver* replies = nullptr;    ///< without it no reply_to_message_id is written
    /// Optional: a user's name for the members of a service event about someone other than its sender.
    std::function<std::optional<std::string>(const std::string& userId)> userName;
};

/// The result.json Telegram Desktop writes for one chat ("Export chat history", JSON):
/// {"name","type","id","messages":[one object per line]}, each message with id, type (message|service), date,
/// date_unixtime (a string), from/from_id or actor/actor_id/action (invite_members, remove_members,
/// join_group_by_link, edit_group_title, edit_group_photo; an unknown OK kind keeps its name as the action),
/// reply_to_message_id, media as file references (photo, file, media_type, file_name, contact_information,
/// location_information) and text/text_entities (plain and link). The mapping is documented in docs/formats.md.
class TelegramJsonExporter : public Exporter {
public:
    /// `part` (optional) places the media of --media=copy: "photo"/"file" then hold the copy's path.
    TelegramJsonExporter(std::ostream& out, const TelegramJsonOptions& options, TelegramMessageIds& ids,
                         const ExportPart* part = nullptr);
    void begin() override;
    void write(const Message& message) override;
    void end() override;

private:
    void flush();
    void writeStart(const Message& m, bool service);
    void writeService(const Message& m);
    void writeMembers(const Message& m);
    void writeReply(const Message& m);
    void writeMedia(const Message& m);
    void writeText(std::string_view text);

    std::ostream& _out;
    const TelegramJsonOptions& _options;
    TelegramMessageIds& _ids;
    const ExportPart* _part;
    std::string _buffer;  // reused per message; flushed after each
    JsonWriter _json{_buffer};
    std::string _text;  // reused: the text with shared links
    bool _any = false;
};

}  // namespace okarchive
