#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace okarchive::sim {

class SimEndpoints;

/// Hands every request to the one SimEndpoints instance.
class SimHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit SimHandlerFactory(SimEndpoints& endpoints) : _endpoints(endpoints) {}

    /// A handler that forwards to SimEndpoints::handle.
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

private:
    SimEndpoints& _endpoints;
};

}  // namespace okarchive::sim
