#include "exporters/CsvExporter.h"

#include <charconv>
#include <cstring>

#include "domain/Json.h"
#include "domain/Utf8.h"
#include "exporters/ExportJob.h"
#include "exporters/ExportMedia.h"

namespace okarchive {
namespace {

bool needsQuotes(std::string_view cell) {
    if (cell.empty()) return false;
    const char first = cell.front(), last = cell.back();
    if (first == ' ' || first == '\t' || last == ' ' || last == '\t') return true;
    for (char c : cell)
        if (c == '"' || c == ',' || c == '\r' || c == '\n') return true;
    return false;
}

bool isFormulaStart(char c) {
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\n';
}

void appendInt(std::string& out, std::int64_t value) {
    char buf[24];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, ptr);
}

/// The payload's top-level "url" string, if any (a cheap text check first: most payloads parse only if they may
/// have one).
bool appendPayloadUrl(std::string& out, const std::string& payloadJson) {
    if (payloadJson.find("\"url\"") == std::string::npos && payloadJson.find("\\u") == std::string::npos) return false;
    try {
        auto doc = JsonDocument::parse(payloadJson);
        const JsonValue* url = doc.root().find("url");
        if (!url || !url->isString() || url->asString().empty()) return false;
        out += url->asString();
        return true;
    } catch (const JsonParseError&) {
        return false;  // a malformed payload has no url to show; the NDJSON/JSON exports keep it verbatim
    }
}

}  // namespace

CsvExporter::CsvExporter(std::ostream& out, const CsvOptions& options, const ExportPart* part)
    : _out(out), _options(options), _part(part) {}

const char* CsvExporter::header() {
    return "chat_id,mid,seq,timestamp,time,sender_id,sender_name,kind,service_type,service_user_id,text,"
           "attachment_types,attachment_urls,reply_to,media_paths,edited_at,revision_count,deleted_observed_at";
}

void CsvExporter::begin() {
    _row.clear();
    if (_options.excel) _row += "\xEF\xBB\xBF";
    _row += header();
    _row += "\r\n";
    _out.write(_row.data(), static_cast<std::streamsize>(_row.size()));
}

void CsvExporter::appendCell(std::string_view cell, bool guard) {
    if (!isValidText(cell)) {  // NUL, a lone surrogate, invalid UTF-8: U+FFFD, so every reader takes the file
        _valid.clear();
        appendValidText(_valid, cell);
        cell = _valid;
    }
    const bool prefix = guard && !_options.rawCsv && !cell.empty() && isFormulaStart(cell.front());
    if (!needsQuotes(cell)) {
        if (prefix) _row += '\'';
        _row += cell;
        return;
    }
    _row += '"';
    if (prefix) _row += '\'';
    for (std::size_t start = 0;;) {
        const std::size_t quote = cell.find('"', start);
        if (quote == std::string_view::npos) {
            _row.append(cell.substr(start));
            break;
        }
        _row.append(cell.substr(start, quote + 1 - start));
        _row += '"';
        start = quote + 1;
    }
    _row += '"';
}

void CsvExporter::appendRawCell(std::string_view cell) { _row += cell; }

void CsvExporter::appendAttachmentCells(const Message& m) {
    _scratch.clear();
    for (const auto& a : m.attachments) {
        if (!_scratch.empty()) _scratch += ' ';
        _scratch += a.type;
    }
    appendCell(_scratch);
    _row += ',';
    _scratch.clear();
    for (const auto& a : m.attachments) {
        const std::size_t before = _scratch.size();
        if (before) _scratch += ' ';
        if (!appendPayloadUrl(_scratch, a.payloadJson)) _scratch.resize(before);
    }
    appendCell(_scratch);
}

void CsvExporter::appendMediaCell(const Message& m) {
    _scratch.clear();
    bool any = false;
    for (std::size_t i = 0; i < m.attachments.size(); ++i) {
        if (i) _scratch += '|';
        if (!m.attachments[i].media) continue;
        const MediaView view = _part ? exportMediaView(*_part, m, i) : storeMediaView(MediaExportMode::Link, m, i);
        _scratch += view.path;
        any = any || !view.path.empty();
    }
    if (any) appendCell(_scratch);
}

/// When the archive observed a change, in the export's zone like `time`; empty when it never did.
void CsvExporter::appendObservedTime(const std::optional<std::int64_t>& ms, const TimeZone& zone) {
    if (!ms) return;
    _scratch.clear();
    zone.appendLocalIso(_scratch, *ms);
    appendCell(_scratch);
}

void CsvExporter::write(const Message& m) {
    static const TimeZone utc = TimeZone::utc();
    const TimeZone& zone = _options.timeZone ? *_options.timeZone : utc;
    _row.clear();
    appendCell(m.chatId);
    _row += ',';
    appendCell(m.mid);
    _row += ',';
    appendInt(_row, m.seq);
    _row += ',';
    appendInt(_row, m.timestamp);
    _row += ',';
    _scratch.clear();
    zone.appendLocalIso(_scratch, m.timestamp);
    appendCell(_scratch);
    _row += ',';
    appendCell(m.senderId);
    _row += ',';
    appendCell(m.senderName);
    _row += ',';
    appendRawCell(m.service ? "service" : "message");
    _row += ',';
    if (m.service) appendCell(m.service->type);
    _row += ',';
    if (m.service && m.service->userId) appendCell(*m.service->userId);
    _row += ',';
    if (m.text) appendCell(*m.text);
    _row += ',';
    appendAttachmentCells(m);
    _row += ',';
    if (m.replyTo) appendCell(*m.replyTo);
    _row += ',';
    appendMediaCell(m);
    _row += ',';
    appendObservedTime(m.editedAtMs, zone);
    _row += ',';
    appendInt(_row, static_cast<std::int64_t>(m.revisions.size()));
    _row += ',';
    appendObservedTime(m.deletedObservedAtMs, zone);
    _row += "\r\n";
    _out.write(_row.data(), static_cast<std::streamsize>(_row.size()));
}

}  // namespace okarchive

namespace okarchive {
namespace {

class CsvSession : public FormatSession {
public:
    explicit CsvSession(const ExportRequest& r)
        : _options{&r.timeZone, r.formatOptions.count("excel") > 0, r.formatOptions.count("raw-csv") > 0} {}
    std::unique_ptr<Exporter> openPart(std::ostream& out, const ExportPart& part) override {
        return std::make_unique<CsvExporter>(out, _options, &part);
    }

private:
    const CsvOptions _options;
};

class CsvFormat : public ExportFormat {
public:
    CsvFormat() : ExportFormat("csv", "csv") {}
    std::vector<FormatOption> options() const override {
        return {{"excel", "", "a UTF-8 byte order mark for Excel"},
                {"raw-csv", "", "without the formula-injection guard"}};
    }

protected:
    std::unique_ptr<FormatSession> openSession(const ExportRequest& request) const override {
        return std::make_unique<CsvSession>(request);
    }
};

}  // namespace

const ExportFormat& csvExportFormat() {
    static const CsvFormat format;
    return format;
}

}  // namespace okarchive
