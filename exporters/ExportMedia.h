#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/Locale.h"
#include "domain/Message.h"
#include "media/ImageSize.h"

namespace okarchive {

class Cancellation;
class ProtectedPaths;
struct ExportPart;

/// --media: what an export does with the media the archive saved.
enum class MediaExportMode {
    Copy,  ///< every saved file referenced is placed under <stem>_media/ beside the output, and shown from there
    Link,  ///< the remote links, as before media were downloaded; formats name the store path of saved files
    None,  ///< no media and no links to them: cards only
};

std::string_view mediaExportModeName(MediaExportMode mode);  ///< "copy", "link", "none"
/// "copy", "link" or "none"; throws UsageError naming --media otherwise.
MediaExportMode parseMediaExportMode(std::string_view text);

/// The media side of an export request.
struct ExportMediaOptions {
    MediaExportMode mode = MediaExportMode::Link;
    std::string directory;  ///< media.directory: where saved files are (sha256/ab/cd/<hex>, domain/Media.h)
};

/// One attachment's media as one export shows it.
struct MediaView {
    MediaExportMode mode = MediaExportMode::Link;
    const AttachmentMedia* media = nullptr;  ///< the ledger's entry; nullptr when the attachment has none
    /// Copy: the exported file relative to the file being written; Link and None: the store path (mediaStorePath,
    /// relative to media.directory) of a saved file. Empty when there is no file.
    std::string path;
    std::optional<ImageSize> size;  ///< Copy, images: the dimensions the file's header declares
    std::string missing;            ///< Copy: why a saved file is not in the export (gone from the media store)
    bool copied() const { return mode == MediaExportMode::Copy && !path.empty(); }
};

/// The media folder of one export (<stem>_media/ beside the output; the parts of a partitioned export share it).
/// Copy mode places each saved file it is asked for under its exportedMediaName (MediaFileName.h): a hard link to
/// the store's file when both are on one file system (and the file may be linked), else a copy; either way through a
/// temporary name and a rename, so no file is ever partial under its name. An unchanged file (the same inode, or a
/// copy of the same size and time) is kept. The folder is locked while the export runs (a second export to the same
/// output is refused); sweep(), after the export committed, removes the files it did not reference (earlier
/// exports' and dead writers' temporaries). Destroyed without finish(), it removes the folder if it made it. Memory:
/// 8 bytes a referenced file. Not thread-safe.
class ExportMediaFiles {
public:
    /// Throws UsageError when the folder would be inside the media store (or hold it), or `guard` protects it.
    ExportMediaFiles(const ExportMediaOptions& options, const std::string& outputPath, const ProtectedPaths* guard);
    ~ExportMediaFiles();
    ExportMediaFiles(const ExportMediaFiles&) = delete;
    ExportMediaFiles& operator=(const ExportMediaFiles&) = delete;

    MediaExportMode mode() const { return _options.mode; }
    const std::string& folder() const { return _folder; }  ///< <stem>_media beside the output
    std::size_t filesPlaced() const { return _referenced.size(); }

    /// The view of attachment `position` of `m`, its file placed first in Copy mode; `up` ("" or "../") leads from
    /// the file being written to the output's directory. Throws Error naming the file that could not be written.
    MediaView view(const Message& m, std::size_t position, std::string_view up = {});
    /// Makes every placed file durable (fsyncs their directories): before the export's own commit.
    void finish();
    /// Removes what the committed export does not reference from the folder. Best effort, never throws.
    void sweep() noexcept;

private:
    std::string place(const Message& m, std::size_t position, const AttachmentMedia& media, MediaView& view);
    void lock();
    void placeFile(const std::string& source, const std::string& target);

    ExportMediaOptions _options;
    std::string _folder;
    int _lockFd = -1;
    bool _createdFolder = false;
    bool _finished = false;
    std::set<std::string> _months;           // YYYY-MM directories written into (few)
    std::vector<std::uint64_t> _referenced;  // hashes of the names placed
};

/// What an export says of media without a file, in `locale`: "not saved: expired", "not saved: failed",
/// "not saved: skipped", "not saved: not downloaded yet", "not saved: gone from the media store"; with `reason`, the
/// ledger's reason after it in parentheses ("not saved: failed (HTTP 404)").
std::string mediaMissingText(Locale locale, const MediaView& view, bool reason = false);

/// The view of attachment `position` of `m` without placing anything: its ledger entry and, when saved, its store
/// path (Link and None; in Copy mode the caller places the file).
MediaView storeMediaView(MediaExportMode mode, const Message& m, std::size_t position);

/// The view of attachment `position` of `m` for the exporter writing `part`: through the export's media folder
/// when the driver gave it one (parts of a partitioned export are one directory down), else Link with store paths.
MediaView exportMediaView(const ExportPart& part, const Message& m, std::size_t position);

}  // namespace okarchive
