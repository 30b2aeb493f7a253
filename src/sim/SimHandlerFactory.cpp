#include "sim/SimHandlerFactory.h"

#include <Poco/Net/HTTPRequestHandler.h>

#include "sim/SimEndpoints.h"

namespace okarchive::sim {
namespace {

class ForwardingHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit ForwardingHandler(SimEndpoints& endpoints) : _endpoints(endpoints) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        _endpoints.handle(request, response);
    }

private:
    SimEndpoints& _endpoints;
};

}  // namespace

Poco::Net::HTTPRequestHandler* SimHandlerFactory::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
    return new ForwardingHandler(_endpoints);
}

}  // namespace okarchive::sim
