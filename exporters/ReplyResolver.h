#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace okarchive {

/// What an HTML export shows of a replied-to message, and where it sits in the export's (timestamp, seq) order.
struct ReplyTarget {
    std::string mid;
    std::int64_t timestamp = 0;
    std::int64_t seq = 0;
    std::string senderName;
    std::string textSnippet;  ///< the start of its text (any length: the exporter shortens it); may be empty
    bool inExport = true;     ///< false: the message is archived but the export's filter leaves it out (no link)
};

/// Looks up replied-to messages one at a time (the app answers with an indexed query), so replies can be quoted and
/// linked across parts without loading the chat into memory.
class ReplyResolver {
public:
    virtual ~ReplyResolver() = default;
    /// The message `mid` of the exported chat, or nothing if the archive does not hold it. May throw StorageError.
    virtual std::optional<ReplyTarget> find(const std::string& mid) = 0;
};

}  // namespace okarchive
