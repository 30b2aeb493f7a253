#include "exporters/Exporter.h"

namespace okarchive {

std::uint64_t exportMessages(MessageCursor& cursor, Exporter& exporter) {
    std::uint64_t count = 0;
    exporter.begin();
    while (cursor.next()) {
        exporter.write(cursor.current());
        ++count;
    }
    exporter.end();
    return count;
}

}  // namespace okarchive
