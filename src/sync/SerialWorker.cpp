#include "sync/SerialWorker.h"

namespace okarchive {

SerialWorker::SerialWorker(std::size_t maxQueued)
    : _maxQueued(maxQueued ? maxQueued : 1), _thread([this] { loop(); }) {}

SerialWorker::~SerialWorker() {
    {
        std::lock_guard lock(_mutex);
        _stopping = true;
        _tasks.clear();
    }
    _changed.notify_all();
    _thread.join();
}

void SerialWorker::rethrowFailure() {
    if (_failure) std::rethrow_exception(_failure);
}

void SerialWorker::post(std::function<void()> task) {
    std::unique_lock lock(_mutex);
    _changed.wait(lock, [this] { return _failure || _tasks.size() < _maxQueued; });
    rethrowFailure();
    _tasks.push_back(std::move(task));
    _changed.notify_all();
}

void SerialWorker::finish() {
    std::unique_lock lock(_mutex);
    _changed.wait(lock, [this] { return _failure || (_tasks.empty() && !_busy); });
    rethrowFailure();
}

void SerialWorker::loop() {
    std::unique_lock lock(_mutex);
    for (;;) {
        _changed.wait(lock, [this] { return _stopping || !_tasks.empty(); });
        if (_stopping) return;
        auto task = std::move(_tasks.front());
        _tasks.pop_front();
        _busy = true;
        lock.unlock();
        std::exception_ptr failure;
        try {
            task();
        } catch (...) {
            failure = std::current_exception();
        }
        lock.lock();
        _busy = false;
        if (failure) {
            _failure = failure;
            _tasks.clear();
        }
        _changed.notify_all();
    }
}

}  // namespace okarchive
