#pragma once

#include <string>

#include "domain/JsonWriter.h"
#include "domain/Message.h"
#include "exporters/ExportFormat.h"

namespace okarchive {

struct ExportPart;
struct MediaView;

/// Writes the lossless JSON record of `message` as the next value of `json` (the NDJSON line without its newline;
/// also JSON's array items): chat_id, mid, seq, timestamp, time, sender, kind, text, [service], attachments (payloads
/// as the API sent them, made valid unless `json` is Verbatim; an attachment with a media ledger entry also has
/// "media", see writeMediaObject), reply_to, then what the archive observed: edited_at (ms or null), revisions
/// (earlier versions, oldest first: {observed_replaced_at, text, attachments}), deleted_observed_at (ms or null). `part` (optional) places the media of --media=copy.
void writeMessageRecord(JsonWriter& json, const Message& message, const ExportPart* part = nullptr);

/// {"state","sha256","bytes","mime","path","reason"}: the ledger's state name, the saved file's hash, size and
/// sniffed type, its path (the exported copy relative to the file written, or the store path relative to
/// media.directory) and why it is not saved; null for what is unknown.
void writeMediaObject(JsonWriter& json, const MediaView& view);

/// Appends the record of `message` to `out` as one complete JSON document.
void appendMessageRecord(std::string& out, const Message& message, JsonFidelity fidelity = JsonFidelity::Valid,
                         const ExportPart* part = nullptr);

/// --verbatim, the option of the formats that write message records (NDJSON, JSON): JsonFidelity::Verbatim.
FormatOption verbatimFormatOption();
/// The fidelity the format options ask for: Verbatim with --verbatim, else Valid.
JsonFidelity recordFidelity(const FormatOptionValues& options);

}  // namespace okarchive
