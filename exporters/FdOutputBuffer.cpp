#include "exporters/FdOutputBuffer.h"

#include <cstring>
#include <unistd.h>

namespace okarchive {

FdOutputBuffer::FdOutputBuffer(int fd, std::size_t bufferSize) : _fd(fd), _buffer(bufferSize) {
    setp(_buffer.data(), _buffer.data() + _buffer.size());
}

FdOutputBuffer::~FdOutputBuffer() = default;  // never flushes on its own: an unfinished output is to be discarded

bool FdOutputBuffer::writeAll(const char* data, std::size_t size) {
    if (_error != 0) return false;
    while (size > 0) {
        ssize_t n = ::write(_fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            _error = errno;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
        _flushed += static_cast<std::uint64_t>(n);
    }
    return true;
}

bool FdOutputBuffer::flushAll() {
    const auto pending = static_cast<std::size_t>(pptr() - pbase());
    bool ok = writeAll(pbase(), pending);
    setp(_buffer.data(), _buffer.data() + _buffer.size());
    return ok;
}

std::uint64_t FdOutputBuffer::bytesWritten() const { return _flushed + static_cast<std::uint64_t>(pptr() - pbase()); }

FdOutputBuffer::int_type FdOutputBuffer::overflow(int_type ch) {
    if (!flushAll()) return traits_type::eof();
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    *pptr() = traits_type::to_char_type(ch);
    pbump(1);
    return ch;
}

std::streamsize FdOutputBuffer::xsputn(const char* data, std::streamsize count) {
    const auto size = static_cast<std::size_t>(count);
    const auto room = static_cast<std::size_t>(epptr() - pptr());
    if (size <= room) {
        std::memcpy(pptr(), data, size);
        pbump(static_cast<int>(size));
        return count;
    }
    if (!flushAll()) return 0;
    if (size >= _buffer.size()) return writeAll(data, size) ? count : 0;
    std::memcpy(pptr(), data, size);
    pbump(static_cast<int>(size));
    return count;
}

int FdOutputBuffer::sync() { return flushAll() ? 0 : -1; }

}  // namespace okarchive
