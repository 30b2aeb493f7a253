#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace okarchive {

/// The top-level "url" member of an attachment payload when it is a JSON string, decoded (escapes resolved); nothing
/// when the payload is not an object, has no "url", the url is not a string, or the JSON is malformed.
std::optional<std::string> attachmentUrl(std::string_view payloadJson);

}  // namespace okarchive
