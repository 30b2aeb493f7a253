#pragma once

#include <string>

// Forward declarations of Poco's server request and response for the sim's HTTP headers.
namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace okarchive::sim {

/// An nginx-style HTML error page for `status` ("403 Forbidden"...).
std::string htmlPage(int status, const std::string& reason);

/// Drops the connection at once (RST, not FIN: linger 0); nothing more is sent.
void resetConnection(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

/// Shuts the connection down after what was sent (FIN): the client sees the end of the body early.
void shutdownConnection(Poco::Net::HTTPServerRequest& request);

}  // namespace okarchive::sim
