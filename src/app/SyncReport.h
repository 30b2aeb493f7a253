#pragma once

#include <ostream>
#include <vector>

#include "sync/SyncRunner.h"

namespace okarchive {

/// Runs `runner` with a progress line on a terminal and one final line per chat on `out` (failures and
/// warnings also on `err`). An AuthError propagates after the lines of the chats already done.
std::vector<ChatSyncResult> runSyncWithReport(SyncRunner& runner, std::ostream& out, std::ostream& err, const Env& env);

}  // namespace okarchive
