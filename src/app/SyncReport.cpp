#include "app/SyncReport.h"

#include <unistd.h>

#include <fmt/format.h>

#include "app/TerminalProgress.h"
#include "domain/InertText.h"

namespace okarchive {

std::vector<ChatSyncResult> runSyncWithReport(SyncRunner& runner, std::ostream& out, std::ostream& err,
                                              const Env& env) {
    TerminalProgress progress(err, STDERR_FILENO, env);
    auto onProgress = [&](const SyncProgress& p) {
        progress.update(fmt::format("{}  {} pages  {} new messages  {:.0f} msg/s", inertText(p.chatId), p.pages,
                                    p.messagesNew, p.seconds > 0 ? p.messagesNew / p.seconds : 0.0));
    };
    auto onResult = [&](const ChatSyncResult& r) {
        progress.clear();
        if (r.ok) {
            out << fmt::format("{}  ok  {} new, {} revised{}, {} archived, {} requests, {:.1f} s{}\n",
                               inertText(r.chatId), r.messagesNew, r.messagesRevised, describeRecheck(r),
                               r.messagesTotal, r.requests, r.seconds, describeMedia(r.media));
        } else {
            out << fmt::format("{}  FAILED  {} ({} new messages kept{})\n", inertText(r.chatId), inertText(r.error),
                               r.messagesNew, describeMedia(r.media));
            err << fmt::format("okarchive sync: {} failed: {}\n", inertText(r.chatId), inertText(r.error));
        }
        for (const auto& w : r.warnings) err << "okarchive sync: warning: " << inertText(w) << "\n";
        out.flush();
    };
    try {
        return runner.run(onProgress, onResult);
    } catch (...) {
        progress.clear();
        throw;
    }
}

}  // namespace okarchive
