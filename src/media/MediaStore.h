#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace okarchive {

/// How a stored file compares with what the ledger says of it.
enum class MediaFileCheck { Intact, Missing, WrongSize, WrongHash };

/// The content-addressed media directory: every saved file lives at sha256/ab/cd/<64 hex> (mediaStorePath) under
/// its SHA-256, written once, never partial under that name. Temporary files (".tmp-*" in the top directory) are all a
/// crash can leave; sweepTemporaries removes them. Thread-safe.
class MediaStore {
public:
    /// Creates `directory` (0750) if missing; throws StorageError naming it when it cannot be made or written.
    explicit MediaStore(std::string directory);

    const std::string& directory() const { return _directory; }
    /// The absolute path of the file with this hash (whether or not it exists).
    std::string pathOf(const std::string& sha256Hex) const;
    /// Whether a file of this hash and size is in place (size checked, content not re-hashed).
    bool holds(const std::string& sha256Hex, std::int64_t bytes) const;
    /// Re-hashes the file: the whole check `media verify` makes.
    MediaFileCheck check(const std::string& sha256Hex, std::int64_t bytes) const;
    /// Removes temporary files left by interrupted downloads (of any process not running now); returns how many.
    int sweepTemporaries();

private:
    std::string _directory;
};

}  // namespace okarchive
