#pragma once

namespace okarchive {

/// serve --daemon's detaching, done by okarchive itself (not Poco's ServerApplication, which detaches before any
/// setting is read) so that whatever keeps the daemon from starting is reported on the caller's terminal with a
/// non-zero exit. The constructor forks before any thread exists: the parent waits until the child calls ready()
/// (then exits 0) or exits itself (then exits with the child's exit code) and never returns; the child returns in
/// a new session, in /, with umask 027, its standard error still the caller's, to validate its settings, take the
/// archive lock and bind its sockets.
class Daemon {
public:
    Daemon();
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    /// Everything is up: standard input, output and error go to /dev/null and the waiting parent exits 0.
    void ready();

private:
    int _readyFd = -1;  // the child's end of the readiness pipe
};

}  // namespace okarchive
