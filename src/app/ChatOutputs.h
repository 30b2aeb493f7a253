#pragma once

#include <cstddef>
#include <string>

namespace okarchive {

/// Where the files of `chatId` go: `output` itself for one chat; with several, each chat gets its own
/// STEM.<chat id>.EXT beside it (export and report name their files alike).
std::string outputForChat(const std::string& output, const std::string& chatId, bool severalChats);

/// Throws UsageError if `chats` (more than one) would share standard output (--output=-).
void requireOutputPerChat(const std::string& output, std::size_t chats);

}  // namespace okarchive
