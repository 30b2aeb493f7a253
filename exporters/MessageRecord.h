#pragma once

#include <string>

#include "domain/JsonWriter.h"
#include "domain/Message.h"
#include "exporters/ExportFormat.h"

namespace okarchive {

/// Writes the lossless JSON record of `message` as the next value of `json` (the NDJSON line without its newline;
/// also JSON's array items): chat_id, mid, seq, timestamp, time, sender, kind, text, [service], attachments (payloads
/// as the API sent them, made valid unless `json` is Verbatim), reply_to.
void writeMessageRecord(JsonWriter& json, const Message& message);

/// Appends the record of `message` to `out` as one complete JSON document.
void appendMessageRecord(std::string& out, const Message& message, JsonFidelity fidelity = JsonFidelity::Valid);

/// --verbatim, the option of the formats that write message records (NDJSON, JSON): JsonFidelity::Verbatim.
FormatOption verbatimFormatOption();
/// The fidelity the format options ask for: Verbatim with --verbatim, else Valid.
JsonFidelity recordFidelity(const FormatOptionValues& options);

}  // namespace okarchive
