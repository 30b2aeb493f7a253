#pragma once

#include <vector>

#include "app/Commands.h"
#include "exporters/ExportFormats.h"

namespace okarchive {

/// `general` followed by each format's own option (CSV's --excel), labelled with its format; an option two formats
/// declare is listed once. Throws std::logic_error (a programming error) when a format's option has the name of a
/// general option, which would otherwise shadow it silently.
std::vector<OptionSpec> withFormatOptions(std::vector<OptionSpec> general,
                                          const std::vector<FormatOptionEntry>& formatOptions);

}  // namespace okarchive
