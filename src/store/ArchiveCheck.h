#pragma once

#include <string>
#include <vector>

namespace okarchive {

/// One problem `checkArchive` found: which check, the chat it concerns (empty if none), where (a row, a range, a
/// mid; empty if nowhere in particular) and what is wrong.
struct ArchiveProblem {
    std::string check;  ///< integrity, schema, foreign-keys, coverage, consistency, media
    std::string chatId;
    std::string where;
    std::string what;
};

/// Every problem of the archive at `archivePath`, empty when it is healthy: the backend's own integrity check, foreign
/// keys, the schema version against the newest this build knows (newer: written by a newer okarchive; older: not
/// migrated), the coverage invariants (per chat: non-empty, disjoint and merged ranges, a known chat, reaching no
/// further than its newest archived message), the consistency the schema implies and the media ledger's (a saved
/// entry has a 64-hex SHA-256 and a size; known states; entries of archived attachments). Reads one snapshot, opens the
/// archive read-only and writes nothing (no migration either), beside a running sync or serve. A check that cannot
/// run (a damaged file) is itself a problem. Throws UsageError when no archive exists at `archivePath`.
std::vector<ArchiveProblem> checkArchive(const std::string& archivePath);

}  // namespace okarchive
