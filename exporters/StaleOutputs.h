#pragma once

#include <string>

namespace okarchive {

/// The hidden temporary file of `target` while it is written: ".NAME.tmp-XXXXXXXX" beside it.
std::string temporaryNameFor(const std::string& fileName, unsigned random);
/// The hidden directory of one partitioned export's parts: ".NAME.parts-<16 hex digits>" beside NAME.
std::string generationNameFor(const std::string& fileName, unsigned long long generation);

/// Whether the open file `fd` still is the file at `path` (not followed if a link): a sweeper may have removed a new
/// temporary file or generation directory between its creation and its writer's lock.
bool isOpenFileAt(int fd, const std::string& path);

/// Takes an exclusive flock on `fd` without waiting; false when another open file holds it (a live writer).
bool tryLockExclusive(int fd);

/// Removes what dead writers of `target` left beside it: its temporaries and its part generations that no live
/// writer holds (every writer holds an flock on its temporary file or generation directory while it works), except
/// the generation the current `target` (an index or manifest) names. Best effort: what cannot be removed stays.
void sweepStaleOutputs(const std::string& target);

}  // namespace okarchive
