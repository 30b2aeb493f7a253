#include "integration/Harness.h"
#include "support/TestPaths.h"

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <set>
#include <thread>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Pipe.h>
#include <Poco/SHA2Engine.h>
#include <Poco/PipeStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <csignal>

#include "domain/Json.h"

namespace okarchive::it {
namespace {

std::string drain(Poco::Pipe& pipe) {
    Poco::PipeInputStream in(pipe);
    std::string s;
    Poco::StreamCopier::copyToString(in, s);
    return s;
}

std::string httpCall(const std::string& baseUrl, const std::string& method, const std::string& pathAndQuery) {
    Poco::URI uri(baseUrl);
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    Poco::Net::HTTPRequest request(method, pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentLength(0);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    auto& in = session.receiveResponse(response);
    std::string body;
    Poco::StreamCopier::copyToString(in, body);
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
        throw std::runtime_error("sim " + pathAndQuery + ": HTTP " + std::to_string(response.getStatus()) + " " + body);
    return body;
}

}  // namespace

RunResult runProgram(const std::string& program, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env, const std::string& directory) {
    Poco::Pipe outPipe, errPipe;
    Poco::Process::Env environment(env.begin(), env.end());
    environment.emplace("OKARCHIVE_CONFIG",
                        "/dev/null");  // no settings file of the machine's (unless a test names one)
    auto handle = Poco::Process::launch(program, args, directory, nullptr, &outPipe, &errPipe, environment);
    RunResult result;
    std::thread errReader([&] { result.err = drain(errPipe); });
    result.out = drain(outPipe);
    errReader.join();
    result.exitCode = handle.wait();
    return result;
}

RunResult runOkarchive(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
    return runProgram(okarchive::test::okarchiveBin(), args, env);
}

RunResult runOkarchiveIn(const std::string& directory, const std::vector<std::string>& args) {
    return runProgram(okarchive::test::okarchiveBin(), args, {}, directory);
}

RunResult runOkarchiveVia(const std::vector<std::string>& wrapper, const std::vector<std::string>& args) {
    std::vector<std::string> all(wrapper.begin() + 1, wrapper.end());
    all.push_back(okarchive::test::okarchiveBin());
    all.insert(all.end(), args.begin(), args.end());
    return runProgram(wrapper.front(), all, {});
}

Poco::ProcessHandle startOkarchive(const std::vector<std::string>& args,
                                   const std::map<std::string, std::string>& env) {
    Poco::Process::Env environment(env.begin(), env.end());
    environment.emplace("OKARCHIVE_CONFIG", "/dev/null");
    return Poco::Process::launch(okarchive::test::okarchiveBin(), args, ".", nullptr, nullptr, nullptr, environment);
}

bool killAfterHistoryRequests(Poco::ProcessHandle& handle, const SimProcess& sim, long long requests) {
    // No fixed sleep: the sim's own count says when the run has got that far.
    while (sim.historyRequests() < requests) {
        if (Poco::Process::tryWait(handle) != -1) return false;
        std::this_thread::yield();
    }
    ::kill(handle.id(), SIGKILL);
    handle.wait();
    return true;
}

std::optional<std::string> truthMediaLink(const okarchive::JsonValue& attachment) {
    static const std::set<std::string> pages{"SHARE", "INLINE_KEYBOARD", "LOCATION", "MUSIC", "CALL", "PRESENT"};
    const auto* type = attachment.find("type");
    const auto* payload = attachment.find("payload");
    if (!type || !type->isString() || !payload) return std::nullopt;
    if (type->asString() != "CONTACT" && pages.contains(type->asString())) return std::nullopt;
    const auto* link = payload->find(type->asString() == "CONTACT" ? "photoUrl" : "url");
    if (!link || !link->isString()) return std::nullopt;
    const auto& text = link->asString();
    if (text.rfind("http://", 0) != 0 && text.rfind("https://", 0) != 0) return std::nullopt;
    return text;
}

std::string sha256Hex(const std::string& content) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(content);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

int freePort() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    return socket.address().port();
}

SimProcess::SimProcess(std::vector<std::string> args) {
    args.insert(args.begin(), "--port=0");
    Poco::Pipe outPipe;
    _handle = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch(okarchive::test::okapiSimBin(), args, nullptr, &outPipe, nullptr));
    Poco::PipeInputStream in(outPipe);
    std::string line;
    std::getline(in, line);  // "okapi-sim listening on http://127.0.0.1:PORT"
    const auto at = line.find("http://");
    if (at == std::string::npos) throw std::runtime_error("okapi-sim did not start: '" + line + "'");
    _baseUrl = line.substr(at);
}

SimProcess::~SimProcess() {
    ::kill(_handle->id(), SIGKILL);
    _handle->wait();
}

std::string SimProcess::truth(const std::string& chatId, bool reachableOnly) const {
    return get("/_sim/truth?chat_id=" + chatId + (reachableOnly ? "&reachable=1" : ""));
}

std::string SimProcess::get(const std::string& pathAndQuery) const { return httpCall(_baseUrl, "GET", pathAndQuery); }
std::string SimProcess::post(const std::string& pathAndQuery) const { return httpCall(_baseUrl, "POST", pathAndQuery); }

long long SimProcess::historyRequests() const {
    const auto body = get("/_sim/stats");
    const auto key = body.find("\"history_requests\":");
    if (key == std::string::npos) throw std::runtime_error("no history_requests in " + body);
    return std::stoll(body.substr(key + 19));
}

void SimProcess::resetStats() const { post("/_sim/stats/reset"); }

TempDir::TempDir() {
    std::random_device rd;
    _path = std::filesystem::temp_directory_path() / ("okarchive-it-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(_path);
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(_path, ignored);
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string readAllFiles(const std::filesystem::path& dir) {
    std::string all;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
        if (entry.is_regular_file()) all += readFile(entry.path().string());
    return all;
}

std::vector<std::string> baseArgs(const SimProcess& sim, const std::string& database, const std::string& token) {
    return {"-Dapi.base_url=" + sim.baseUrl(), "-Dapi.access_token=" + token, "-Darchive.database=" + database,
            "-Dapi.requests_per_second=0", "-Dapi.timeout_ms=2000"};
}

}  // namespace okarchive::it
