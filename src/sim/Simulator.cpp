#include "sim/Simulator.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>

#include <chrono>
#include <csignal>
#include <stdexcept>
#include <ostream>

#include "sim/Dataset.h"
#include "sim/FaultInjector.h"
#include "sim/RequestLog.h"
#include "sim/RequestStats.h"
#include "sim/SimEndpoints.h"
#include "sim/SimHandlerFactory.h"

namespace okarchive::sim {
namespace {

/// A peer closing mid-response must not kill the process: ignore SIGPIPE unless the host already handles it.
void ignoreSigpipe() {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) std::signal(SIGPIPE, SIG_IGN);
}

/// "http://HOST:PORT" (127.0.0.1 for a wildcard host, brackets for IPv6).
std::string urlOf(const std::string& configuredHost, std::uint16_t port) {
    const std::string host = configuredHost.empty() || configuredHost == "0.0.0.0" ? "127.0.0.1" : configuredHost;
    const bool ipv6 = host.find(':') != std::string::npos;
    return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace

Simulator::Simulator(SimConfig config)
    : _config(std::move(config)),
      _dataset(std::make_unique<Dataset>(_config)),
      _faults(std::make_unique<FaultInjector>(_config.seed, _config.faultRate, _config.faultKinds)),
      _stats(std::make_unique<RequestStats>()),
      _log(std::make_unique<RequestLog>()),
      _endpoints(std::make_unique<SimEndpoints>(_config, *_dataset, *_faults, *_stats, *_log)),
      _port(_config.port) {
    if (_config.pageCap < 1) throw std::invalid_argument("page cap must be at least 1");
    if (_config.delayMs < 0 || _config.retryAfterSeconds < 0 || _config.appendEveryMs < 0 || _config.mediaTrickleMs < 0 ||
        _config.editEveryMs < 0 || _config.deleteEveryMs < 0)
        throw std::invalid_argument("delay, retry-after, append-every and media-trickle-ms must not be negative");
    if (_config.mediaLinkTtlMs < 1 || _config.mediaMaxSize < 1)
        throw std::invalid_argument("the media link ttl and the media max size must be positive");
}

Simulator::~Simulator() { stop(); }

void Simulator::start() {
    std::lock_guard lock(_lifecycle);
    if (_server) return;
    ignoreSigpipe();
    _faults->resume();
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(_config.host, _config.port), true);
    socket.listen(128);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);
    params->setKeepAliveTimeout(Poco::Timespan(60, 0));
    params->setTimeout(Poco::Timespan(60, 0));
    params->setMaxQueued(512);
    params->setMaxThreads(64);
    params->setSoftwareVersion("okapi-sim");
    _pool = std::make_unique<Poco::ThreadPool>(2, 64, 60);
    _server = std::make_unique<Poco::Net::HTTPServer>(new SimHandlerFactory(*_endpoints), *_pool, socket, params);
    _server->start();
    _port = socket.address().port();
    _dataset->media().setBaseUrl(urlOf(_config.host, _port));
    if (_config.appendEveryMs > 0 || _config.editEveryMs > 0 || _config.deleteEveryMs > 0) {
        {
            std::lock_guard appendLock(_appendMutex);
            _appendStop = false;
        }
        _appender = std::thread([this] { appendLoop(); });
    }
}

void Simulator::stop() {
    std::lock_guard lock(_lifecycle);
    if (_appender.joinable()) {
        {
            std::lock_guard appendLock(_appendMutex);
            _appendStop = true;
        }
        _appendWake.notify_all();
        _appender.join();
    }
    if (!_server) return;
    _faults->stop();
    _server->stopAll(true);
    _pool->joinAll();
    _server.reset();
    _pool.reset();
}

void Simulator::appendLoop() {
    // Each of --append-every, --edit-every and --delete-every on its own period; the wait is cut short by stop().
    using Clock = std::chrono::steady_clock;
    struct Task {
        int periodMs;
        Clock::time_point due;
    };
    const auto start = Clock::now();
    Task tasks[] = {{_config.appendEveryMs, {}}, {_config.editEveryMs, {}}, {_config.deleteEveryMs, {}}};
    for (auto& task : tasks) task.due = start + std::chrono::milliseconds(task.periodMs);
    std::uint64_t draw = _config.seed;
    std::unique_lock lock(_appendMutex);
    while (true) {
        auto next = Clock::time_point::max();
        for (const auto& task : tasks)
            if (task.periodMs > 0) next = std::min(next, task.due);
        if (_appendWake.wait_until(lock, next, [this] { return _appendStop; })) return;
        for (std::size_t i = 0; i < 3; ++i) {
            auto& task = tasks[i];
            if (task.periodMs <= 0 || Clock::now() < task.due) continue;
            task.due += std::chrono::milliseconds(task.periodMs);
            if (i == 0) _dataset->appendToAll();
            else _dataset->changeRandom(i == 2, draw++);
        }
    }
}

std::uint16_t Simulator::port() const {
    std::lock_guard lock(_lifecycle);
    return _port;
}

std::string Simulator::baseUrl() const { return urlOf(_config.host, port()); }

std::string Simulator::truthNdjson(const std::string& chatId, bool reachableOnly) const {
    std::string out;
    _dataset->writeTruth(chatId, reachableOnly, static_cast<std::size_t>(_config.pageCap),
                         [&](const std::string& chunk) { out += chunk; });
    return out;
}

void Simulator::writeTruth(const std::string& chatId, bool reachableOnly, std::ostream& out) const {
    _dataset->writeTruth(
        chatId, reachableOnly, static_cast<std::size_t>(_config.pageCap),
        [&](const std::string& chunk) { out.write(chunk.data(), static_cast<std::streamsize>(chunk.size())); });
}

void Simulator::append(const std::string& chatId, std::size_t count) { _dataset->appendOrdinary(chatId, count); }

std::uint64_t Simulator::apiRequests() const { return _stats->requests(); }

std::size_t Simulator::messageCount(const std::string& chatId) const { return _dataset->messageCount(chatId); }

void Simulator::setToken(const std::string& token) { _endpoints->setToken(token); }

void Simulator::setFaults(double rate, const std::vector<std::string>& kinds) { _faults->configure(rate, kinds); }

void Simulator::resetStats() { _stats->reset(); }

std::string Simulator::statsJson() const { return _stats->json(); }

std::uint64_t Simulator::mediaRequests() const { return _stats->mediaRequests(); }

std::string Simulator::requestLog(std::uint64_t since) const { return _log->ndjson(since); }

std::string Simulator::mediaTruthJson() const { return _dataset->media().truthJson(); }

}  // namespace okarchive::sim
