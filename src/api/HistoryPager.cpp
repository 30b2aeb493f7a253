#include "api/HistoryPager.h"

#include <algorithm>

namespace okarchive {
namespace {

/// `to` two below the window's floor: either bound semantics then includes the floor, and also the millisecond just
/// under it. When that one holds messages (it usually does: it is the newest archived one when the window sits on
/// covered history) they arrive at the page's tail once the window is exhausted, and prove it without another
/// request. 0 is the API's own default: no message has timestamp 0.
std::int64_t toFor(std::int64_t floor) { return floor > 1 ? floor - 2 : 0; }

/// Whether the message has a place in time (an undecodable one without a usable timestamp has none: it proves nothing).
bool placed(const Message& m) { return m.hasTimestamp; }

std::size_t countAt(const std::vector<Message>& messages, std::int64_t t) {
    return static_cast<std::size_t>(std::count_if(messages.begin(), messages.end(),
                                                  [t](const Message& m) { return placed(m) && m.timestamp == t; }));
}

}  // namespace

HistoryPager::HistoryPager(HistorySource& source, std::string chatId, Options options, bool fromInclusive)
    : _source(source), _chatId(std::move(chatId)), _options(options), _fromInclusive(fromInclusive) {
    _options.pageSize = std::max(1, _options.pageSize);
    _options.maxCount = std::max(1, _options.maxCount);
}

std::vector<Message> HistoryPager::fetch(const HistoryRequest& request) {
    auto page = _source.fetch(_chatId, request);
    ++_stats.requests;
    ++_stats.pages;
    _stats.messages += page.size();
    return page;
}

void HistoryPager::run(const CoverageSet& coverage, PageSink& sink) {
    // Head: the newest page now. Everything above the highest covered millisecond is new.
    const std::optional<std::int64_t> coveredTop =
        coverage.empty() ? std::nullopt : std::optional(coverage.ranges().back().hi);
    const std::int64_t floor = coveredTop ? *coveredTop + 1 : 0;
    auto head = fetch({std::nullopt, toFor(floor), _options.pageSize});

    std::int64_t headTimestamp = coveredTop.value_or(-1);
    for (const auto& m : head)
        if (placed(m)) headTimestamp = std::max(headTimestamp, m.timestamp);

    const PageDelivery commit = [&sink](WindowPage page) {
        sink.commit(std::move(page.messages), std::move(page.proven));
    };
    if (headTimestamp >= floor) {
        fillWindow({floor, headTimestamp}, std::move(head), sink, commit);
    } else if (!head.empty()) {
        sink.commit(std::move(head), {});  // nothing new; keep what came (it may carry edits)
    }
    if (headTimestamp < 0) return;  // an empty chat, nothing covered yet
    _newest = headTimestamp;

    // Older gaps (an interrupted backfill), newest first. Coverage as stored before this run is enough: the
    // window just filled lies above all of it.
    for (const auto& gap : coverage.gaps({0, std::min(headTimestamp, floor - 1)}))
        fillWindow(gap, std::nullopt, sink, commit);
}

namespace {

/// `ranges` without the milliseconds in `holes`.
std::vector<TimeRange> without(const std::vector<TimeRange>& ranges, std::vector<std::int64_t> holes) {
    std::sort(holes.begin(), holes.end());
    std::vector<TimeRange> kept;
    for (auto rest : ranges) {
        for (const auto t : holes) {
            if (!rest.contains(t)) continue;
            if (t > rest.lo) kept.push_back({rest.lo, t - 1});
            rest.lo = t + 1;
        }
        if (!rest.empty()) kept.push_back(rest);
    }
    return kept;
}

}  // namespace

bool HistoryPager::recheck(TimeRange window, int maxPages, RecheckSink& sink) {
    if (window.hi < window.lo) return true;
    return fillWindow(window, std::nullopt, sink, [&sink](WindowPage page) {
        auto repaged = without(page.proven, page.overflowed);
        sink.commitRecheck(std::move(page.messages), std::move(page.proven), std::move(repaged), page.remaining);
    }, maxPages);
}

namespace {

/// Where a page lies against the window [lo, top]: its oldest placed message inside, whether it went below lo, and
/// whether it holds messages without a place in time.
struct PageScan {
    std::optional<std::int64_t> oldestInWindow;
    bool reachedBelow = false;
    bool unplaced = false;
};

PageScan scanPage(const std::vector<Message>& page, std::int64_t lo, std::int64_t top) {
    PageScan scan;
    for (const auto& m : page) {
        if (!placed(m))
            scan.unplaced = true;
        else if (m.timestamp < lo)
            scan.reachedBelow = true;
        else if (m.timestamp <= top)
            scan.oldestInWindow = std::min(scan.oldestInWindow.value_or(m.timestamp), m.timestamp);
    }
    return scan;
}

}  // namespace

bool HistoryPager::fillWindow(TimeRange window, std::optional<std::vector<Message>> prefetched, PageSink& sink,
                              const PageDelivery& deliver, int maxPages) {
    std::int64_t top = window.hi;  // everything above `top` in the window is proven
    const auto left = [&window](std::int64_t newTop) {
        return newTop >= window.lo ? std::optional<TimeRange>({window.lo, newTop}) : std::nullopt;
    };
    for (int pages = 0; top >= window.lo; ++pages) {
        if (maxPages > 0 && pages >= maxPages) return false;
        _overflowed.clear();
        std::vector<Message> page;
        if (prefetched) {
            page = std::move(*prefetched);
            prefetched.reset();
        } else {
            page = fetchBelow(top, toFor(window.lo), _options.pageSize, sink);
        }

        const auto [oldestInWindow, reachedBelow, unplaced] = scanPage(page, window.lo, top);
        if (!oldestInWindow && !reachedBelow && unplaced) {
            // Only messages without a place in time: they may lie anywhere in the window, so the page proves nothing.
            // Keep them (quarantine) and leave the rest of the window uncovered rather than claim it.
            deliver({std::move(page), {}, std::move(_overflowed), std::nullopt});
            return true;
        }
        if (!oldestInWindow || reachedBelow) {
            // Nothing left in the window, or the page went past its floor: the rest of the window is complete.
            deliver({std::move(page), {{window.lo, top}}, std::move(_overflowed), std::nullopt});
            return true;
        }
        if (*oldestInWindow < top) {
            // All of (oldest, top] came; the oldest millisecond may be cut by the page size.
            const TimeRange proven{*oldestInWindow + 1, top};
            top = *oldestInWindow;
            deliver({std::move(page), {proven}, std::move(_overflowed), left(top)});
            continue;
        }
        completeMillisecond(page, top, sink);
        const TimeRange proven{top, top};
        --top;
        deliver({std::move(page), {proven}, std::move(_overflowed), left(top)});
    }
    return true;
}

void HistoryPager::completeMillisecond(std::vector<Message>& page, std::int64_t top, PageSink& sink) {
    // The page's in-window messages all share the millisecond `top`: make sure we have all of it.
    if (_options.pageSize >= _options.maxCount) {
        // Already asked with the largest count: this page is the answer a re-ask would get.
        const auto received = countAt(page, top);
        if (received >= static_cast<std::size_t>(_options.maxCount)) overflow(top, received, sink);
        return;
    }
    auto millisecond = fetchMillisecond(top, sink);
    page.insert(page.end(), std::make_move_iterator(millisecond.begin()), std::make_move_iterator(millisecond.end()));
}

std::vector<Message> HistoryPager::fetchMillisecond(std::int64_t t, PageSink& sink) {
    auto page = fetchBelow(t, t - 1, _options.maxCount, sink);
    const auto received = countAt(page, t);
    if (received >= static_cast<std::size_t>(_options.maxCount)) overflow(t, received, sink);
    return page;
}

void HistoryPager::overflow(std::int64_t t, std::size_t received, PageSink& sink) {
    _overflowed.push_back(t);
    sink.clusterOverflow(t, received);
}

std::vector<Message> HistoryPager::fetchBelow(std::int64_t top, std::int64_t to, int count, PageSink& sink) {
    if (_fromInclusive) return fetch({top, to, count});
    auto page = fetch({top + 1, to, count});
    const bool newerThanTop =
        std::any_of(page.begin(), page.end(), [top](const Message& m) { return placed(m) && m.timestamp > top; });
    if (!newerThanTop) return page;  // exclusive, or inclusive with nothing at top + 1: the same answer either way
    // from = top + 1 returned top + 1 itself: the bound is inclusive. Ask again exactly.
    _fromInclusive = true;
    sink.fromBoundInclusive();
    return fetch({top, to, count});
}

}  // namespace okarchive
