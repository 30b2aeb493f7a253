#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace okarchive {

/// The names media.types accepts and its default: every type with downloadable media (mediaSource), and OTHER for
/// every type okarchive does not know.
inline const std::vector<std::string>& mediaTypeNames() {
    static const std::vector<std::string> names = {"IMAGE", "VIDEO", "AUDIO", "FILE", "STICKER", "CONTACT", "OTHER"};
    return names;
}

/// media.directory's default: a folder beside the archive.
inline std::string defaultMediaDirectory(const std::string& database) { return database + ".media"; }

/// The media.* settings, validated (Settings::media()).
struct MediaConfig {
    bool download = true;            ///< media.download: all (true) or none
    std::vector<std::string> types;  ///< media.types, upper case; "OTHER" stands for every type okarchive does not know
    std::int64_t maxBytes = 100LL * 1024 * 1024;    ///< media.max_bytes: larger files are skipped_policy
    std::string directory;                          ///< media.directory, resolved ("<database>.media" by default)
    int workers = 2;                                ///< media.workers: parallel downloads
    double requestsPerSecond = 5;                   ///< media.requests_per_second (0 = unlimited), apart from the API's
    bool allowPrivateAddresses = false;             ///< media.allow_private_addresses: loopback and private ranges
    std::chrono::milliseconds timeout{600000};      ///< media.timeout_ms: one whole file, connect to last byte
    std::chrono::milliseconds stallTimeout{30000};  ///< media.stall_timeout_ms: longest wait for the next bytes
    int maxAttempts = 5;                            ///< media.max_attempts: then failed_permanent
};

}  // namespace okarchive
