#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace okarchive {

/// SHA-256 computed as the bytes go by (a download hashed while it is written), lower-case hex.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const char* data, std::size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    /// The 64 lower-case hex digits of everything given so far; the hash starts over afterwards.
    std::string hex();

private:
    struct Impl;
    std::unique_ptr<Impl> _impl;
};

/// The SHA-256 of a whole string (tests, small contents).
std::string sha256Hex(std::string_view data);

/// Whether `text` is 64 lower-case hex digits: the only names the media store gives its files.
bool isSha256Hex(std::string_view text);

}  // namespace okarchive
