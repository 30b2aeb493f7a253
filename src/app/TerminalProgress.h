#pragma once

#include <chrono>
#include <ostream>
#include <string>

namespace okarchive {

/// A single self-overwriting status line on a terminal; silent when the stream is not a terminal.
class TerminalProgress {
public:
    explicit TerminalProgress(std::ostream& out, int fd);
    void update(const std::string& line);  ///< redraws at most 10 times a second
    void clear();                          ///< erases the line (call before printing anything else)

private:
    std::ostream& _out;
    bool _enabled;
    bool _shown = false;
    std::chrono::steady_clock::time_point _last{};
};

}  // namespace okarchive
