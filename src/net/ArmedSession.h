#pragma once

#include <memory>
#include <string>

#include "net/Url.h"

namespace Poco::Net {
class HTTPClientSession;
}

namespace okarchive {

class SocketAbort;

/// A Poco session for `origin` that arms `abort` with its socket the moment it connects (before a TLS handshake), so
/// a deadline or a cancellation cuts every later step. HTTPS: system CAs, peer verified against the origin's host
/// name (also the TLS server name), TLS 1.2+. With `pinnedAddress` (numeric) it connects there and resolves no
/// name: the caller checked that address (the media address guard) and sets the Host header itself.
std::unique_ptr<Poco::Net::HTTPClientSession> armedSession(const Origin& origin, SocketAbort& abort,
                                                           const std::string& pinnedAddress = {});

}  // namespace okarchive
