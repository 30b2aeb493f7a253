#include "media/Sha256.h"

#include <algorithm>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace okarchive {

struct Sha256::Impl {
    Poco::SHA2Engine engine{Poco::SHA2Engine::SHA_256};
};

Sha256::Sha256() : _impl(std::make_unique<Impl>()) {}

Sha256::~Sha256() = default;

void Sha256::update(const char* data, std::size_t size) {
    if (size) _impl->engine.update(data, size);
}

std::string Sha256::hex() { return Poco::DigestEngine::digestToHex(_impl->engine.digest()); }

std::string sha256Hex(std::string_view data) {
    Sha256 hash;
    hash.update(data);
    return hash.hex();
}

bool isSha256Hex(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(),
                                            [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace okarchive
