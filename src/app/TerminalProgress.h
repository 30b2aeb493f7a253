#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "domain/Env.h"

namespace okarchive {

/// A single self-overwriting status line on a terminal; silent when the stream is not a terminal.
class TerminalProgress {
public:
    TerminalProgress(std::ostream& out, int fd, const Env& env);
    void update(const std::string& line);  ///< redraws at most 10 times a second
    void clear();                          ///< erases the line (call before printing anything else)

private:
    std::ostream& _out;
    const Env& _env;
    bool _enabled;
    bool _shown = false;
    Env::TimePoint _last{};
};

}  // namespace okarchive
