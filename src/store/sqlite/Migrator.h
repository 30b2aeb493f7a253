#pragma once

#include <string>
#include <utility>
#include <vector>

#include "domain/Env.h"

namespace SQLite {
class Database;
}

namespace okarchive {

/// One schema step: migrations/NNNN_name.sql.
struct Migration {
    int version = 0;   ///< NNNN
    std::string name;  ///< the file name
    std::string sql;
};

/// Brings a database to the newest schema: applies the numbered migrations it lacks in ascending order, each in its
/// own transaction together with its row in schema_migrations(version, name, applied_at). Refuses a database
/// recorded with a version newer than any migration it knows (written by a newer okarchive).
class Migrator {
public:
    /// `path` only names the file in error messages; `env` stamps applied_at.
    Migrator(SQLite::Database& db, std::string path, std::vector<Migration> migrations, Env& env = Env::system());

    /// Parses (file name, SQL) pairs; names must read NNNN_something.sql with distinct NNNN. Sorted by version.
    static std::vector<Migration> parse(const std::vector<std::pair<std::string, std::string>>& files);
    static const std::vector<Migration>& embedded();  ///< the migrations built into this binary

    int newestKnownVersion() const;      ///< 0 if none
    std::vector<int> appliedVersions();  ///< ascending; empty for a fresh database
    int migrate();                       ///< applies pending migrations; returns how many; throws StorageError
    /// For a read-only connection: writes nothing, throws StorageError unless the schema is exactly the newest known.
    void requireCurrent();

private:
    void ensureTable();
    std::vector<int> readVersions();
    void refuseNewer(const std::vector<int>& applied) const;
    bool apply(const Migration& migration);  ///< false if another process applied it first

    SQLite::Database& _db;
    std::string _path;
    std::vector<Migration> _migrations;
    Env& _env;
};

}  // namespace okarchive
