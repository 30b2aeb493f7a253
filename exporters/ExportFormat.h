#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "exporters/ExportPart.h"
#include "exporters/Exporter.h"
#include "exporters/PartIndex.h"

namespace okarchive {

struct ExportRequest;

/// One format-only command-line option (CSV's --excel): declared by its format, validated by it.
struct FormatOption {
    std::string name;      ///< without the dashes: "excel"
    std::string argument;  ///< the argument's placeholder ("N"); empty for a flag
    std::string help;      ///< one line for --help
};

/// Format-only options as the command line gave them: name (without dashes) -> argument ("" for a flag).
using FormatOptionValues = std::map<std::string, std::string>;

/// One export in one format (DuckDB's bind data and global state): made by ExportFormat::bind before the first part,
/// it opens the exporter of every part and holds what the parts share. Lives until the export ends.
class FormatSession {
public:
    virtual ~FormatSession() = default;
    /// The exporter of the next part, writing to `out`. Both `out` and `part` outlive the exporter.
    virtual std::unique_ptr<Exporter> openPart(std::ostream& out, const ExportPart& part) = 0;
};

/// An export format (DuckDB's copy function is the model): its name, extension and options, and the binding of a
/// request into a session that writes the parts (begin, write per message, end: see Exporter). Formats are listed in
/// ExportFormats.cpp; the export driver knows none of them by name.
class ExportFormat {
public:
    ExportFormat(std::string_view name, std::string_view extension) : _name(name), _extension(extension) {}
    virtual ~ExportFormat() = default;
    std::string_view name() const { return _name; }            ///< --format=NAME
    std::string_view extension() const { return _extension; }  ///< the file extension, without the dot
    virtual std::vector<FormatOption> options() const { return {}; }
    /// Messages per part when no --partition was given and the export holds more (0: always one file).
    virtual std::uint64_t defaultMessagesPerPart() const { return 0; }
    /// What lists the parts of a partitioned export at the output path: a JSON manifest unless the format says.
    virtual PartIndexFormat partIndex() const { return PartIndexFormat::JsonManifest; }

    /// Throws UsageError naming the first option this format does not take (and the formats that take it), a flag
    /// given an argument or an option missing its argument. Formats with finer rules extend it.
    virtual void validate(const FormatOptionValues& values) const;
    /// Validates the request's format options, then binds what the format needs from `request` (which outlives the
    /// session). Throws UsageError for a bad option.
    std::unique_ptr<FormatSession> bind(const ExportRequest& request) const;

    bool hasOption(std::string_view optionName) const;  ///< whether options() declares it

protected:
    /// The session of one export whose options were validated.
    virtual std::unique_ptr<FormatSession> openSession(const ExportRequest& request) const = 0;

private:
    std::string_view _name, _extension;  // string literals
};

}  // namespace okarchive
