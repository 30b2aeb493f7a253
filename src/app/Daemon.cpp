#include "app/Daemon.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "domain/Errors.h"

namespace okarchive {
namespace {

/// The parent's side: one byte means the child is ready (exit 0); end of file means it exited (its exit code).
[[noreturn]] void awaitChild(int readFd, pid_t child) {
    char byte = 0;
    ssize_t n = 0;
    while ((n = ::read(readFd, &byte, 1)) < 0 && errno == EINTR) {}
    if (n == 1) ::_exit(0);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    ::_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

}  // namespace

Daemon::Daemon() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw Error(fmt::format("serve --daemon: cannot create a pipe: {}", std::strerror(errno)));
    const pid_t child = ::fork();
    if (child < 0) throw Error(fmt::format("serve --daemon: cannot fork: {}", std::strerror(errno)));
    if (child > 0) {
        ::close(fds[1]);
        awaitChild(fds[0], child);
    }
    ::close(fds[0]);
    _readyFd = fds[1];
    ::setsid();
    ::umask(027);
    if (::chdir("/") != 0) throw Error(fmt::format("serve --daemon: cannot change to /: {}", std::strerror(errno)));
}

Daemon::~Daemon() {
    if (_readyFd >= 0) ::close(_readyFd);
}

void Daemon::ready() {
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
        for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) ::dup2(null, fd);
        if (null > STDERR_FILENO) ::close(null);
    }
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(_readyFd, &byte, 1);
    ::close(_readyFd);
    _readyFd = -1;
}

}  // namespace okarchive
