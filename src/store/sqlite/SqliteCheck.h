#pragma once

#include <string>
#include <vector>

#include "store/ArchiveCheck.h"

namespace okarchive {

/// checkArchive for a SQLite archive: every check in one read transaction of a read-only connection.
std::vector<ArchiveProblem> checkSqliteArchive(const std::string& archivePath);

}  // namespace okarchive
