#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "domain/TimeRange.h"

namespace okarchive {

/// How much already-archived history a sync re-checks for edits and deletions (sync.recheck, issue 13), counted back
/// in message time from the chat's newest archived message.
/// Default: off (the settings' default, 7d, is config/okarchive.ini's and Settings').
struct RecheckSpan {
    enum class Kind { Off, Window, All };
    Kind kind = Kind::Off;
    std::chrono::milliseconds window{0};  ///< Window: how far back from the newest message

    /// The pass this span asks for a chat whose newest archived message is at `newest` (ms): [newest - window,
    /// newest], all: [0, newest]; nothing when off.
    std::optional<TimeRange> over(std::int64_t newest) const;
    bool operator==(const RecheckSpan&) const = default;
};

/// Parses "0" (off), "all" or a duration ("7d", "30d", "12h"); a UsageError names `where` (a setting or an option).
RecheckSpan parseRecheckSpan(const std::string& text, const std::string& where);

/// The re-check of every chat of a run (`sync`, or one turn of `serve`).
struct RecheckSettings {
    RecheckSpan span;                              ///< sync.recheck
    std::map<std::string, RecheckSpan> overrides;  ///< sync.recheck.chat:ID
    /// `sync --recheck=...`: this span for every chat and a fresh pass, whatever pass is open.
    std::optional<RecheckSpan> forced;
    int maxPages = 0;  ///< pages of a pass per run (serve: sync.recheck_pages); 0 = to the end

    RecheckSpan spanFor(const std::string& chatId) const;
};

/// One chat's re-check in one run (ChatSync::setRecheck).
struct RecheckPlan {
    RecheckSpan span;
    bool fresh = false;  ///< open a new pass even if one is open (--recheck)
    int maxPages = 0;    ///< 0 = to the end

    static RecheckPlan of(const RecheckSettings& settings, const std::string& chatId) {
        return {settings.forced.value_or(settings.spanFor(chatId)), settings.forced.has_value(), settings.maxPages};
    }
};

}  // namespace okarchive
