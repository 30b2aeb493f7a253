#pragma once

#include <cstdint>
#include <string>

namespace okarchive {

/// What one chat's run did to its media: entries by the state this run left them in.
struct MediaRunCounts {
    bool downloading = false;  ///< media.download = all (false: nothing was tried, `pending` says what waits)
    std::int64_t saved = 0;    ///< downloaded, or found already saved under the same identity
    std::int64_t reused = 0;   ///< of `saved`: no request, the identity was saved before
    std::int64_t failed = 0;   ///< failed_transient or failed_permanent
    std::int64_t skipped = 0;  ///< skipped_policy
    std::int64_t expired = 0;
    std::int64_t pending = 0;  ///< with media.download = none: the chat's entries waiting
    std::int64_t bytes = 0;    ///< downloaded by this run
};

/// The media part of a chat's line: ", 12 media saved, 1 failed" (", 2 skipped", ", 1 expired" when not zero), or
/// with downloads off ", 40 media pending (media.download = none)"; empty when the run met no media.
std::string describeMedia(const MediaRunCounts& counts);

}  // namespace okarchive
