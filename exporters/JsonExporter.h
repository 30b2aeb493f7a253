#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "domain/JsonWriter.h"
#include "exporters/ExportPart.h"
#include "exporters/Exporter.h"

namespace okarchive {

/// The export document's header fields (see JsonExporter).
struct JsonExportHeader {
    std::string chatId;
    std::string chatTitle;
    std::string chatType;
    std::string filterJson = "{}";  ///< the filter as given, a JSON object, written verbatim
    std::int64_t exportedAtMs = 0;
};

/// One JSON document per file, streamed record by record (never built in memory):
/// {"format":"okarchive-export","version":1,"exported_at":ISO-UTC,"chat":{"id","title","type"},"filter":{...},
///  ["part":N,] "message_count":N,"messages":[records exactly as in NDJSON (MessageRecord.h), one per line]}
/// When the part's message count is not known before writing (size-limited parts), "message_count" comes after
/// "messages" instead: same keys, same meaning, only the order differs. When it is known, the exporter checks at
/// end() that exactly that many records were written and throws Error otherwise (the archive changed under the
/// export), so a wrong count never reaches a committed file. Valid for every strict reader unless `fidelity` is
/// Verbatim (NUL and lone surrogates then stay escapes, as archived).
class JsonExporter : public Exporter {
public:
    JsonExporter(std::ostream& out, const JsonExportHeader& header, const ExportPart& part,
                 JsonFidelity fidelity = JsonFidelity::Valid);
    void begin() override;
    void write(const Message& message) override;
    void end() override;

private:
    void flush();

    std::ostream& _out;
    const JsonExportHeader& _header;
    const ExportPart& _part;
    std::uint64_t _written = 0;
    std::string _buffer;  // reused per record; flushed after each
    JsonWriter _json;
};

}  // namespace okarchive
