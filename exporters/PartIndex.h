#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/Locale.h"

namespace okarchive {

/// What the index or manifest of a partitioned export lists about one part.
struct PartEntry {
    std::string link;          ///< relative to the index: ".NAME.parts-GEN/STEM.part-0001.EXT"
    std::int64_t firstMs = 0;  ///< timestamp of its first message (0 when it holds none)
    std::int64_t lastMs = 0;   ///< timestamp of its last message
    std::uint64_t messages = 0;
};

/// The whole set: its generation directory (named first in the file, so a sweeper finds it in the first bytes),
/// the chat and every part in order.
struct PartIndex {
    std::string generation;
    std::string chatId;
    std::string chatTitle;
    std::vector<PartEntry> parts;
    Locale locale = Locale::English;  ///< the language of the HTML page
};

enum class PartIndexFormat { JsonManifest, HtmlPage };

/// The manifest `{"generation":...,"chat_id":...,"parts":[{"file":...,"first":...,"last":...,"messages":N}]}`
/// (times ISO 8601 UTC, null for an empty part) or an HTML page linking every part with its dates and count.
std::string partIndexText(const PartIndex& index, PartIndexFormat format);

}  // namespace okarchive
