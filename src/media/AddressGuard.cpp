#include "media/AddressGuard.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "domain/Errors.h"

namespace okarchive {
namespace {

struct Range4 {
    std::uint32_t base;
    int prefix;
    AddressClass kind;
};

constexpr std::uint32_t ip4(int a, int b, int c, int d) {
    return (static_cast<std::uint32_t>(a) << 24) | (static_cast<std::uint32_t>(b) << 16) |
           (static_cast<std::uint32_t>(c) << 8) | static_cast<std::uint32_t>(d);
}

constexpr std::array<Range4, 15> kRanges4 = {{
    {ip4(127, 0, 0, 0), 8, AddressClass::Loopback},
    {ip4(10, 0, 0, 0), 8, AddressClass::Private},
    {ip4(172, 16, 0, 0), 12, AddressClass::Private},
    {ip4(192, 168, 0, 0), 16, AddressClass::Private},
    {ip4(100, 64, 0, 0), 10, AddressClass::Private},
    {ip4(169, 254, 0, 0), 16, AddressClass::LinkLocal},
    {ip4(224, 0, 0, 0), 4, AddressClass::Multicast},
    {ip4(0, 0, 0, 0), 8, AddressClass::Reserved},
    {ip4(192, 0, 0, 0), 24, AddressClass::Reserved},
    {ip4(192, 0, 2, 0), 24, AddressClass::Reserved},
    {ip4(198, 18, 0, 0), 15, AddressClass::Reserved},
    {ip4(198, 51, 100, 0), 24, AddressClass::Reserved},
    {ip4(203, 0, 113, 0), 24, AddressClass::Reserved},
    {ip4(240, 0, 0, 0), 4, AddressClass::Reserved},     // with 255.255.255.255, the broadcast address
    {ip4(192, 88, 99, 0), 24, AddressClass::Reserved},  // the deprecated 6to4 relay anycast
}};

AddressClass classify4(std::uint32_t address) {
    for (const auto& range : kRanges4) {
        const std::uint32_t mask = range.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - range.prefix);
        if ((address & mask) == range.base) return range.kind;
    }
    return AddressClass::Public;
}

std::uint32_t embedded4(const unsigned char* bytes) { return ip4(bytes[12], bytes[13], bytes[14], bytes[15]); }

AddressClass classify6(const unsigned char* b) {
    static constexpr unsigned char zeros[16] = {};
    const bool first10Zero = std::memcmp(b, zeros, 10) == 0;
    if (first10Zero && b[10] == 0xff && b[11] == 0xff) return classify4(embedded4(b));  // ::ffff:a.b.c.d
    if (std::memcmp(b, zeros, 15) == 0) return b[15] == 1 ? AddressClass::Loopback : AddressClass::Reserved;  // ::1, ::
    if (first10Zero && b[10] == 0 && b[11] == 0) return classify4(embedded4(b));  // ::a.b.c.d (IPv4-compatible)
    if ((b[0] & 0xfe) == 0xfc) return AddressClass::Private;                      // fc00::/7
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressClass::LinkLocal;    // fe80::/10
    if (b[0] == 0xff) return AddressClass::Multicast;                             // ff00::/8
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return AddressClass::Reserved;   // 2001:db8::/32
    if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) return classify4(embedded4(b));  // 64:ff9b::/96
    if (b[0] == 0x20 && b[1] == 0x02) return classify4(ip4(b[2], b[3], b[4], b[5]));  // 2002::/16 (6to4)
    if ((b[0] & 0xe0) != 0x20) return AddressClass::Reserved;  // outside 2000::/3, the global unicast space
    return AddressClass::Public;
}

}  // namespace

AddressClass classifyAddress(const std::string& numeric) {
    in_addr v4{};
    if (::inet_pton(AF_INET, numeric.c_str(), &v4) == 1) return classify4(ntohl(v4.s_addr));
    in6_addr v6{};
    std::string bare = numeric;
    if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']') bare = bare.substr(1, bare.size() - 2);
    if (::inet_pton(AF_INET6, bare.c_str(), &v6) == 1) return classify6(v6.s6_addr);
    return AddressClass::Reserved;
}

const char* addressClassName(AddressClass kind) {
    switch (kind) {
        case AddressClass::Public: return "public";
        case AddressClass::Loopback: return "loopback";
        case AddressClass::Private: return "private";
        case AddressClass::LinkLocal: return "link-local";
        case AddressClass::Multicast: return "multicast";
        case AddressClass::Reserved: return "reserved";
    }
    return "reserved";
}

std::optional<std::string> addressRefusal(const std::string& numeric, bool allowPrivate) {
    const AddressClass kind = classifyAddress(numeric);
    if (kind == AddressClass::Public) return std::nullopt;
    if (allowPrivate && (kind == AddressClass::Loopback || kind == AddressClass::Private)) return std::nullopt;
    return fmt::format("{} is a {} address", numeric, addressClassName(kind));
}

HostResolver systemResolver() {
    return [](const std::string& host) {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* found = nullptr;
        const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
        if (rc != 0) throw Error(fmt::format("cannot resolve the host {}: {}", host, ::gai_strerror(rc)));
        std::vector<std::string> out;
        for (const addrinfo* a = found; a; a = a->ai_next) {
            char text[INET6_ADDRSTRLEN] = {};
            const void* raw =
                a->ai_family == AF_INET
                    ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(a->ai_addr)->sin_addr)
                    : static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(a->ai_addr)->sin6_addr);
            if ((a->ai_family == AF_INET || a->ai_family == AF_INET6) &&
                ::inet_ntop(a->ai_family, raw, text, sizeof text))
                out.emplace_back(text);
        }
        ::freeaddrinfo(found);
        if (out.empty()) throw Error(fmt::format("cannot resolve the host {}: it has no address", host));
        return out;
    };
}

}  // namespace okarchive
