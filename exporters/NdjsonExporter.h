#pragma once

#include <ostream>
#include <string>

#include "exporters/Exporter.h"

namespace okarchive {

/// The lossless dump: one JSON record per line (see MessageRecord.h), in the cursor's order.
class NdjsonExporter : public Exporter {
public:
    explicit NdjsonExporter(std::ostream& out) : _out(out) {}
    void write(const Message& message) override;

private:
    std::ostream& _out;
    std::string _line;  // reused: no allocation per message once warmed up
};

}  // namespace okarchive
