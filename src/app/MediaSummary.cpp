#include "app/MediaSummary.h"

#include <numeric>

#include <fmt/format.h>

namespace okarchive {

void MediaTally::add(const MediaCount& count) {
    const auto index = static_cast<std::size_t>(count.state);
    files[index] += count.files;
    bytes[index] += count.bytes;
}

std::int64_t MediaTally::total() const { return std::accumulate(files.begin(), files.end(), std::int64_t{0}); }

std::int64_t MediaTally::missing() const { return total() - filesIn(MediaState::Saved); }

MediaTallies tallyMedia(const std::vector<MediaCount>& counts) {
    MediaTallies tallies;
    for (const auto& count : counts) {
        tallies.total.add(count);
        tallies.byChat[count.chatId].add(count);
        tallies.byChatType[count.chatId][count.type].add(count);
        tallies.byType[count.type].add(count);
    }
    return tallies;
}

std::string mediaSentence(const MediaTally& tally) {
    if (tally.total() == 0) return "no media";
    auto sentence = fmt::format("{} saved ({})", tally.filesIn(MediaState::Saved),
                                formatByteSize(tally.bytesIn(MediaState::Saved)));
    for (const auto state : kAllMediaStates)
        if (state != MediaState::Saved && tally.filesIn(state) != 0)
            sentence += fmt::format(", {} {}", tally.filesIn(state), mediaStateName(state));
    return sentence;
}

std::string formatByteSize(std::int64_t bytes) {
    static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    if (bytes < 1024) return fmt::format("{} B", bytes);
    auto value = static_cast<double>(bytes) / 1024;
    std::size_t unit = 0;
    // Rounded as printed: 1023.96 KiB is "1.0 MiB", not "1024.0 KiB".
    while (value >= 1023.95 && unit + 1 < std::size(kUnits)) {
        value /= 1024;
        ++unit;
    }
    return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

}  // namespace okarchive
