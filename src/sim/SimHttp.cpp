#include "sim/SimHttp.h"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>

namespace okarchive::sim {

std::string htmlPage(int status, const std::string& reason) {
    const std::string title = std::to_string(status) + " " + reason;
    return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
           "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
}

void resetConnection(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    response.setKeepAlive(false);
    if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request)) {
        Poco::Net::StreamSocket& socket = impl->socket();
        socket.setLinger(true, 0);
        socket.close();
    }
}

void shutdownConnection(Poco::Net::HTTPServerRequest& request) {
    if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request)) impl->socket().shutdown();
}

}  // namespace okarchive::sim
