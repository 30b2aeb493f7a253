#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/Locale.h"
#include "domain/MessageCursor.h"
#include "domain/TimeZone.h"
#include "exporters/ExportFormat.h"
#include "exporters/ExportMedia.h"
#include "exporters/PartitionPolicy.h"
#include "exporters/ReplyResolver.h"

namespace okarchive {

class Cancellation;
class ProtectedPaths;

/// Everything one export needs. The exporters see messages only; the app supplies the rest.
struct ExportRequest {
    std::string format = "ndjson";  ///< a registered format's name (ExportFormats.h)
    std::string outputPath;         ///< a file path, or "-" for standard output (no partitioning then)
    /// --partition: unset = the format's default part size (HTML's), none() = one file whatever the size.
    std::optional<PartitionPolicy> partition;
    TimeZone timeZone = TimeZone::utc();  ///< for HTML and CSV times; JSON and NDJSON always carry UTC
    Locale locale = Locale::English;      ///< what a reader sees in HTML and txt (--locale, export.locale)
    FormatOptionValues formatOptions;     ///< the format's own options (CSV's excel, raw-csv), validated by it
    std::string chatId;                   ///< "chat:..."
    std::string chatTitle;
    std::string chatType;
    std::string filterJson = "{}";    ///< the filter as given, a JSON object (JSON's "filter"), written verbatim
    std::int64_t exportedAtMs = 0;    ///< when the export started, ms since epoch
    std::uint64_t totalMessages = 0;  ///< messages the cursor will yield (the store counts the filtered rows)
    /// Opens the filtered cursor, ordered by (timestamp, seq). Called once, after the output files were created.
    std::function<std::unique_ptr<MessageCursor>()> openCursor;
    ReplyResolver* replies = nullptr;  ///< optional: HTML quotes and links replies through it
    /// Optional (HTML): a user's name for service events about someone other than their sender.
    std::function<std::optional<std::string>(const std::string& userId)> userName;
    /// Optional: files no output may replace (the archive, the log, the configuration): refused with UsageError.
    const ProtectedPaths* protectedPaths = nullptr;
    /// Optional: checked before every message; once cancelled the export throws Cancelled and leaves no file behind.
    const Cancellation* cancellation = nullptr;
    ExportMediaOptions media;  ///< --media and the media store the saved files come from
    /// Optional: called with the number of messages written so far, every 1,024 messages and once at the end.
    std::function<void(std::uint64_t written)> progress;
};

/// What an export produced.
struct ExportSummary {
    std::vector<std::string> files;  ///< every file (part) written, in order ("-" for standard output)
    std::uint64_t messages = 0;
    std::string index;           ///< a partitioned set's index or manifest (the output path); empty when one file
    std::size_t mediaFiles = 0;  ///< media files placed in the media folder (--media=copy)
    std::string mediaFolder;     ///< that folder, when it holds any
};

/// Streams the cursor through the request's format into one file or many parts, all written to temporary files (or a
/// hidden generation directory) and published only after the whole export succeeded (a set by its index or
/// manifest at the output path: PartitionedOutput.h); on any failure (unwritable path, cursor error, a
/// declared total that does not match) it throws Error naming what failed and leaves no file behind. Memory stays
/// flat in the number of messages. Throws UsageError for a bad request (an unknown format or an option it does not
/// take, partitioning to standard output, a filter that is not a JSON object, no cursor).
ExportSummary runExport(const ExportRequest& request);

}  // namespace okarchive
