#include "sync/MediaRunCounts.h"

#include <fmt/format.h>

namespace okarchive {

std::string describeMedia(const MediaRunCounts& c) {
    if (!c.downloading)
        return c.pending > 0 ? fmt::format(", {} media pending (media.download = none)", c.pending) : std::string();
    if (c.saved + c.failed + c.skipped + c.expired == 0) return {};
    auto text = fmt::format(", {} media saved, {} failed", c.saved, c.failed);
    if (c.skipped > 0) text += fmt::format(", {} skipped", c.skipped);
    if (c.expired > 0) text += fmt::format(", {} expired", c.expired);
    return text;
}

}  // namespace okarchive
