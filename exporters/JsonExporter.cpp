#include "exporters/JsonExporter.h"

#include <fmt/format.h>

#include "domain/Errors.h"
#include "domain/JsonText.h"
#include "domain/TimeFormat.h"
#include "exporters/MessageRecord.h"

namespace okarchive {

JsonExporter::JsonExporter(std::ostream& out, const JsonExportHeader& header, const ExportPart& part)
    : _out(out), _header(header), _part(part) {}

void JsonExporter::begin() {
    _buffer.clear();
    _buffer += "{\"format\":\"okarchive-export\",\"version\":1,\"exported_at\":";
    appendJsonString(_buffer, formatIsoUtc(_header.exportedAtMs));
    _buffer += ",\"chat\":{\"id\":";
    appendJsonString(_buffer, _header.chatId);
    _buffer += ",\"title\":";
    appendJsonString(_buffer, _header.chatTitle);
    _buffer += ",\"type\":";
    appendJsonString(_buffer, _header.chatType);
    _buffer += "},\"filter\":";
    _buffer += _header.filterJson.empty() ? "{}" : _header.filterJson;
    if (_part.partitioned()) _buffer += fmt::format(",\"part\":{}", _part.number);
    if (_part.messageCount) _buffer += fmt::format(",\"message_count\":{}", *_part.messageCount);
    _buffer += ",\"messages\":[";
    _out.write(_buffer.data(), static_cast<std::streamsize>(_buffer.size()));
}

void JsonExporter::write(const Message& message) {
    _buffer.clear();
    _buffer += _written == 0 ? "\n" : ",\n";
    appendMessageRecord(_buffer, message);
    _out.write(_buffer.data(), static_cast<std::streamsize>(_buffer.size()));
    ++_written;
}

void JsonExporter::end() {
    if (_part.messageCount && *_part.messageCount != _written)
        throw Error(fmt::format(
            "the archive changed during the export of {}: {} messages were counted but {} were "
            "read; run the export again",
            _part.naming ? _part.naming->path(_part.number) : std::string("JSON"), *_part.messageCount, _written));
    _buffer.assign(_written == 0 ? "]" : "\n]");
    if (!_part.messageCount) _buffer += fmt::format(",\"message_count\":{}", _written);
    _buffer += "}\n";
    _out.write(_buffer.data(), static_cast<std::streamsize>(_buffer.size()));
}

}  // namespace okarchive
