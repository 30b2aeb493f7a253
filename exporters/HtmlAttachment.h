#pragma once

#include <string>
#include <string_view>

#include "domain/Json.h"
#include "domain/Locale.h"
#include "domain/Message.h"

namespace okarchive {

struct MediaView;

/// Appends the HTML of one attachment (`<div class="at">...</div>`) as a card that loads nothing: an icon and the
/// type's name in `locale` (attachmentTypeName), what the payload tells (file name, title, size, duration,
/// coordinates, buttons...) and a link to the remote file through safeHttpUrl(); never an image, video, audio or
/// frame element, so the page makes no request when opened. One renderer per known type (matched ignoring ASCII
/// case); an unknown type shows its raw name and its payload. A payload that does not parse is shown verbatim (cut
/// at 2,000 characters). All text is escaped.
/// With `media` (ExportMedia.h) of an attachment that has a ledger entry: --media=copy shows the exported file, loaded
/// from beside the page (images and stickers inline with their width and height, audio and video players, a
/// CONTACT's photo inline, files as a card linked to the copy) and, without a file, says why ("not saved: expired
/// (reason)"), never linking the remote file instead; --media=none shows the card only; --media=link is the card
/// with its remote link, as without `media`.
void appendHtmlAttachment(std::string& out, const Attachment& attachment, Locale locale = Locale::English,
                          const MediaView* media = nullptr);

/// A size for people, in `locale`: "812 B", "3.4 KB", "1.2 GB" (Russian: "3,4 КБ").
std::string humanByteSize(Locale locale, double bytes);

/// Appends a relative path as a URL (each '/'-separated segment percent-encoded): safe in a quoted attribute.
void appendRelativeUrl(std::string& out, std::string_view path);

/// A field of a JSON object as a decoded string, if `object` is one and the field is a string.
const std::string* jsonStringField(const JsonValue* object, std::string_view key);

}  // namespace okarchive
