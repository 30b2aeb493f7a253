#include "exporters/ExportFormats.h"

#include <algorithm>

#include <fmt/format.h>

#include "domain/Errors.h"
#include "domain/TextFold.h"
#include "exporters/ExportJob.h"

namespace okarchive {

// The built-in formats, each defined in its own exporter file. They are listed here explicitly rather than
// registered by static constructors: the exporters are a static library, whose unreferenced self-registering objects
// the linker would drop, and one list gives help and the demo a fixed order. A new format is one file plus one line.
const ExportFormat& ndjsonExportFormat();
const ExportFormat& jsonExportFormat();
const ExportFormat& csvExportFormat();
const ExportFormat& htmlExportFormat();
const ExportFormat& telegramJsonExportFormat();
const ExportFormat& txtExportFormat();

const std::vector<const ExportFormat*>& exportFormats() {
    static const std::vector<const ExportFormat*> formats = {&ndjsonExportFormat(),       &jsonExportFormat(),
                                                             &csvExportFormat(),          &htmlExportFormat(),
                                                             &telegramJsonExportFormat(), &txtExportFormat()};
    return formats;
}

const ExportFormat* findExportFormat(std::string_view name) {
    for (const ExportFormat* format : exportFormats())
        if (equalsIgnoringAsciiCase(format->name(), name)) return format;
    return nullptr;
}

const ExportFormat& exportFormat(std::string_view name) {
    if (const ExportFormat* format = findExportFormat(name)) return *format;
    throw UsageError(fmt::format("unknown export format \"{}\": use {}", name, exportFormatNames()));
}

std::string exportFormatNames() {
    std::string names;
    const auto& formats = exportFormats();
    for (std::size_t i = 0; i < formats.size(); ++i) {
        if (i) names += i + 1 == formats.size() ? " or " : ", ";
        names += formats[i]->name();
    }
    return names;
}

std::vector<FormatOptionEntry> exportFormatOptions() {
    std::vector<FormatOptionEntry> entries;
    for (const ExportFormat* format : exportFormats())
        for (auto& option : format->options()) entries.push_back({std::string(format->name()), std::move(option)});
    return entries;
}

namespace {

/// "--format=csv" or "--format=csv or --format=html": the formats that declare `option`.
std::string formatsTaking(std::string_view option) {
    std::string list;
    for (const ExportFormat* format : exportFormats())
        if (format->hasOption(option)) list += fmt::format("{}--format={}", list.empty() ? "" : " or ", format->name());
    return list;
}

}  // namespace

std::unique_ptr<FormatSession> ExportFormat::bind(const ExportRequest& request) const {
    validate(request.formatOptions);
    return openSession(request);
}

bool ExportFormat::hasOption(std::string_view optionName) const {
    for (const auto& option : options())
        if (option.name == optionName) return true;
    return false;
}

void ExportFormat::validate(const FormatOptionValues& values) const {
    const auto declared = options();
    for (const auto& [name, value] : values) {
        auto it = std::find_if(declared.begin(), declared.end(), [&](const FormatOption& o) { return o.name == name; });
        if (it == declared.end()) {
            const std::string others = formatsTaking(name);
            if (others.empty()) throw UsageError(fmt::format("--{} is not an export option", name));
            throw UsageError(fmt::format("--{} applies to {} only, not --format={}", name, others, this->name()));
        }
        if (it->argument.empty() && !value.empty())
            throw UsageError(fmt::format("--{} takes no value (got '{}')", name, value));
        if (!it->argument.empty() && value.empty())
            throw UsageError(fmt::format("--{} needs a value: --{}={}", name, name, it->argument));
    }
}

}  // namespace okarchive
