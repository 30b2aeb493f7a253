#pragma once

// Helpers for the SQLite backend's own tests, which may read the database file directly.

#include <cstdint>
#include <string>

#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "unit/store/StoreTestSupport.h"

namespace okarchive::test {

/// A single integer from `sql`.
inline std::int64_t scalar(SQLite::Database& db, const std::string& sql) {
    SQLite::Statement query(db, sql);
    REQUIRE(query.executeStep());
    return query.getColumn(0).getInt64();
}

}  // namespace okarchive::test
