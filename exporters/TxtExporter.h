#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "domain/Locale.h"
#include "domain/TimeZone.h"
#include "exporters/Exporter.h"
#include "exporters/ReplyResolver.h"
#include "exporters/ServiceSentence.h"

namespace okarchive {

/// What a transcript shows besides the messages, in which language and time zone.
struct TxtOptions {
    std::string chatTitle;  ///< the first line (the chat id if empty)
    std::string chatId;
    const TimeZone* timeZone = nullptr;  ///< for times and date headers; UTC if null
    Locale locale = Locale::English;
    ReplyResolver* replies = nullptr;  ///< names the replied message's sender and time; without it "(reply)"
    UserNameLookup userName;           ///< for service sentences about someone other than the sender
};

struct ExportPart;

/// A plain-text transcript people read and grep: the chat's title, then per local day a header
/// "--- Tuesday, 27 June 2017 ---" (longDate in the locale) after a blank line, then one entry per message:
/// "[HH:MM] Name: text" (a reply: "[HH:MM] Name (reply to Olga, 2017-06-27 19:34): text"), further text lines and
/// attachment tags ("[Photo: https://...]", the type's name in the locale, the payload's file name and http(s) link)
/// indented by four spaces under it; with --media=copy an attachment's saved file replaces its link
/// ("[Photo: 2017-06/..._0.png]", the path relative to the transcript) and one without a file says why
/// ("[Photo: not saved: expired]"); with --media=none no link is shown; a service event as "[HH:MM] * Olga left the
/// chat" (ServiceSentence). Nothing a terminal obeys gets through: NUL, invalid UTF-8, every control character but
/// newline and tab (C0, DEL, C1; a CR before LF is dropped) and the bidirectional embeddings, overrides and isolates
/// (U+202A..E, U+2066..9, which would reorder the rest of a line) become U+FFFD; the line and paragraph separators
/// (U+2028, U+2029) are line breaks like newline; in one-line places (names, titles, links) newline, tab and those
/// separators are spaces.
class TxtExporter : public Exporter {
public:
    /// `part` (optional) places the media of --media=copy.
    TxtExporter(std::ostream& out, const TxtOptions& options, const ExportPart* part = nullptr);
    void begin() override;
    void write(const Message& message) override;

private:
    const TimeZone& zone() const;
    void writeDay(std::int64_t timestamp);
    void writeReply(const Message& m);
    void writeBody(const Message& m);
    void appendAttachmentTag(const Message& m, std::size_t position);
    void flush();

    std::ostream& _out;
    const TxtOptions& _options;
    const ExportPart* _part;
    std::string _buffer;   // reused per message; flushed after each
    std::string _scratch;  // the text of the current message, made plain
    std::int64_t _day = 0;
    bool _anyDay = false;
};

/// Appends `text` made inert for a terminal as TxtExporter says; `multiline` keeps newline and tab.
void appendPlainText(std::string& out, std::string_view text, bool multiline);

}  // namespace okarchive
