#include "domain/Env.h"

#include <vector>

namespace okarchive {

void Cancellation::cancel() {
    std::unique_lock lock(_mutex);
    if (_cancelled) return;
    _cancelled = true;
    _changed.notify_all();
    // Run callbacks one at a time without the lock, so a callback may take its time; unregistering waits for it.
    while (!_callbacks.empty()) {
        auto it = _callbacks.begin();
        auto callback = std::move(it->second);
        _running = it->first;
        _callbacks.erase(it);
        lock.unlock();
        callback();
        lock.lock();
        _running = 0;
        _callbackDone.notify_all();
    }
}

bool Cancellation::cancelled() const {
    std::lock_guard lock(_mutex);
    return _cancelled;
}

bool Cancellation::waitUntil(std::chrono::steady_clock::time_point deadline) const {
    std::unique_lock lock(_mutex);
    ++_waiting;  // the wait releases _mutex only once blocked, so whoever reads this under _mutex sees a blocked wait
    const bool cancelled = _changed.wait_until(lock, deadline, [this] { return _cancelled; });
    --_waiting;
    return !cancelled;
}

std::size_t Cancellation::waiting() const {
    std::lock_guard lock(_mutex);
    return _waiting;
}

Cancellation::Registration Cancellation::onCancel(std::function<void()> callback) const {
    std::unique_lock lock(_mutex);
    if (_cancelled) {
        lock.unlock();
        callback();
        return {};
    }
    const auto id = _nextId++;
    _callbacks.emplace(id, std::move(callback));
    return Registration(this, id);
}

void Cancellation::unregister(std::uint64_t id) const {
    std::unique_lock lock(_mutex);
    _callbacks.erase(id);
    _callbackDone.wait(lock, [&] { return _running != id; });
}

Cancellation::Registration& Cancellation::Registration::operator=(Registration&& other) noexcept {
    if (this != &other) {
        reset();
        _owner = other._owner;
        _id = other._id;
        other._owner = nullptr;
    }
    return *this;
}

void Cancellation::Registration::reset() {
    if (_owner) _owner->unregister(_id);
    _owner = nullptr;
}

const Cancellation& Cancellation::never() {
    static const Cancellation nobody;
    return nobody;
}

namespace {

class SystemEnv final : public Env {
public:
    TimePoint now() const override { return std::chrono::steady_clock::now(); }
    std::int64_t wallMs() const override {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }
    bool sleepUntil(TimePoint deadline, const Cancellation& cancel) override { return cancel.waitUntil(deadline); }
};

}  // namespace

Env& Env::system() {
    static SystemEnv env;
    return env;
}

}  // namespace okarchive
