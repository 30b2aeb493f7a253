#pragma once

#include <SQLiteCpp/Statement.h>

namespace okarchive {

/// Borrows a prepared statement for one execution: resets it on entry and on exit, so an execution that failed or
/// was not read to the end never leaves the statement busy (holding a read snapshot) or poisons its next use.
class StatementUse {
public:
    explicit StatementUse(SQLite::Statement& statement) : _statement(statement) { _statement.tryReset(); }
    ~StatementUse() { _statement.tryReset(); }
    StatementUse(const StatementUse&) = delete;
    StatementUse& operator=(const StatementUse&) = delete;

    SQLite::Statement* operator->() const { return &_statement; }
    SQLite::Statement& operator*() const { return _statement; }

private:
    SQLite::Statement& _statement;
};

}  // namespace okarchive
