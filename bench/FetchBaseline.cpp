// The network-and-server floor for the sync benchmark: pages one chat's whole history from okapi-sim with the same
// HTTP library and keep-alive, the same page size, and discards every page (no JSON decoding, no database).
// Paging uses the oldest timestamp in each page (found by a text search) as the next `from`, which is what any
// client must at least do.
//
// usage: fetch-baseline BASE_URL CHAT_ID TOKEN [PAGE_SIZE]

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: fetch-baseline BASE_URL CHAT_ID TOKEN [PAGE_SIZE]\n";
        return 2;
    }
    const Poco::URI base(argv[1]);
    const std::string chat = argv[2], token = argv[3];
    const int pageSize = argc > 4 ? std::atoi(argv[4]) : 100;

    Poco::Net::HTTPClientSession session(base.getHost(), base.getPort());
    session.setKeepAlive(true);
    std::int64_t from = INT64_MAX;
    std::uint64_t pages = 0, bytes = 0, messages = 0;
    std::string body;
    for (;;) {
        Poco::URI uri(base);
        uri.setPath(base.getPath() + "/me/messages/" + chat);
        uri.addQueryParameter("access_token", token);
        uri.addQueryParameter("from", std::to_string(from));
        uri.addQueryParameter("to", "0");
        uri.addQueryParameter("count", std::to_string(pageSize));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        auto& in = session.receiveResponse(response);
        body.clear();
        Poco::StreamCopier::copyToString(in, body);
        ++pages;
        bytes += body.size();
        // The oldest message is the last in the page: its "timestamp" is the last one in the body.
        const auto at = body.rfind("\"timestamp\":");
        if (at == std::string::npos) break;
        std::size_t count = 0;
        for (auto p = body.find("\"mid\":"); p != std::string::npos; p = body.find("\"mid\":", p + 1)) ++count;
        messages += count;
        const std::int64_t oldest = std::stoll(body.substr(at + 12));
        if (oldest >= from) break;
        from = oldest;  // inclusive or exclusive, the floor needs about the same number of pages
    }
    std::cout << "pages " << pages << " messages " << messages << " bytes " << bytes << "\n";
    return 0;
}
