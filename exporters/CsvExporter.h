#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "domain/TimeZone.h"
#include "exporters/ExportPart.h"
#include "exporters/Exporter.h"

namespace okarchive {

/// How CSV cells are written.
struct CsvOptions {
    const TimeZone* timeZone = nullptr;  ///< for the `time` column; UTC if null
    bool excel = false;                  ///< start the file with a UTF-8 BOM so Excel reads it as UTF-8
    bool rawCsv = false;  ///< no "'" before cells that start with = + - @ TAB CR LF (OWASP CSV injection)
};

/// RFC 4180 CSV: CRLF line ends, a header row, one row per message with the columns
/// chat_id,mid,seq,timestamp,time,sender_id,sender_name,kind,service_type,service_user_id,text,attachment_types,
/// attachment_urls,reply_to,media_paths. A field is quoted when it holds '"', ',', CR or LF or starts or ends with a
/// space or tab; quotes are doubled. Multi-values (attachment types, attachment payloads' "url" strings) are joined
/// with one space. media_paths lists, when an attachment has a saved file, one path per attachment in order joined with
/// '|' (a character no exported media name holds; empty for an attachment without a file): the copied file relative to
/// the CSV with --media=copy, else the store path relative to media.directory. Every cell is valid UTF-8 (iconv,
/// Python's csv): NUL, lone surrogates and invalid bytes become U+FFFD (the archive keeps the original). Every cell
/// except the two integer columns (seq, timestamp) gets the injection guard unless rawCsv.
class CsvExporter : public Exporter {
public:
    /// `part` (optional) places the media of --media=copy.
    CsvExporter(std::ostream& out, const CsvOptions& options, const ExportPart* part = nullptr);
    void begin() override;
    void write(const Message& message) override;

    static const char* header();  ///< the header row, without its CRLF

private:
    void appendCell(std::string_view cell, bool guard = true);
    void appendRawCell(std::string_view cell);     // numbers and other cells we generate that need no quoting
    void appendAttachmentCells(const Message& m);  // attachment_types and attachment_urls
    void appendMediaCell(const Message& m);        // media_paths
    void appendObservedTime(const std::optional<std::int64_t>& ms, const TimeZone& zone);  // edited_at, deleted_...

    std::ostream& _out;
    CsvOptions _options;
    const ExportPart* _part;
    std::string _row;  // reused per message
    std::string _scratch;
    std::string _valid;  // a cell made valid UTF-8
};

}  // namespace okarchive
