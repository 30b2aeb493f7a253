#pragma once

#include <string>

#include "domain/Message.h"

namespace okarchive {

/// Appends the lossless JSON record of `message` (the NDJSON line without its newline; also JSON's array items):
/// chat_id, mid, seq, timestamp, time, sender, kind, text, [service], attachments (payloads verbatim), reply_to.
void appendMessageRecord(std::string& out, const Message& message);

}  // namespace okarchive
