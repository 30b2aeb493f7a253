#include <catch2/catch.hpp>

#include <string>

#include "media/Sha256.h"

using namespace okarchive;

TEST_CASE("Sha256 gives the FIPS 180-2 test vectors in lower-case hex", "[sha256]") {
    CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("Sha256 streamed in uneven pieces equals the hash of the whole", "[sha256]") {
    const std::string million(1000000, 'a');
    Sha256 hash;
    for (std::size_t offset = 0, step = 1; offset < million.size(); offset += step, step = step * 3 % 65537 + 1)
        hash.update(million.data() + offset, std::min(step, million.size() - offset));
    CHECK(hash.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("isSha256Hex takes only 64 lower-case hex digits", "[sha256]") {
    CHECK(isSha256Hex(sha256Hex("x")));
    CHECK_FALSE(isSha256Hex("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"));
    CHECK_FALSE(isSha256Hex("../../etc/passwd"));
    CHECK_FALSE(isSha256Hex(sha256Hex("x").substr(1)));
    CHECK_FALSE(isSha256Hex(""));
}
