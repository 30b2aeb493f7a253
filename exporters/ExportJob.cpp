#include "exporters/ExportJob.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "domain/Env.h"
#include "domain/Errors.h"
#include "domain/Json.h"
#include "exporters/ExportFormats.h"
#include "exporters/ExportPart.h"
#include "exporters/AtomicOutputFile.h"
#include "exporters/PartitionedOutput.h"
#include "exporters/ProtectedPaths.h"

namespace okarchive {
namespace {

void checkRequest(const ExportRequest& r) {
    if (!r.openCursor) throw UsageError("internal error: the export request has no cursor");
    if (r.outputPath.empty()) throw UsageError("--output is required: give a file path, or - for standard output");
    const bool partitioned = r.partition && r.partition->enabled();
    if (r.outputPath == "-" && partitioned)
        throw UsageError("--partition cannot be used with --output=- (standard output holds one file)");
    if (partitioned && isSpecialFile(r.outputPath))
        throw UsageError(fmt::format("--partition needs a file as --output: {} is a device or a pipe", r.outputPath));
    if (r.protectedPaths) r.protectedPaths->check(r.outputPath);
    std::error_code ec;
    if (r.outputPath != "-" && std::filesystem::is_directory(r.outputPath, ec))
        throw Error(fmt::format("cannot write {}: it is a directory; give a file name", r.outputPath));
    if (r.filterJson.empty()) return;
    try {
        auto doc = JsonDocument::parse(r.filterJson);
        if (!doc.root().isObject()) throw UsageError("the export filter must be a JSON object");
    } catch (const JsonParseError& e) {
        throw UsageError(fmt::format("the export filter is not valid JSON: {}", e.what()));
    }
}

/// The partitioning actually used: without --partition a format may split into parts of its default size, unless
/// everything fits one file (or goes to standard output, a device or a pipe); --partition=none is one file. Message-
/// count parts of which one holds everything are no partitioning: the one file is exactly the output path.
PartitionPolicy effectivePolicy(const ExportRequest& r, const ExportFormat& format) {
    const std::uint64_t perPart = format.defaultMessagesPerPart();
    if (perPart > 0 && !r.partition && r.outputPath != "-" && !isSpecialFile(r.outputPath) && r.totalMessages > perPart)
        return PartitionPolicy::messages(perPart);
    const PartitionPolicy given = r.partition.value_or(PartitionPolicy::none());
    if (given.unit == PartitionPolicy::Unit::Messages && r.totalMessages <= given.limit) return {};
    return given;
}

/// What the index of a partitioned set says about the chat.
PartIndex indexAbout(const ExportRequest& r) {
    PartIndex index;
    index.chatId = r.chatId;
    index.chatTitle = r.chatTitle;
    index.locale = r.locale;
    return index;
}

/// One export's run over its parts: opens each part's exporter through the format's session, closes parts when
/// the policy says they are full, and commits every file at the end.
class ExportDriver {
public:
    ExportDriver(const ExportRequest& r, const ExportFormat& format)
        : _r(r),
          _policy(effectivePolicy(r, format)),
          _output(PartNaming(resolvedOutputPath(r.outputPath), _policy.enabled()),
                  {.guard = r.protectedPaths, .cancellation = r.cancellation}, format.partIndex(), indexAbout(r)),
          _media(r.media, _output.naming().basePath(), r.protectedPaths),
          _session(format.bind(r)) {
        _part.naming = &_output.naming();
        _part.media = &_media;
        if (_policy.unit == PartitionPolicy::Unit::Messages)
            _part.partCount = static_cast<std::size_t>(
                std::max<std::uint64_t>(1, (r.totalMessages + _policy.limit - 1) / _policy.limit));
        else if (!_policy.enabled())
            _part.partCount = 1;
    }

    ExportSummary run() {
        startPart();
        auto cursor = _r.openCursor();
        while (!_stream->fail() && cursor->next()) {  // a failed write (a closed pipe) ends it: commit says why
            throwIfCancelled();
            if (partIsFull()) {
                _part.nextFile = _output.naming().fileName(_part.number + 1);
                _exporter->end();
                startPart();
            }
            write(cursor->current());
        }
        if (!_stream->fail()) _exporter->end();
        cursor.reset();
        throwIfCancelled();
        _media.finish();  // every media file is in place before the output that shows it
        _output.commit();
        _media.sweep();
        if (_r.progress) _r.progress(_written);
        const auto placed = _media.filesPlaced();
        return {_output.paths(), _written, _policy.enabled() ? _output.naming().basePath() : std::string(), placed,
                placed ? _media.folder() : std::string()};
    }

private:
    void throwIfCancelled() const {
        if (_r.cancellation && _r.cancellation->cancelled())
            throw Cancelled(fmt::format("the export to {} was stopped before it was complete; nothing was replaced",
                                        _r.outputPath));
    }

    void startPart() {
        _stream = &_output.openPart();
        _part.number = _output.partCount();
        _part.firstIndex = _written;
        _part.previousFile = _part.number > 1 ? _output.naming().fileName(_part.number - 1) : std::string();
        _part.nextFile.clear();
        if (_policy.unit == PartitionPolicy::Unit::Messages)
            _part.messageCount = _written < _r.totalMessages ? std::min(_policy.limit, _r.totalMessages - _written) : 0;
        else if (!_policy.enabled())
            _part.messageCount = _r.totalMessages;
        else
            _part.messageCount.reset();  // size-limited: unknown until the part is closed
        _exporter = _session->openPart(*_stream, _part);
        _exporter->begin();
        _inPart = 0;
    }

    /// Size-limited parts close before a message when the part already holds one and adding another message of the
    /// previous one's size would pass the limit: parts stay near the limit and never empty.
    bool partIsFull() const {
        if (_inPart == 0) return false;
        switch (_policy.unit) {
            case PartitionPolicy::Unit::None: return false;
            case PartitionPolicy::Unit::Messages: return _inPart >= _policy.limit;
            case PartitionPolicy::Unit::Bytes:
                return _output.currentPartBytes() + _exporter->pendingBytes() + _lastMessageBytes > _policy.limit;
        }
        return false;
    }

    void write(const Message& message) {
        const std::uint64_t before = _output.currentPartBytes() + _exporter->pendingBytes();
        _exporter->write(message);
        _output.noteMessage(message.timestamp);
        _lastMessageBytes = _output.currentPartBytes() + _exporter->pendingBytes() - before;
        ++_written;
        ++_inPart;
        if (_r.progress && _written % 1024 == 0) _r.progress(_written);
    }

    const ExportRequest& _r;
    const PartitionPolicy _policy;
    PartitionedOutput _output;
    ExportMediaFiles _media;
    std::unique_ptr<FormatSession> _session;
    ExportPart _part;  // what every part's exporter reads (it keeps a reference)
    std::unique_ptr<Exporter> _exporter;
    std::ostream* _stream = nullptr;  // the open part's
    std::uint64_t _written = 0, _inPart = 0, _lastMessageBytes = 0;
};

}  // namespace

ExportSummary runExport(const ExportRequest& r) {
    const ExportFormat& format = exportFormat(r.format);
    checkRequest(r);
    format.validate(r.formatOptions);  // before any file is created
    return ExportDriver(r, format).run();
}

}  // namespace okarchive
