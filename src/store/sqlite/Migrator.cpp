#include "Migrator.h"

#include <algorithm>
#include <cctype>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

#include "EmbeddedMigrations.h"
#include "store/StoreErrors.h"

namespace okarchive {

Migrator::Migrator(SQLite::Database& db, std::string path, std::vector<Migration> migrations, Env& env)
    : _db(db), _path(std::move(path)), _migrations(std::move(migrations)), _env(env) {
    std::sort(_migrations.begin(), _migrations.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
}

std::vector<Migration> Migrator::parse(const std::vector<std::pair<std::string, std::string>>& files) {
    std::vector<Migration> result;
    for (const auto& [name, sql] : files) {
        std::size_t digits = 0;
        while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits]))) ++digits;
        bool wellFormed = digits > 0 && digits <= 9 && digits < name.size() && name[digits] == '_' && name.size() > 4 &&
                          name.compare(name.size() - 4, 4, ".sql") == 0;
        if (!wellFormed) {
            throw StorageError(
                fmt::format("migration file '{}' is not named NNNN_description.sql; rename it and "
                            "rebuild okarchive",
                            name));
        }
        Migration m{std::stoi(name.substr(0, digits)), name, sql};
        if (m.version <= 0) throw StorageError(fmt::format("migration file '{}' must have a version above 0", name));
        for (const auto& other : result) {
            if (other.version == m.version) {
                throw StorageError(
                    fmt::format("migration files '{}' and '{}' share version {}; renumber one and "
                                "rebuild okarchive",
                                other.name, name, m.version));
            }
        }
        result.push_back(std::move(m));
    }
    std::sort(result.begin(), result.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    return result;
}

const std::vector<Migration>& Migrator::embedded() {
    static const std::vector<Migration> migrations = parse(embeddedMigrations());
    return migrations;
}

int Migrator::newestKnownVersion() const { return _migrations.empty() ? 0 : _migrations.back().version; }

void Migrator::ensureTable() {
    _db.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
}

std::vector<int> Migrator::appliedVersions() {
    try {
        ensureTable();
    } catch (const SQLite::Exception& e) {
        throw storageError(_path, "read the schema version", e);
    }
    return readVersions();
}

std::vector<int> Migrator::readVersions() {
    std::vector<int> versions;
    try {
        SQLite::Statement query(_db, "SELECT version FROM schema_migrations ORDER BY version");
        while (query.executeStep()) versions.push_back(query.getColumn(0).getInt());
    } catch (const SQLite::Exception& e) {
        throw storageError(_path, "read the schema version", e);
    }
    return versions;
}

void Migrator::refuseNewer(const std::vector<int>& applied) const {
    if (!applied.empty() && applied.back() > newestKnownVersion()) {
        throw StorageError(fmt::format(
            "archive {} was written by a newer okarchive (schema {}, this build knows {}); upgrade okarchive", _path,
            applied.back(), newestKnownVersion()));
    }
}

void Migrator::requireCurrent() {
    const auto applied = readVersions();
    refuseNewer(applied);
    if (applied.empty() || applied.back() < newestKnownVersion())
        throw ArchiveSchemaBehind(fmt::format(
            "archive {} has schema {} and this okarchive needs {}, which it cannot write while opening the archive "
            "read-only: run okarchive sync once as a user who may write it (that upgrades it), then read it again",
            _path, applied.empty() ? 0 : applied.back(), newestKnownVersion()));
}

int Migrator::migrate() {
    std::vector<int> applied = appliedVersions();
    refuseNewer(applied);
    int count = 0;
    for (const auto& migration : _migrations) {
        if (std::binary_search(applied.begin(), applied.end(), migration.version)) continue;
        if (apply(migration)) ++count;
    }
    return count;
}

bool Migrator::apply(const Migration& migration) {
    try {
        // IMMEDIATE: another process opening the same file at the same moment waits here, then sees our row.
        SQLite::Transaction transaction(_db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement already(_db, "SELECT 1 FROM schema_migrations WHERE version = ?");
        already.bind(1, migration.version);
        if (already.executeStep()) return false;  // applied meanwhile by another process; the transaction rolls back
        already.reset();
        _db.exec(migration.sql);
        SQLite::Statement record(_db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
        record.bind(1, migration.version);
        record.bind(2, migration.name);
        record.bind(3, _env.wallMs());
        record.exec();
        transaction.commit();
        return true;
    } catch (const SQLite::Exception& e) {
        throw storageError(_path, fmt::format("apply migration {}", migration.name), e);
    }
}

}  // namespace okarchive
