#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace okarchive::sim {

/// Everyday chat texts (Russian, English, mixed; some with URLs, emoji, Cyrillic).
const std::vector<std::string_view>& ordinaryTexts();

/// Texts meant to break exporters and viewers: HTML, CSV formulas, NUL and other controls, RTL, emoji, long words.
/// None of them is a lone surrogate or 100 KB long (those two appear once per chat at fixed places).
const std::vector<std::string_view>& hostileTexts();

/// A text holding a lone surrogate (stored as ED A0 80, sent as \ud800).
std::string_view loneSurrogateText();

/// A 100 KB (102,400 bytes) text of Cyrillic and Latin words with newlines.
const std::string& hundredKilobyteText();

/// Display names for the 30 users of the dataset (some hostile).
const std::vector<std::string_view>& userNames();

/// New names for the users who get renamed part-way through the year; index i renames user renamedUsers()[i].
const std::vector<std::string_view>& renamedNames();

/// Which users (indexes into userNames()) are renamed.
const std::vector<std::size_t>& renamedUsers();

/// Titles given to chats configured without one (one hostile).
const std::vector<std::string_view>& chatTitles();

/// Known service kinds plus one unknown future kind.
const std::vector<std::string_view>& serviceKinds();

/// URLs that must never become live links: javascript:, data:, spaces, quotes.
const std::vector<std::string_view>& hostileUrls();

}  // namespace okarchive::sim
