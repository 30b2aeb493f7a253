#pragma once

#include <string>
#include <string_view>

#include "domain/Json.h"
#include "domain/Locale.h"
#include "domain/Message.h"

namespace okarchive {

/// Appends the HTML of one attachment (`<div class="at">...</div>`) as a card that loads nothing: an icon and the
/// type's name in `locale` (attachmentTypeName), what the payload tells (file name, title, size, duration,
/// coordinates, buttons...) and a link to the remote file through safeHttpUrl(); never an image, video, audio or
/// frame element, so the page makes no request when opened. One renderer per known type (matched ignoring ASCII
/// case); an unknown type shows its raw name and its payload. A payload that does not parse is shown verbatim (cut
/// at 2,000 characters). All text is escaped.
void appendHtmlAttachment(std::string& out, const Attachment& attachment, Locale locale = Locale::English);

/// A field of a JSON object as a decoded string, if `object` is one and the field is a string.
const std::string* jsonStringField(const JsonValue* object, std::string_view key);

}  // namespace okarchive
