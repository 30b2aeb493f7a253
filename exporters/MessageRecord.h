#pragma once

#include <string>

#include "domain/JsonWriter.h"
#include "domain/Message.h"

namespace okarchive {

/// Writes the lossless JSON record of `message` as the next value of `json` (the NDJSON line without its newline;
/// also JSON's array items): chat_id, mid, seq, timestamp, time, sender, kind, text, [service], attachments (payloads
/// verbatim), reply_to.
void writeMessageRecord(JsonWriter& json, const Message& message);

/// Appends the record of `message` to `out` as one complete JSON document.
void appendMessageRecord(std::string& out, const Message& message);

}  // namespace okarchive
