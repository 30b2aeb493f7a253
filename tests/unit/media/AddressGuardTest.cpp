#include <catch2/catch.hpp>

#include <string>

#include "media/AddressGuard.h"

using namespace okarchive;

namespace {

struct Row {
    const char* address;
    AddressClass kind;
};

// Every range the guard knows, at its edges, and the addresses just outside them.
const Row kTable[] = {
    {"8.8.8.8", AddressClass::Public},
    {"93.184.216.34", AddressClass::Public},
    {"127.0.0.1", AddressClass::Loopback},
    {"127.255.255.254", AddressClass::Loopback},
    {"10.0.0.1", AddressClass::Private},
    {"10.255.255.255", AddressClass::Private},
    {"11.0.0.1", AddressClass::Public},
    {"172.15.255.255", AddressClass::Public},
    {"172.16.0.1", AddressClass::Private},
    {"172.31.255.255", AddressClass::Private},
    {"172.32.0.1", AddressClass::Public},
    {"192.168.1.1", AddressClass::Private},
    {"192.169.0.1", AddressClass::Public},
    {"100.64.0.1", AddressClass::Private},
    {"100.127.255.255", AddressClass::Private},
    {"100.128.0.1", AddressClass::Public},
    {"169.254.169.254", AddressClass::LinkLocal},
    {"169.254.0.1", AddressClass::LinkLocal},
    {"169.253.255.255", AddressClass::Public},
    {"224.0.0.1", AddressClass::Multicast},
    {"239.255.255.255", AddressClass::Multicast},
    {"0.0.0.0", AddressClass::Reserved},
    {"0.1.2.3", AddressClass::Reserved},
    {"192.0.0.8", AddressClass::Reserved},
    {"192.0.2.1", AddressClass::Reserved},
    {"192.0.3.1", AddressClass::Public},
    {"198.18.0.1", AddressClass::Reserved},
    {"198.19.255.255", AddressClass::Reserved},
    {"198.20.0.1", AddressClass::Public},
    {"198.51.100.7", AddressClass::Reserved},
    {"203.0.113.9", AddressClass::Reserved},
    {"240.0.0.1", AddressClass::Reserved},
    {"255.255.255.255", AddressClass::Reserved},
    {"::", AddressClass::Reserved},
    {"::1", AddressClass::Loopback},
    {"2a00:1450:4001:82a::200e", AddressClass::Public},
    {"fc00::1", AddressClass::Private},
    {"fd12:3456::1", AddressClass::Private},
    {"fe80::1", AddressClass::LinkLocal},
    {"febf:ffff::1", AddressClass::LinkLocal},
    {"fec0::1", AddressClass::Reserved},
    {"ff02::1", AddressClass::Multicast},
    {"2001:db8::1", AddressClass::Reserved},
    {"::ffff:127.0.0.1", AddressClass::Loopback},
    {"::ffff:169.254.169.254", AddressClass::LinkLocal},
    {"::ffff:10.0.0.1", AddressClass::Private},
    {"::ffff:8.8.8.8", AddressClass::Public},
    {"::127.0.0.1", AddressClass::Loopback},
    {"::10.1.2.3", AddressClass::Private},
    {"64:ff9b::a9fe:a9fe", AddressClass::LinkLocal},  // NAT64 of 169.254.169.254
    {"2002:0a00:0001::1", AddressClass::Private},     // 6to4 of 10.0.0.1
    {"[::1]", AddressClass::Loopback},
    {"localhost", AddressClass::Reserved},  // not an address: never allowed
    {"", AddressClass::Reserved},
    {"fe80::1%lo", AddressClass::Reserved},
};

}  // namespace

TEST_CASE("classifyAddress puts every address in its range", "[guard]") {
    for (const auto& row : kTable) {
        INFO(row.address);
        CHECK(addressClassName(classifyAddress(row.address)) == std::string(addressClassName(row.kind)));
    }
}

TEST_CASE("allowPrivate lifts loopback and private only", "[guard]") {
    for (const auto& row : kTable) {
        INFO(row.address);
        const bool publicAddress = row.kind == AddressClass::Public;
        const bool lifted = row.kind == AddressClass::Loopback || row.kind == AddressClass::Private;
        CHECK(addressRefusal(row.address, false).has_value() == !publicAddress);
        CHECK(addressRefusal(row.address, true).has_value() == !(publicAddress || lifted));
    }
    CHECK(addressRefusal("169.254.169.254", true) ==
          std::optional<std::string>("169.254.169.254 is a link-local address"));
}

TEST_CASE("The system resolver gives numeric addresses and names a host it cannot resolve", "[guard]") {
    const auto resolve = systemResolver();
    const auto numeric = resolve("127.0.0.1");
    REQUIRE(numeric.size() >= 1);
    CHECK(numeric.front() == "127.0.0.1");
    CHECK_THROWS_WITH(resolve("no-such-host.invalid"), Catch::Contains("no-such-host.invalid"));
}
