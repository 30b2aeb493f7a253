#include "exporters/ExportJob.h"

#include <algorithm>

#include <fmt/format.h>

#include "domain/Errors.h"
#include "domain/Json.h"
#include "exporters/CsvExporter.h"
#include "exporters/ExportPart.h"
#include "exporters/HtmlExporter.h"
#include "exporters/JsonExporter.h"
#include "exporters/NdjsonExporter.h"
#include "exporters/PartitionedOutput.h"

namespace okarchive {

ExportFormat parseExportFormat(const std::string& text) {
    if (text == "ndjson") return ExportFormat::Ndjson;
    if (text == "json") return ExportFormat::Json;
    if (text == "csv") return ExportFormat::Csv;
    if (text == "html") return ExportFormat::Html;
    throw UsageError(fmt::format("unknown export format \"{}\": use ndjson, json, csv or html", text));
}

const char* exportFormatName(ExportFormat format) {
    switch (format) {
        case ExportFormat::Ndjson: return "ndjson";
        case ExportFormat::Json: return "json";
        case ExportFormat::Csv: return "csv";
        case ExportFormat::Html: return "html";
    }
    return "?";
}

namespace {

void checkFilter(const std::string& filterJson) {
    if (filterJson.empty()) return;
    try {
        auto doc = JsonDocument::parse(filterJson);
        if (!doc.root().isObject()) throw UsageError("the export filter must be a JSON object");
    } catch (const JsonParseError& e) {
        throw UsageError(fmt::format("the export filter is not valid JSON: {}", e.what()));
    }
}

/// The partitioning actually used: HTML without --partition gets 5,000-message parts, unless everything fits one
/// file (or goes to standard output).
PartitionPolicy effectivePolicy(const ExportRequest& r) {
    if (r.format == ExportFormat::Html && !r.partition.enabled() && r.outputPath != "-" &&
        r.totalMessages > kDefaultHtmlMessagesPerPart)
        return PartitionPolicy::messages(kDefaultHtmlMessagesPerPart);
    return r.partition;
}

}  // namespace

ExportSummary runExport(const ExportRequest& r) {
    if (!r.openCursor) throw UsageError("internal error: the export request has no cursor");
    if (r.outputPath.empty()) throw UsageError("--output is required: give a file path, or - for standard output");
    if (r.outputPath == "-" && r.partition.enabled())
        throw UsageError("--partition cannot be used with --output=- (standard output holds one file)");
    checkFilter(r.filterJson);

    const PartitionPolicy policy = effectivePolicy(r);
    PartitionedOutput output(PartNaming(r.outputPath, policy.enabled()));

    // What every part's exporter reads (they keep references to these).
    ExportPart part;
    part.naming = &output.naming();
    if (policy.unit == PartitionPolicy::Unit::Messages)
        part.partCount =
            static_cast<std::size_t>(std::max<std::uint64_t>(1, (r.totalMessages + policy.limit - 1) / policy.limit));
    else if (!policy.enabled())
        part.partCount = 1;
    const JsonExportHeader jsonHeader{r.chatId, r.chatTitle, r.chatType, r.filterJson.empty() ? "{}" : r.filterJson,
                                      r.exportedAtMs};
    const CsvOptions csvOptions{&r.timeZone, r.excel, r.rawCsv};
    HtmlOptions htmlOptions;
    htmlOptions.timeZone = &r.timeZone;
    htmlOptions.chatId = r.chatId;
    htmlOptions.chatTitle = r.chatTitle;
    htmlOptions.exportedAtMs = r.exportedAtMs;
    htmlOptions.replies = r.replies;
    htmlOptions.userName = r.userName;
    HtmlPartStarts partStarts;

    std::unique_ptr<Exporter> exporter;
    std::uint64_t written = 0, inPart = 0, lastMessageBytes = 0;
    auto startPart = [&] {
        std::ostream& stream = output.openPart();
        part.number = output.partCount();
        part.firstIndex = written;
        part.previousFile = part.number > 1 ? output.naming().fileName(part.number - 1) : std::string();
        part.nextFile.clear();
        if (policy.unit == PartitionPolicy::Unit::Messages)
            part.messageCount = written < r.totalMessages ? std::min(policy.limit, r.totalMessages - written) : 0;
        else if (!policy.enabled())
            part.messageCount = r.totalMessages;
        else
            part.messageCount.reset();  // size-limited: unknown until the part is closed
        switch (r.format) {
            case ExportFormat::Ndjson: exporter = std::make_unique<NdjsonExporter>(stream); break;
            case ExportFormat::Json: exporter = std::make_unique<JsonExporter>(stream, jsonHeader, part); break;
            case ExportFormat::Csv: exporter = std::make_unique<CsvExporter>(stream, csvOptions); break;
            case ExportFormat::Html:
                exporter = std::make_unique<HtmlExporter>(stream, htmlOptions, part, partStarts);
                break;
        }
        exporter->begin();
        inPart = 0;
    };
    // Size-limited parts close before a message when the part already holds one and adding another message of the
    // previous one's size would pass the limit: parts stay near the limit and never empty.
    auto partIsFull = [&] {
        if (inPart == 0) return false;
        switch (policy.unit) {
            case PartitionPolicy::Unit::None: return false;
            case PartitionPolicy::Unit::Messages: return inPart >= policy.limit;
            case PartitionPolicy::Unit::Bytes:
                return output.currentPartBytes() + exporter->pendingBytes() + lastMessageBytes > policy.limit;
        }
        return false;
    };

    startPart();
    auto cursor = r.openCursor();
    while (cursor->next()) {
        if (partIsFull()) {
            part.nextFile = output.naming().fileName(part.number + 1);
            exporter->end();
            startPart();
        }
        const std::uint64_t before = output.currentPartBytes() + exporter->pendingBytes();
        exporter->write(cursor->current());
        lastMessageBytes = output.currentPartBytes() + exporter->pendingBytes() - before;
        ++written;
        ++inPart;
        if (r.progress && written % 1024 == 0) r.progress(written);
    }
    exporter->end();
    cursor.reset();
    output.commit();
    if (r.progress) r.progress(written);
    return {output.paths(), written};
}

}  // namespace okarchive
