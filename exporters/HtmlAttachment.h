#pragma once

#include <string>
#include <string_view>

#include "domain/Json.h"
#include "domain/Message.h"

namespace okarchive {

/// Appends the HTML of one attachment (`<div class="at">...</div>`): one renderer per known type, keyed by type, and
/// a fallback for unknown types that shows the type and the payload. A payload that does not parse is shown
/// verbatim (cut at 2,000 characters). All text is escaped; only URLs that pass safeHttpUrl() become href/src.
void appendHtmlAttachment(std::string& out, const Attachment& attachment);

/// A field of a JSON object as a decoded string, if `object` is one and the field is a string.
const std::string* jsonStringField(const JsonValue* object, std::string_view key);

}  // namespace okarchive
