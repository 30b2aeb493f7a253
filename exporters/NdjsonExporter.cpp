#include "exporters/NdjsonExporter.h"

#include "exporters/ExportJob.h"
#include "exporters/MessageRecord.h"

namespace okarchive {

void NdjsonExporter::write(const Message& message) {
    _line.clear();
    appendMessageRecord(_line, message, _fidelity, _part);  // one complete document per line
    _line += '\n';
    _out.write(_line.data(), static_cast<std::streamsize>(_line.size()));
}

}  // namespace okarchive

namespace okarchive {
namespace {

class NdjsonSession : public FormatSession {
public:
    explicit NdjsonSession(const ExportRequest& r) : _fidelity(recordFidelity(r.formatOptions)) {}
    std::unique_ptr<Exporter> openPart(std::ostream& out, const ExportPart& part) override {
        return std::make_unique<NdjsonExporter>(out, _fidelity, &part);
    }

private:
    const JsonFidelity _fidelity;
};

class NdjsonFormat : public ExportFormat {
public:
    NdjsonFormat() : ExportFormat("ndjson", "ndjson") {}
    std::vector<FormatOption> options() const override { return {verbatimFormatOption()}; }

protected:
    std::unique_ptr<FormatSession> openSession(const ExportRequest& request) const override {
        return std::make_unique<NdjsonSession>(request);
    }
};

}  // namespace

const ExportFormat& ndjsonExportFormat() {
    static const NdjsonFormat format;
    return format;
}

}  // namespace okarchive
