#pragma once

#include <ostream>
#include <string>

#include "domain/JsonText.h"
#include "exporters/ExportPart.h"
#include "exporters/Exporter.h"

namespace okarchive {

/// The lossless dump: one JSON record per line (see MessageRecord.h), in the cursor's order. Valid for every strict
/// reader unless `fidelity` is Verbatim (NUL and lone surrogates then stay escapes, as archived).
class NdjsonExporter : public Exporter {
public:
    /// `part` (optional) places the media of --media=copy.
    explicit NdjsonExporter(std::ostream& out, JsonFidelity fidelity = JsonFidelity::Valid,
                            const ExportPart* part = nullptr)
        : _out(out), _fidelity(fidelity), _part(part) {}
    void write(const Message& message) override;

private:
    std::ostream& _out;
    JsonFidelity _fidelity;
    const ExportPart* _part;
    std::string _line;  // reused: no allocation per message once warmed up
};

}  // namespace okarchive
