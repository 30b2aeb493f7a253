#include "service/Scheduler.h"

#include <algorithm>
#include <memory>
#include <random>

namespace okarchive {

Scheduler::Scheduler(const Env& env, Random random) : _env(env), _random(std::move(random)) {
    if (!_random) {
        auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
        _random = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
    }
}

Scheduler::Duration Scheduler::jitter(Duration interval) {
    const auto span = std::min<std::int64_t>(interval.count() / 10, 60'000);
    return Duration(static_cast<std::int64_t>(_random() * static_cast<double>(span)));
}

void Scheduler::setChats(const std::vector<ChatPlan>& chats) {
    std::lock_guard lock(_mutex);
    const auto now = _env.now();
    std::map<std::string, Entry> next;
    for (const auto& plan : chats) {
        auto it = _entries.find(plan.chatId);
        Entry entry = it != _entries.end() ? it->second : Entry{plan.chatId, plan.interval, now, false, 0, false};
        if (it != _entries.end() && plan.interval < entry.interval && !entry.running && entry.failuresInARow == 0)
            entry.nextRun = std::min(entry.nextRun, now + plan.interval);  // a shorter interval applies at once
        entry.interval = plan.interval;
        next.emplace(plan.chatId, entry);
    }
    for (auto& [id, entry] : _entries)
        if (entry.running && !next.count(id)) {
            next.emplace(id, entry);
            _dropWhenFinished.push_back(id);
        }
    _entries = std::move(next);
    rebuildQueue();
}

void Scheduler::enqueue(const Entry& entry) { _queue.emplace(entry.nextRun, entry.moreToDo, entry.chatId); }

void Scheduler::rebuildQueue() {
    _queue.clear();
    for (const auto& [id, entry] : _entries)
        if (!entry.running) enqueue(entry);
}

std::optional<std::string> Scheduler::takeDue() {
    std::lock_guard lock(_mutex);
    if (_queue.empty() || std::get<0>(*_queue.begin()) > _env.now()) return std::nullopt;
    const auto chatId = std::get<2>(*_queue.begin());
    _queue.erase(_queue.begin());
    _entries.at(chatId).running = true;
    return chatId;
}

void Scheduler::finished(const std::string& chatId, FinishedWith how) {
    std::lock_guard lock(_mutex);
    auto it = _entries.find(chatId);
    if (it == _entries.end()) return;
    auto drop = std::find(_dropWhenFinished.begin(), _dropWhenFinished.end(), chatId);
    if (drop != _dropWhenFinished.end()) {
        _dropWhenFinished.erase(drop);
        _entries.erase(it);
        return;
    }
    auto& entry = it->second;
    entry.running = false;
    entry.moreToDo = how == FinishedWith::MoreToDo;
    const auto now = _env.now();
    if (how == FinishedWith::Failure) {
        entry.failuresInARow = std::min(entry.failuresInARow + 1, 62);
        auto delay = entry.interval;
        for (int i = 0; i < entry.failuresInARow && delay < kMaxBackoff; ++i) delay *= 2;
        entry.nextRun = now + std::min(delay, kMaxBackoff);
    } else {
        entry.failuresInARow = 0;
        // More to do: due now, behind every chat already due (due earlier, or now without more to do).
        entry.nextRun = entry.moreToDo ? now : now + entry.interval + jitter(entry.interval);
    }
    enqueue(entry);
}

void Scheduler::makeAllDue() {
    std::lock_guard lock(_mutex);
    const auto now = _env.now();
    for (auto& [id, entry] : _entries)
        if (!entry.running) entry.nextRun = now;
    rebuildQueue();
}

std::optional<Env::TimePoint> Scheduler::nextWake() const {
    std::lock_guard lock(_mutex);
    if (_queue.empty()) return std::nullopt;
    return std::get<0>(*_queue.begin());
}

std::vector<Scheduler::Entry> Scheduler::entries() const {
    std::lock_guard lock(_mutex);
    std::vector<Entry> out;
    for (const auto& [id, entry] : _entries) out.push_back(entry);
    return out;
}

std::size_t Scheduler::runningCount() const {
    std::lock_guard lock(_mutex);
    return static_cast<std::size_t>(
        std::count_if(_entries.begin(), _entries.end(), [](const auto& e) { return e.second.running; }));
}

}  // namespace okarchive
