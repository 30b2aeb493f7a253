#include "exporters/JsonExporter.h"

#include <fmt/format.h>

#include "domain/Errors.h"
#include "domain/TimeFormat.h"
#include "exporters/ExportJob.h"
#include "exporters/MessageRecord.h"

namespace okarchive {

JsonExporter::JsonExporter(std::ostream& out, const JsonExportHeader& header, const ExportPart& part,
                           JsonFidelity fidelity)
    : _out(out), _header(header), _part(part), _json(_buffer, fidelity) {}

void JsonExporter::flush() {
    _out.write(_buffer.data(), static_cast<std::streamsize>(_buffer.size()));
    _buffer.clear();
}

void JsonExporter::begin() {
    _json.beginObject().key("format").value("okarchive-export").key("version").value(1);
    _json.key("exported_at").value(formatIsoUtc(_header.exportedAtMs));
    _json.key("chat").beginObject().key("id").value(_header.chatId).key("title").value(_header.chatTitle);
    _json.key("type").value(_header.chatType).endObject();
    _json.key("filter").raw(_header.filterJson.empty() ? "{}" : _header.filterJson);
    if (_part.partitioned()) _json.key("part").value(_part.number);
    if (_part.messageCount) _json.key("message_count").value(*_part.messageCount);
    _json.key("messages").beginArray();
    flush();
}

void JsonExporter::write(const Message& message) {
    writeMessageRecord(_json.lineBreak(), message, &_part);
    flush();
    ++_written;
}

void JsonExporter::end() {
    if (_part.messageCount && *_part.messageCount != _written)
        throw Error(fmt::format(
            "the archive changed during the export of {}: {} messages were counted but {} were "
            "read; run the export again",
            _part.naming ? _part.naming->path(_part.number) : std::string("JSON"), *_part.messageCount, _written));
    if (_written > 0) _json.lineBreak();
    _json.endArray();
    if (!_part.messageCount) _json.key("message_count").value(_written);
    _json.endObject();
    _buffer += '\n';
    flush();
}

}  // namespace okarchive

namespace okarchive {
namespace {

class JsonSession : public FormatSession {
public:
    explicit JsonSession(const ExportRequest& r)
        : _header{r.chatId, r.chatTitle, r.chatType, r.filterJson.empty() ? "{}" : r.filterJson, r.exportedAtMs},
          _fidelity(recordFidelity(r.formatOptions)) {}
    std::unique_ptr<Exporter> openPart(std::ostream& out, const ExportPart& part) override {
        return std::make_unique<JsonExporter>(out, _header, part, _fidelity);
    }

private:
    const JsonExportHeader _header;
    const JsonFidelity _fidelity;
};

class JsonFormat : public ExportFormat {
public:
    JsonFormat() : ExportFormat("json", "json") {}
    std::vector<FormatOption> options() const override { return {verbatimFormatOption()}; }

protected:
    std::unique_ptr<FormatSession> openSession(const ExportRequest& request) const override {
        return std::make_unique<JsonSession>(request);
    }
};

}  // namespace

const ExportFormat& jsonExportFormat() {
    static const JsonFormat format;
    return format;
}

}  // namespace okarchive
