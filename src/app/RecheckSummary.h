#pragma once

#include <string>

#include "store/RunLog.h"

namespace okarchive {

/// `status`'s lines on a chat's observed changes (issue 13), each "  NAME       text\n": "changes" (earlier versions
/// kept, messages marked deleted) and "re-check" (the last complete pass, or the one in progress and what it still
/// has to re-page, in message time).
std::string recheckLines(const ChatStatus& chat);

}  // namespace okarchive
