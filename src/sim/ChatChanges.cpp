#include "sim/ChatChanges.h"

#include <utility>

namespace okarchive::sim {

void ChatChanges::edit(std::size_t index, const SimMessage& current, std::optional<std::string> text,
                       bool dropAttachments, std::int64_t nowMs) {
    auto& edit = _edits[index];
    ++edit.count;
    _log.push_back({index, "edit", nowMs, current.text});
    edit.text = text ? std::move(text) : std::optional<std::string>((current.text ? *current.text : std::string()) +
                                                                    " (edited " + std::to_string(edit.count) + ")");
    edit.dropAttachments = edit.dropAttachments || dropAttachments;
}

bool ChatChanges::setDeleted(std::size_t index, bool deleted, std::int64_t nowMs) {
    const bool changed = deleted ? _deleted.insert(index).second : _deleted.erase(index) == 1;
    if (changed) _log.push_back({index, deleted ? "delete" : "undelete", nowMs, std::nullopt});
    return changed;
}

void ChatChanges::apply(std::size_t index, SimMessage& message) const {
    if (_edits.empty()) return;
    const auto it = _edits.find(index);
    if (it == _edits.end()) return;
    message.text = it->second.text;
    if (it->second.dropAttachments) {
        message.attachment.reset();
        if (message.attachments) message.attachments->clear();
    }
}

}  // namespace okarchive::sim
