#include "app/TerminalProgress.h"

#include <unistd.h>

namespace okarchive {

TerminalProgress::TerminalProgress(std::ostream& out, int fd, const Env& env)
    : _out(out), _env(env), _enabled(::isatty(fd) == 1) {}

void TerminalProgress::update(const std::string& line) {
    if (!_enabled) return;
    const auto now = _env.now();
    if (_shown && now - _last < std::chrono::milliseconds(100)) return;
    _last = now;
    _out << "\r" << line << "\x1b[K" << std::flush;
    _shown = true;
}

void TerminalProgress::clear() {
    if (!_enabled || !_shown) return;
    _out << "\r\x1b[K" << std::flush;
    _shown = false;
}

}  // namespace okarchive
