#pragma once

#include <string>
#include <vector>

namespace okarchive {

/// The OKARCHIVE_* environment variables okarchive reads: OKARCHIVE_CONFIG, OKARCHIVE_ACCESS_TOKEN and
/// environmentNameFor(key) of every setting.
std::vector<std::string> knownEnvironmentNames();

/// One warning per name in `names` that starts with OKARCHIVE_ but is neither read by okarchive nor one its own
/// scripts and tests use (OKARCHIVE_BUILD_DIR, OKARCHIVE_BIN, ...): it names the variable and, when one is close
/// (edit distance), the known name meant, e.g. "unknown environment variable OKARCHIVE_SYNC_PAGESIZE (did you mean
/// OKARCHIVE_SYNC_PAGE_SIZE?)". Never the value (it may be a token).
std::vector<std::string> unknownEnvironmentWarnings(const std::vector<std::string>& names);

/// unknownEnvironmentWarnings() of this process's environment.
std::vector<std::string> environmentWarnings();

}  // namespace okarchive
