#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "domain/Locale.h"
#include "domain/TimeZone.h"
#include "exporters/ExportPart.h"
#include "exporters/Exporter.h"
#include "exporters/ReplyResolver.h"

namespace okarchive {

struct HtmlWords;

/// HTML's part size when no --partition was given (a single file when the total fits).
constexpr std::uint64_t kDefaultHtmlMessagesPerPart = 5000;

/// What the HTML pages show besides the messages.
struct HtmlOptions {
    const TimeZone* timeZone = nullptr;  ///< for times and day separators; UTC if null
    std::string chatId;
    std::string chatTitle;
    std::int64_t exportedAtMs = 0;
    ReplyResolver* replies = nullptr;  ///< quotes and links replies; without it replies show the target mid only
    /// Optional: a user's current name for service events about someone other than the sender ("Ivan added Olga").
    std::function<std::optional<std::string>(const std::string& userId)> userName;
    Locale locale = Locale::English;  ///< the language of the page (its UI strings, dates, sentences)
};

/// (timestamp, seq) of the first message of every part written so far: all an export keeps to link a reply to the
/// part holding its target (a reply's target precedes it, so its part is already known).
using HtmlPartStarts = std::vector<std::pair<std::int64_t, std::int64_t>>;

/// One self-contained HTML page per part that makes no request when opened: inline CSS (light and dark), a
/// Content-Security-Policy that forbids scripts and every load but inline style, day separators, consecutive
/// messages of a sender grouped, service events as sentences (ServiceSentence), every attachment as a card with a
/// link (never an embedded remote image or media; with --media=copy the exported files beside the page inline, the
/// CSP then allowing images and media from 'self' only: HtmlAttachment.h), http(s) URLs in texts as links, replies
/// quoted with a link to their target (in another part too), previous/next links; every word in the options' locale.
/// Every element of a message carries id = its mid. All text is escaped and only http(s) URLs that pass safeHttpUrl()
/// become href. Output is built in a reused buffer and written in big chunks.
class HtmlExporter : public Exporter {
public:
    HtmlExporter(std::ostream& out, const HtmlOptions& options, const ExportPart& part, HtmlPartStarts& partStarts);
    void begin() override;
    void write(const Message& message) override;
    void end() override;
    std::uint64_t pendingBytes() const override { return _buf.size(); }

    static const std::string& styleSheet();  ///< the embedded CSS (exporters/html/style.css)

private:
    void flushIfBig();
    void closeGroup();
    void writeDay(std::int64_t timestamp);
    void writeTimeLink(const Message& m);
    void writeHistory(const Message& m);
    void writeVersion(const MessageVersion& version);
    void appendObservedTime(std::int64_t ms);
    void writeService(const Message& m);
    void noteMessage(const Message& m);
    void openGroupFor(const Message& m);
    void writeReply(const Message& m);
    void writeMissingReply(const Message& m);
    std::string replyHref(const ReplyTarget& target) const;
    void writeAttachment(const Message& m, std::size_t position);
    bool copiesMedia() const;  ///< --media=copy: the page shows files from beside it
    void writeNav();
    void appendName(std::string_view name, std::string_view fallback);
    const HtmlWords& words() const;

    std::ostream& _out;
    const HtmlOptions& _options;
    const TimeZone& _zone;
    const ExportPart& _part;
    HtmlPartStarts& _partStarts;
    std::string _buf;
    bool _groupOpen = false;
    std::string _groupSenderId;
    std::string _groupSenderName;
    std::int64_t _day = 0;
    bool _haveDay = false;
    std::uint64_t _count = 0;
    std::int64_t _firstTimestamp = 0;
    std::int64_t _lastTimestamp = 0;
};

}  // namespace okarchive
