#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace okarchive {

/// What an IP address is, for the one question the media fetcher asks: may a media link make us connect there?
enum class AddressClass { Public, Loopback, Private, LinkLocal, Multicast, Reserved };

/// Classifies a numeric IPv4 or IPv6 address ("10.0.0.1", "::ffff:127.0.0.1"); IPv4-mapped and IPv4-compatible IPv6
/// forms are classified as their IPv4 address. Loopback 127/8 and ::1; Private 10/8, 172.16/12, 192.168/16,
/// 100.64/10 and fc00::/7; LinkLocal 169.254/16 and fe80::/10; Multicast 224/4 and ff00::/8; Reserved 0/8,
/// 192.0.0/24, 192.0.2/24, 198.18/15, 198.51.100/24, 203.0.113/24, 240/4 (with the broadcast address), ::,
/// 2001:db8::/32. Anything that does not parse as an address is Reserved.
AddressClass classifyAddress(const std::string& numeric);
const char* addressClassName(AddressClass kind);  ///< "public", "loopback", "private"...

/// Why connecting to `numeric` is refused (e.g. "169.254.169.254 is a link-local address"), or nothing when it is
/// allowed: Public always; Loopback and Private only with `allowPrivate` (media.allow_private_addresses).
std::optional<std::string> addressRefusal(const std::string& numeric, bool allowPrivate);

/// Resolves a host name to its numeric addresses (a numeric host to itself); throws Error naming the host when it has
/// none. The fetcher resolves each host once and connects to an address it checked: the seam tests replace.
using HostResolver = std::function<std::vector<std::string>(const std::string& host)>;
HostResolver systemResolver();

}  // namespace okarchive
