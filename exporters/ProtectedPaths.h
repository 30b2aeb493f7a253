#pragma once

#include <string>
#include <vector>

namespace okarchive {

/// Files and directories no output may replace (the archive and its companions, the log file, the configuration
/// file). An output is the same file when both exist and share device and inode (hard links, symlinks, `..` all
/// resolve), or, when one does not exist yet, when their canonical paths are equal; it is inside a protected
/// directory when its canonical path lies below the directory's (or is the directory).
class ProtectedPaths {
public:
    /// `what` names the file for the refusal: "the archive database", "the log file (logging.file)"... Empty paths
    /// are ignored.
    void addFile(const std::string& path, const std::string& what);
    void addDirectory(const std::string& path, const std::string& what);

    /// Throws UsageError naming `outputPath` and the protected path when `outputPath` would write over one; for "-",
    /// when standard output is a protected file (redirected with >> or 1<>).
    void check(const std::string& outputPath) const;
    /// "WHAT PATH" of the protected file or directory `path` resolves to, or "" when it is none of them.
    std::string match(const std::string& path) const;

private:
    struct Entry {
        std::string path;
        std::string what;
        bool directory;
    };
    std::vector<Entry> _entries;
};

}  // namespace okarchive
