// Issue 13 in progress: the interface is in place; the implementation lands with the store's migration 0006.
#include <stdexcept>

#include "store/sqlite/SqliteArchive.h"
#include "store/sqlite/SqliteReader.h"

namespace okarchive {
namespace {
[[noreturn]] void notYet(const char* what) { throw std::logic_error(std::string(what) + ": not implemented yet"); }
}  // namespace

PageWriteResult SqliteArchive::commitRecheckPage(const std::string&, const std::vector<Message>&,
                                                 const std::vector<TimeRange>&, const RecheckStep&) {
    notYet("commitRecheckPage");
}
void SqliteArchive::startRecheck(const std::string&, TimeRange) { notYet("startRecheck"); }
RecheckState SqliteArchive::recheckState(const std::string&) { notYet("recheckState"); }
void SqliteReader::forEachChange(const StatsRange&,
                                 const std::function<void(std::int64_t, std::string_view, ChangeKind)>&) {
    notYet("forEachChange");
}

}  // namespace okarchive
