#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/HistorySource.h"
#include "domain/CoverageSet.h"
#include "domain/Message.h"
#include "domain/TimeRange.h"

namespace okarchive {

/// Where the pager delivers its work. `commit` must store the messages and the ranges they prove in ONE
/// transaction: that is what makes an interrupted run resume exactly where it stopped.
class PageSink {
public:
    virtual ~PageSink() = default;
    virtual void commit(std::vector<Message> messages, std::vector<TimeRange> proven) = 0;
    /// A millisecond holds at least `received` messages (a full page at the largest count): the API cannot
    /// reach the rest. The pager keeps what it got and moves on.
    virtual void clusterOverflow(std::int64_t timestamp, std::size_t received) = 0;
    /// The server's `from` bound turned out to be inclusive (persist it: it saves a request per run).
    virtual void fromBoundInclusive() = 0;
};

/// Where a re-check (HistoryPager::recheck) delivers its pages: commit's messages and proof, and beside them what the
/// page proves for deletions and where the pass stands. Like commit, one transaction (Archive::commitRecheckPage).
class RecheckSink : public PageSink {
public:
    /// `repaged`: the ranges the page re-paged completely, that is `proven` minus every millisecond that overflowed a
    /// page while it was fetched (an archived message absent there is gone). `remaining`: what of the window is
    /// still to re-page after this page, nullopt when the window is done.
    virtual void commitRecheck(std::vector<Message> messages, std::vector<TimeRange> proven,
                               std::vector<TimeRange> repaged, std::optional<TimeRange> remaining) = 0;
};

/// Pages one chat's history backward, filling the gaps between what is covered and the chat's head.
///
/// Correct whichever way the server treats `from`/`to` (inclusive or exclusive) and whatever it caps `count` at:
/// - `to` is always set one below the window, so an inclusive `to` only adds older messages at the tail;
/// - `from` is first assumed exclusive (from = top + 1). If the server is in fact inclusive, either millisecond
///   top + 1 is empty (and the answer is the same) or the page holds a message newer than `top`: that proves it,
///   the pager switches to from = top and asks again. No probe request, and correct either way;
/// - the end of a window is only ever concluded from a page that holds nothing in the window (or reaches below
///   it), never from a short page;
/// - a page whose in-window messages all share one millisecond is re-asked for that millisecond with the largest
///   count; if that is full too the millisecond overflows a page: warn, keep, move on (never a loop);
/// - each page proves (oldest timestamp in the page, top of the window] complete; the oldest millisecond may be cut
///   off by the page size, so it is the top of the next request;
/// - an undecodable message without a usable timestamp (Message::hasTimestamp false) has no place in time: it is
///   handed on (for the quarantine) but proves nothing, and a page holding nothing else in the window ends the
///   window unproven (a gap) rather than claim it.
class HistoryPager {
public:
    struct Options {
        int pageSize = 100;  ///< count asked per page (the server may cap it silently)
        int maxCount = 100;  ///< the largest count the API is known to honour; used to re-ask a millisecond
    };

    /// Counters for progress lines and tests.
    struct Stats {
        std::uint64_t requests = 0;
        std::uint64_t pages = 0;
        std::uint64_t messages = 0;  ///< messages received (duplicates across pages included)
    };

    /// `fromInclusive`: what an earlier run found out (false = not known to be inclusive).
    HistoryPager(HistorySource& source, std::string chatId, Options options, bool fromInclusive);

    /// Brings the chat up to date: takes the head page, then fills every gap in `coverage` below the head,
    /// newest first. Messages newer than the head at the first request are left for the next run.
    void run(const CoverageSet& coverage, PageSink& sink);

    /// Re-pages the closed window (ms) newest first with exactly run()'s proofs (an edit or deletion check of
    /// archived history, issue 13), each page to sink.commitRecheck. Messages below window.lo a page carries are
    /// delivered (they may be edited) but prove nothing. Stops after `maxPages` pages (0: no limit) with the rest of
    /// the window still `remaining`. A page holding only messages without a place in time ends the window unproven
    /// (remaining nullopt, nothing further re-paged: no deletion concluded) rather than ask the same page forever.
    /// Returns whether the window is done.
    bool recheck(TimeRange window, int maxPages, RecheckSink& sink);

    const Stats& stats() const { return _stats; }
    /// The newest millisecond run() found (the top of the chat's coverage after it); none for an empty chat.
    std::optional<std::int64_t> newest() const { return _newest; }

    /// Millisecond `t` as the API serves it now, asked with the largest count and the bound semantics the pager
    /// knows (a fresh copy of archived messages, e.g. for their new media links). `sink` hears clusterOverflow and
    /// fromBoundInclusive only; nothing is committed.
    std::vector<Message> fetchMillisecond(std::int64_t t, PageSink& sink);

private:
    std::vector<Message> fetch(const HistoryRequest& request);
    /// A page whose newest millisecond is `top`, down to `to`, with `from` set for the bound semantics.
    std::vector<Message> fetchBelow(std::int64_t top, std::int64_t to, int count, PageSink& sink);
    /// One page of a window as fillWindow hands it on: its messages, what it proves, the milliseconds that overflowed
    /// a page while it was fetched, and what of the window is left after it (nullopt: the window is done).
    struct WindowPage {
        std::vector<Message> messages;
        std::vector<TimeRange> proven;
        std::vector<std::int64_t> overflowed;
        std::optional<TimeRange> remaining;
    };
    using PageDelivery = std::function<void(WindowPage)>;

    /// Fills `window` (closed, ms), each page to `deliver`. `prefetched` is a page already asked for the top of the
    /// window. Stops after `maxPages` pages (0: no limit); returns whether the window is done.
    bool fillWindow(TimeRange window, std::optional<std::vector<Message>> prefetched, PageSink& sink,
                    const PageDelivery& deliver, int maxPages = 0);
    /// Everything in millisecond `top`, asked with the largest count; warns if even that is full.
    void completeMillisecond(std::vector<Message>& page, std::int64_t top, PageSink& sink);
    /// Millisecond `t` holds at least `received` messages, a full page at the largest count: tell the sink, and
    /// remember it for the page being fetched (WindowPage::overflowed).
    void overflow(std::int64_t t, std::size_t received, PageSink& sink);

    HistorySource& _source;
    std::string _chatId;
    Options _options;
    bool _fromInclusive;
    Stats _stats;
    std::vector<std::int64_t> _overflowed;  // of the page being fetched
    std::optional<std::int64_t> _newest;
};

}  // namespace okarchive
