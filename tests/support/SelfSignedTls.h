#pragma once

// A TLS server on 127.0.0.1 with the self-signed certificate of media.example.test (tests/fixtures/tls): no system CA
// trusts it, so a client that verifies certificates never gets a request through.

#include <atomic>

#include <Poco/Net/Context.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>

#include "support/LoopbackServer.h"
#include "support/TestPaths.h"

namespace okarchive::test {

/// A TLS server with a self-signed certificate for media.example.test (tests/fixtures/tls): it records whether a
/// request ever reached it through TLS.
class SelfSignedTls {
public:
    ~SelfSignedTls() { Poco::Net::uninitializeSSL(); }
    int port() const { return _server.port(); }
    int connections() const { return _server.connections(); }
    int requests() const { return _requests; }

private:
    static Poco::Net::Context::Ptr serverContext() {
        Poco::Net::initializeSSL();
        return new Poco::Net::Context(
            Poco::Net::Context::SERVER_USE, (okarchive::test::fixturesDir() + "/tls/media-example-test.key"),
            (okarchive::test::fixturesDir() + "/tls/media-example-test.crt"), "", Poco::Net::Context::VERIFY_NONE);
    }

    void serve(Poco::Net::StreamSocket& peer) {
        Poco::Net::SecureStreamSocket tls = Poco::Net::SecureStreamSocket::attach(peer, _context);
        char buffer[1024];
        if (tls.receiveBytes(buffer, sizeof buffer) > 0) ++_requests;  // only after a handshake the client accepted
    }

    Poco::Net::Context::Ptr _context = serverContext();
    std::atomic<int> _requests{0};
    LoopbackServer _server{[this](Poco::Net::StreamSocket& peer, const Cancellation&) { serve(peer); }};
};

}  // namespace okarchive::test
