#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sim/SimMessage.h"

namespace okarchive::sim {

/// What happened to one chat's messages after they were generated (issue 13): edits (a new text, attachments
/// dropped) and deletions, each with the simulator's wall time, so the truth can list every version and deletion.
/// Not thread-safe (Dataset locks).
class ChatChanges {
public:
    /// One entry of the chat's change log, in the order they happened.
    struct Record {
        std::size_t index = 0;           ///< the message's position in the timeline
        std::string kind;                ///< "edit", "delete" or "undelete"
        std::int64_t atMs = 0;           ///< the simulator's wall time
        std::optional<std::string> textBefore;  ///< edit: the text of the version it replaced
    };

    /// Records an edit of the message at `index` whose current content is `current`: its text becomes `text`, its
    /// attachments are dropped when `dropAttachments`.
    void edit(std::size_t index, const SimMessage& current, std::optional<std::string> text, bool dropAttachments,
              std::int64_t nowMs);
    /// Deletes (or brings back) the message at `index`; false when it already was (was not).
    bool setDeleted(std::size_t index, bool deleted, std::int64_t nowMs);

    bool deleted(std::size_t index) const { return !_deleted.empty() && _deleted.count(index) != 0; }
    /// `message` (the generated content of `index`) as it is now: edits applied.
    void apply(std::size_t index, SimMessage& message) const;
    const std::vector<Record>& log() const { return _log; }

private:
    struct Edit {
        std::optional<std::string> text;
        bool dropAttachments = false;
        int count = 0;
    };
    std::unordered_map<std::size_t, Edit> _edits;
    std::unordered_set<std::size_t> _deleted;
    std::vector<Record> _log;
};

}  // namespace okarchive::sim
