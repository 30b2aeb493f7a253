#pragma once

#include <signal.h>

#include <atomic>
#include <string>
#include <thread>

#include "domain/Env.h"

namespace okarchive {

/// While it lives, SIGINT and SIGTERM cancel cancellation() instead of killing the process: they are blocked and
/// waited for on a thread of its own. Create it before any other thread starts (threads inherit the signal mask).
class StopSignals {
public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    const Cancellation& cancellation() const { return _cancel; }
    std::string received() const;  ///< "SIGINT" or "SIGTERM" once one came, else ""

private:
    void wait();

    Cancellation _cancel;
    sigset_t _signals;
    sigset_t _previous;
    std::atomic<int> _received{0};
    std::atomic<bool> _closing{false};
    std::thread _thread;  // last: starts after every member above exists
};

}  // namespace okarchive
