#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "domain/Media.h"
#include "store/MediaLedger.h"

namespace okarchive {

/// Files and known bytes in each media state, of one chat, one type or the whole archive.
struct MediaTally {
    std::array<std::int64_t, std::size(kAllMediaStates)> files{};
    std::array<std::int64_t, std::size(kAllMediaStates)> bytes{};

    void add(const MediaCount& count);
    std::int64_t filesIn(MediaState state) const { return files[static_cast<std::size_t>(state)]; }
    std::int64_t bytesIn(MediaState state) const { return bytes[static_cast<std::size_t>(state)]; }
    std::int64_t total() const;    ///< every attachment with media
    std::int64_t missing() const;  ///< those not saved (pending, skipped, expired, failed)
};

/// The tallies of `counts` by chat, by (chat, type), by type, and over all.
struct MediaTallies {
    MediaTally total;
    std::map<std::string, MediaTally> byChat;
    std::map<std::string, std::map<std::string, MediaTally>> byChatType;
    std::map<std::string, MediaTally> byType;
};
MediaTallies tallyMedia(const std::vector<MediaCount>& counts);

/// "412 saved (38.2 MiB), 3 failed_transient, 1 expired, 2 skipped_policy": saved always, the other states when
/// not zero, so missing media is always a number; "no media" when there is none.
std::string mediaSentence(const MediaTally& tally);

/// A size for people, in IEC units with one decimal: "900 B", "1.5 KiB", "38.2 MiB", "2.0 GiB".
std::string formatByteSize(std::int64_t bytes);

}  // namespace okarchive
