#include "exporters/NdjsonExporter.h"

#include "exporters/MessageRecord.h"

namespace okarchive {

void NdjsonExporter::write(const Message& message) {
    _line.clear();
    appendMessageRecord(_line, message);  // one complete document per line
    _line += '\n';
    _out.write(_line.data(), static_cast<std::streamsize>(_line.size()));
}

}  // namespace okarchive
