#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/MediaLedger.h"

namespace okarchive {

/// One disagreement between the media ledger and the media directory.
struct MediaProblem {
    std::string entry;  ///< "chat:X mid:Y position N", or empty for a file no saved entry names
    std::string path;   ///< relative to the media directory ("sha256/ab/cd/<hex>")
    std::string what;   ///< what differs
};

/// How much `media verify` re-hashes: a share of the files, picked by a seeded shuffle (the same seed and files give
/// the same pick), like restic check --read-data-subset. Every file's presence and size are checked regardless.
struct MediaVerifyOptions {
    double percent = 100;
    std::uint64_t seed = 0;
    bool wholeDirectory = true;  ///< also look at files under sha256/ no saved entry names (not with --chat)
};

struct MediaVerifyResult {
    std::int64_t entries = 0;        ///< saved ledger entries checked
    std::int64_t files = 0;          ///< distinct files they name
    std::int64_t rehashed = 0;       ///< files re-hashed (the sample)
    std::int64_t rehashedBytes = 0;  ///< their bytes
    std::int64_t unlisted = 0;       ///< files under sha256/ no saved entry names (kept: an interrupted run's)
    std::int64_t temporaries = 0;    ///< ".tmp-*" files of interrupted downloads (the next sync removes them)
    std::vector<MediaProblem> problems;
};

/// Called after each file checked: the result so far, files done, files in all.
using MediaVerifyProgress = std::function<void(const MediaVerifyResult&, std::int64_t done, std::int64_t total)>;

/// Checks every saved entry of `saved` against the media directory `directory`: its file exists, is a regular file of
/// the size the ledger says and (for the sampled files) its content hashes to its name (MediaStore::check); with
/// wholeDirectory, every file under sha256/ has a store name at its place and (sampled) that name is its hash.
/// Reads only. `progress` is called after each file.
MediaVerifyResult verifyMedia(const std::vector<MediaItem>& saved, const std::string& directory,
                              const MediaVerifyOptions& options, const MediaVerifyProgress& progress = {});

}  // namespace okarchive
