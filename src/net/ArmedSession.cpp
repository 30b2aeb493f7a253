#include "net/ArmedSession.h"

#include <mutex>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>

#include "net/HttpSession.h"

namespace okarchive {
namespace {

/// One process-wide TLS client context: system CAs, peer and host name verified, TLS 1.2 or newer.
Poco::Net::Context::Ptr tlsContext() {
    static std::once_flag once;
    static Poco::Net::Context::Ptr context;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        Poco::Net::Context::Params params;
        params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;  // a client always verifies the server's chain
        params.loadDefaultCAs = true;
        context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
        context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    });
    return context;
}

/// Arms `abort` with a session's socket the moment it is connected; throws if the request was abandoned already.
void armConnected(SocketAbort& abort, Poco::Net::StreamSocket& socket) {
    if (abort.arm(socket.impl()->sockfd())) throw Poco::Net::ConnectionAbortedException("the request was abandoned");
}

const std::string& connectHost(const Origin& origin, const std::string& pinnedAddress) {
    return pinnedAddress.empty() ? origin.host : pinnedAddress;
}

/// A plain session armed before it writes anything on a new connection (a keep-alive reconnect inside Poco too).
class ArmedHttpSession : public Poco::Net::HTTPClientSession {
public:
    ArmedHttpSession(const Origin& origin, SocketAbort& abort, const std::string& pinnedAddress)
        : HTTPClientSession(connectHost(origin, pinnedAddress), origin.port), _abort(abort) {}

protected:
    void connect(const Poco::Net::SocketAddress& address) override {
        HTTPClientSession::connect(address);
        armConnected(_abort, socket());
    }

private:
    SocketAbort& _abort;
};

/// A TLS session armed between the TCP connect and the handshake, so the request's deadline and its cancellation
/// also cut a server that dribbles its handshake (each byte within the read timeout).
class ArmedHttpsSession : public Poco::Net::HTTPSClientSession {
public:
    ArmedHttpsSession(const Origin& origin, SocketAbort& abort, const std::string& pinnedAddress)
        : HTTPSClientSession(connectHost(origin, pinnedAddress), origin.port, tlsContext()),
          _abort(abort),
          _serverName(origin.host) {}

protected:
    void connect(const Poco::Net::SocketAddress& address) override {
        Poco::Net::SecureStreamSocket tls(socket());
        tls.setLazyHandshake(true);        // the base connects without handshaking
        tls.setPeerHostName(_serverName);  // SNI and the certificate's name: the origin's, even at a pinned address
        HTTPSClientSession::connect(address);
        armConnected(_abort, socket());
        if (tls.completeHandshake() != 1) throw Poco::Net::SSLException("the TLS handshake did not complete");
        tls.verifyPeerCertificate();  // the host name check a non-lazy connect makes
    }

private:
    SocketAbort& _abort;
    std::string _serverName;
};

}  // namespace

std::unique_ptr<Poco::Net::HTTPClientSession> armedSession(const Origin& origin, SocketAbort& abort,
                                                           const std::string& pinnedAddress) {
    if (origin.https) return std::make_unique<ArmedHttpsSession>(origin, abort, pinnedAddress);
    return std::make_unique<ArmedHttpSession>(origin, abort, pinnedAddress);
}

}  // namespace okarchive
