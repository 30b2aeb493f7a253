#include <cstdlib>
#include <stdexcept>

#include "contract/ArchiveContract.h"
#include "unit/store/StoreTestSupport.h"

namespace okarchive::contract {
namespace {

/// A SQLite file in a temporary directory.
class SqliteBackend : public Backend {
public:
    std::unique_ptr<Archive> open(Env& env) override { return openArchive(_dir.file("contract.db"), env); }
    std::unique_ptr<Archive> openReadOnly() override {
        return openArchive(_dir.file("contract.db"), Env::system(), ArchiveMode::ReadOnly);
    }

private:
    test::TempDir _dir;
};

}  // namespace

std::unique_ptr<Backend> freshBackend() {
    const char* chosen = std::getenv("OKARCHIVE_CONTRACT_BACKEND");
    const std::string name = chosen && *chosen ? chosen : "sqlite";
    if (name == "sqlite") return std::make_unique<SqliteBackend>();
    throw std::invalid_argument("OKARCHIVE_CONTRACT_BACKEND: no backend named '" + name + "'");
}

std::vector<Message> readAll(MessageReader& reader, const MessageQuery& query) {
    std::vector<Message> out;
    auto cursor = reader.openCursor(query);
    while (cursor->next()) out.push_back(cursor->current());
    return out;
}

std::vector<std::string> mids(const std::vector<Message>& messages) {
    std::vector<std::string> out;
    for (const auto& m : messages) out.push_back(m.mid);
    return out;
}

}  // namespace okarchive::contract
