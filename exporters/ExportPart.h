#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "exporters/PartNaming.h"

namespace okarchive {

class ExportMediaFiles;

/// What a format needs to know about the file it is writing. Owned by the export driver, which fills in
/// `nextFile` before calling the exporter's end() when another part follows.
struct ExportPart {
    const PartNaming* naming = nullptr;         ///< names of every part (for links between parts)
    std::size_t number = 1;                     ///< 1-based
    std::optional<std::size_t> partCount;       ///< known up front for message-count parts (from the declared total)
    std::optional<std::uint64_t> messageCount;  ///< messages this part will hold, if known before it is written
    std::uint64_t firstIndex = 0;               ///< 0-based position of the part's first message in the export
    std::string previousFile;                   ///< file name of the previous part, empty for the first
    std::string nextFile;                       ///< file name of the next part; empty until known (or if last)
    ExportMediaFiles* media = nullptr;          ///< the export's media (--media); nullptr: links (ExportMedia.h)

    bool partitioned() const { return naming && naming->partitioned(); }
};

}  // namespace okarchive
