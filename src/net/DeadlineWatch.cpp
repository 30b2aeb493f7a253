#include "net/DeadlineWatch.h"

#include <utility>

namespace okarchive {

DeadlineWatch::DeadlineWatch(std::chrono::milliseconds budget, std::function<void()> expire) {
    // The deadline is taken now, on the caller's thread, not whenever the watch's thread first runs.
    const Env::TimePoint deadline = Env::system().now() + budget;
    _thread = std::thread([this, deadline, expire = std::move(expire)] {
        if (!Env::system().sleepUntil(deadline, _stop)) return;  // stopped first
        _expired = true;
        expire();
    });
}

void DeadlineWatch::stop() {
    _stop.cancel();
    if (_thread.joinable()) _thread.join();
}

}  // namespace okarchive
