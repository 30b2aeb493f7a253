#include "exporters/TxtExporter.h"

#include <algorithm>

#include "domain/CivilDate.h"
#include "domain/Json.h"
#include "domain/Utf8.h"
#include "exporters/ExportJob.h"
#include "exporters/ExportMedia.h"
#include "exporters/HtmlAttachment.h"
#include "exporters/SafeUrl.h"

namespace okarchive {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kIndent = "    ";

struct Words {
    std::string_view replyTo, replyToMissing, reply, someone;
    std::string_view someonesMessage;  ///< after replyTo, for a sender without a name (Russian: genitive)
    std::string_view edited, deleted;  ///< the markers of what the archive observed
};

const Words& words(Locale locale) {
    static const Words en{"reply to ", "reply to a message not in the archive", "reply", "someone", "someone",
                          " (edited)", " (deleted)"};
    static const Words ru{"ответ на сообщение ", "ответ на сообщение, которого нет в архиве", "ответ", "кто-то",
                          "кого-то", " (изменено)", " (удалено)"};
    return locale == Locale::Russian ? ru : en;
}

/// Whether text[i] starts a bidirectional embedding, override or isolate (U+202A..U+202E, U+2066..U+2069), which
/// would reorder the rest of the line: a name could make its message read as someone else's.
bool isBidiControl(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    if (byte(0) != 0xE2) return false;
    return (byte(1) == 0x80 && byte(2) >= 0xAA && byte(2) <= 0xAE) ||
           (byte(1) == 0x81 && byte(2) >= 0xA6 && byte(2) <= 0xA9);
}

/// Whether text[i] starts U+2028 LINE or U+2029 PARAGRAPH SEPARATOR, where Unicode-aware readers (Python's
/// splitlines, editors) end a line: kept, a text line could start a forged entry.
bool isLineSeparator(std::string_view text, std::size_t i) {
    return text.compare(i, 3, "\u2028") == 0 || text.compare(i, 3, "\u2029") == 0;
}

}  // namespace

void appendPlainText(std::string& out, std::string_view text, bool multiline) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            const std::size_t length = utf8SequenceLength(text, i);
            const bool c1 = length == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
            if (length == 3 && isLineSeparator(text, i))
                out += multiline ? '\n' : ' ';
            else if (length && !c1 && !(length == 3 && isBidiControl(text, i)))
                out.append(text.substr(i, length));
            else
                out += kReplacement;
            i += length ? length : std::max<std::size_t>(1, storedSurrogateLength(text, i));  // a surrogate: one U+FFFD
            continue;
        }
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            ++i;  // CRLF is a line break
            continue;
        }
        if (c == '\n' || c == '\t')
            out += multiline ? static_cast<char>(c) : ' ';
        else if (c < 0x20 || c == 0x7F)
            out += kReplacement;
        else
            out += static_cast<char>(c);
        ++i;
    }
}

TxtExporter::TxtExporter(std::ostream& out, const TxtOptions& options, const ExportPart* part)
    : _out(out), _options(options), _part(part) {}

const TimeZone& TxtExporter::zone() const {
    static const TimeZone utc = TimeZone::utc();
    return _options.timeZone ? *_options.timeZone : utc;
}

void TxtExporter::flush() {
    _out.write(_buffer.data(), static_cast<std::streamsize>(_buffer.size()));
    _buffer.clear();
}

void TxtExporter::begin() {
    appendPlainText(_buffer, _options.chatTitle.empty() ? _options.chatId : _options.chatTitle, false);
    _buffer += '\n';
    flush();
}

void TxtExporter::writeDay(std::int64_t timestamp) {
    const std::int64_t day = zone().localDayNumber(timestamp);
    if (_anyDay && day == _day) return;
    _day = day;
    _anyDay = true;
    const CivilDate date = civilFromDays(day);
    _buffer += "\n--- ";
    _buffer += longDate(_options.locale, static_cast<unsigned>(weekdayFromDays(day)), date.year, date.month, date.day);
    _buffer += " ---\n";
}

void TxtExporter::write(const Message& m) {
    writeDay(m.timestamp);
    _buffer += '[';
    zone().appendLocalTime(_buffer, m.timestamp);
    _buffer += "] ";
    if (m.service) {
        _buffer += "* ";
        appendPlainText(_buffer, plainSentence(serviceSentence(m, _options.locale, _options.userName)), false);
        _buffer += '\n';
    } else {
        const std::string_view name = !m.senderName.empty() ? std::string_view(m.senderName)
                                      : !m.senderId.empty() ? std::string_view(m.senderId)
                                                            : words(_options.locale).someone;
        appendPlainText(_buffer, name, false);
        writeReply(m);
        if (m.editedAtMs) _buffer += words(_options.locale).edited;
        if (m.deletedObservedAtMs) _buffer += words(_options.locale).deleted;
        _buffer += ':';
        writeBody(m);
    }
    flush();
}

void TxtExporter::writeReply(const Message& m) {
    if (!m.replyTo) return;
    const Words& w = words(_options.locale);
    _buffer += " (";
    if (!_options.replies) {
        _buffer += w.reply;
    } else if (const auto target = _options.replies->find(*m.replyTo)) {
        _buffer += w.replyTo;
        appendPlainText(_buffer, target->senderName.empty() ? w.someonesMessage : target->senderName, false);
        _buffer += ", ";
        zone().appendLocalDate(_buffer, target->timestamp);
        _buffer += ' ';
        zone().appendLocalTime(_buffer, target->timestamp);
    } else {
        _buffer += w.replyToMissing;
    }
    _buffer += ')';
}

/// The text's lines and then one tag per attachment: the first after the header line, the others indented.
void TxtExporter::writeBody(const Message& m) {
    _scratch.clear();
    if (m.text) appendPlainText(_scratch, *m.text, true);
    bool first = true;
    const auto startLine = [&] {
        _buffer += first ? " " : "\n" + std::string(kIndent);
        first = false;
    };
    if (!_scratch.empty()) {
        for (std::size_t start = 0;;) {
            const std::size_t end = _scratch.find('\n', start);
            startLine();
            _buffer.append(_scratch, start, end == std::string::npos ? std::string::npos : end - start);
            if (end == std::string::npos) break;
            start = end + 1;
        }
    }
    for (std::size_t i = 0; i < m.attachments.size(); ++i) {
        startLine();
        appendAttachmentTag(m, i);
    }
    _buffer += '\n';
}

/// "[Photo: https://...]": the type's name, then the payload's "name" and http(s) "url" or a location's coordinates;
/// with --media=copy the saved file's path or why there is none instead of the url, with --media=none no url.
void TxtExporter::appendAttachmentTag(const Message& m, std::size_t position) {
    const Attachment& a = m.attachments[position];
    _buffer += '[';
    appendPlainText(_buffer, attachmentTypeName(_options.locale, a.type), false);
    std::optional<JsonDocument> payload;
    try {
        payload = JsonDocument::parse(a.payloadJson.empty() ? "null" : a.payloadJson);
    } catch (const JsonParseError&) {}
    const JsonValue* root = payload ? &payload->root() : nullptr;
    const char* separator = ": ";
    const auto detail = [&](std::string_view text) {
        _buffer += separator;
        appendPlainText(_buffer, text, false);
        separator = " ";
    };
    if (const std::string* name = jsonStringField(root, "name")) detail(*name);
    const JsonValue* latitude = root ? root->find("latitude") : nullptr;
    const JsonValue* longitude = root ? root->find("longitude") : nullptr;
    if (latitude && longitude && latitude->isNumber() && longitude->isNumber())
        detail(std::string(latitude->raw()) + "," + std::string(longitude->raw()));
    const MediaView media =
        a.media ? (_part ? exportMediaView(*_part, m, position) : storeMediaView(MediaExportMode::Link, m, position))
                : MediaView{};
    if (media.mode == MediaExportMode::Copy && media.media)
        detail(media.copied() ? media.path : mediaMissingText(_options.locale, media));
    else if (const std::string* url = jsonStringField(root, "url");
             url && !(media.media && media.mode == MediaExportMode::None))
        if (const auto safe = safeHttpUrl(*url)) detail(*safe);
    _buffer += ']';
}

}  // namespace okarchive

namespace okarchive {
namespace {

class TxtSession : public FormatSession {
public:
    explicit TxtSession(const ExportRequest& r)
        : _options{r.chatTitle, r.chatId, &r.timeZone, r.locale, r.replies, r.userName} {}
    std::unique_ptr<Exporter> openPart(std::ostream& out, const ExportPart& part) override {
        return std::make_unique<TxtExporter>(out, _options, &part);
    }

private:
    const TxtOptions _options;
};

class TxtFormat : public ExportFormat {
public:
    TxtFormat() : ExportFormat("txt", "txt") {}

protected:
    std::unique_ptr<FormatSession> openSession(const ExportRequest& request) const override {
        return std::make_unique<TxtSession>(request);
    }
};

}  // namespace

const ExportFormat& txtExportFormat() {
    static const TxtFormat format;
    return format;
}

}  // namespace okarchive
