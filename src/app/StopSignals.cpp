#include "app/StopSignals.h"

#include <pthread.h>

#include <fmt/format.h>

namespace okarchive {

StopSignals::StopSignals(Options options) : _options(std::move(options)) {
    sigemptyset(&_signals);
    sigaddset(&_signals, SIGINT);
    sigaddset(&_signals, SIGTERM);
    if (_options.quitStops) sigaddset(&_signals, SIGQUIT);
    if (_options.handleHangup || _options.hangupStops) sigaddset(&_signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &_signals, &_previous);
    _thread = std::thread([this] { wait(); });
}

StopSignals::~StopSignals() {
    _closing = true;
    pthread_kill(_thread.native_handle(), SIGTERM);  // blocked there too: it only ends the sigwait
    _thread.join();
    drainPending();  // a signal that came after the thread ended must not kill the finished process on unblocking
    pthread_sigmask(SIG_SETMASK, &_previous, nullptr);
}

void StopSignals::drainPending() {
    const timespec now{0, 0};
    while (sigtimedwait(&_signals, nullptr, &now) > 0) {}
}

void StopSignals::wait() {
    for (;;) {  // until the destructor's own signal: a second Ctrl-C is swallowed like the first
        int sig = 0;
        if (sigwait(&_signals, &sig) != 0) continue;
        if (_closing) return;
        if (sig == SIGHUP && !_options.hangupStops)
            hangUp();
        else
            stop(sig);
    }
}

void StopSignals::stop(int signal) {
    int none = 0;
    const bool first = _received.compare_exchange_strong(none, signal);
    _cancel.cancel();  // before the hook: whoever the hook tells sees the cancellation already
    if (first && _options.onStop) _options.onStop(nameOf(signal));
}

void StopSignals::hangUp() {
    std::lock_guard lock(_hookMutex);
    if (_hangup) _hangup();
}

std::shared_ptr<void> StopSignals::onHangup(std::function<void()> hook) {
    {
        std::lock_guard lock(_hookMutex);
        _hangup = std::move(hook);
    }
    return std::shared_ptr<void>(nullptr, [this](void*) {
        std::lock_guard lock(_hookMutex);  // waits for a hook that is running: its captures may go next
        _hangup = nullptr;
    });
}

std::string StopSignals::received() const {
    const int sig = _received.load();
    return sig == 0 ? "" : nameOf(sig);
}

int StopSignals::exitCode() const {
    const int sig = _received.load();
    return sig == 0 ? 0 : 128 + sig;
}

std::string StopSignals::nameOf(int signal) {
    switch (signal) {
        case SIGINT: return "SIGINT";
        case SIGTERM: return "SIGTERM";
        case SIGQUIT: return "SIGQUIT";
        case SIGHUP: return "SIGHUP";
        default: return fmt::format("signal {}", signal);
    }
}

}  // namespace okarchive
