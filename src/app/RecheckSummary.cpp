#include "app/RecheckSummary.h"

#include <fmt/format.h>

#include "domain/TimeFormat.h"

namespace okarchive {

std::string recheckLines(const ChatStatus& c) {
    auto text = fmt::format("  changes    {} earlier version{} kept (edits), {} message{} marked deleted\n", c.revisions,
                            c.revisions == 1 ? "" : "s", c.deletions, c.deletions == 1 ? "" : "s");
    const auto last = c.lastRecheckAtMs ? "last complete " + formatIsoUtc(*c.lastRecheckAtMs) : std::string("never");
    if (c.recheckPending)
        text += fmt::format("  re-check   in progress: {} .. {} left to re-page ({})\n",
                            c.recheckPending->lo == 0 ? "beginning" : formatIsoUtc(c.recheckPending->lo),
                            formatIsoUtc(c.recheckPending->hi), last);
    else
        text += fmt::format("  re-check   {}\n", last);
    return text;
}

}  // namespace okarchive
