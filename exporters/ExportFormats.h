#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporters/ExportFormat.h"

namespace okarchive {

/// Every built-in format, in the order help and the demo list them (ndjson, json, csv, html).
const std::vector<const ExportFormat*>& exportFormats();

/// The format named `name`, or nullptr.
const ExportFormat* findExportFormat(std::string_view name);

/// The format named `name`; throws UsageError naming the text and listing the formats.
const ExportFormat& exportFormat(std::string_view name);

/// The format names for messages: "ndjson, json, csv or html".
std::string exportFormatNames();

/// A format-only option and the format that declares it.
struct FormatOptionEntry {
    std::string format;  ///< the format's name
    FormatOption option;
};

/// Every format's options, by format in registry order, for the export command to declare (an option two formats
/// share appears once per format).
std::vector<FormatOptionEntry> exportFormatOptions();

}  // namespace okarchive
