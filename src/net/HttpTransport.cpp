#include "net/HttpTransport.h"

#include <strings.h>

#include <csignal>

#include "net/HttpSession.h"

namespace okarchive {

const std::string* HttpResponse::header(std::string_view name) const { return findHeader(headers, name); }

const std::string* findHeader(const HttpHeaders& headers, std::string_view name) {
    for (const auto& [key, value] : headers)
        if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0) return &value;
    return nullptr;
}

void ignoreBrokenPipes() { std::signal(SIGPIPE, SIG_IGN); }

HttpTransport::HttpTransport(HttpSettings settings) : _settings(std::move(settings)) {}

HttpTransport::~HttpTransport() = default;

HttpResponse HttpTransport::send(const HttpRequest& request, const Cancellation& cancel) {
    auto& session = _sessions[request.origin.key()];
    if (!session) session = std::make_unique<HttpSession>(request.origin, _settings);
    return session->send(request, cancel);
}

}  // namespace okarchive
