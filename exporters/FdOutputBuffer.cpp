#include "exporters/FdOutputBuffer.h"

#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "domain/Env.h"

namespace okarchive {

FdOutputBuffer::FdOutputBuffer(int fd, std::size_t bufferSize, const Cancellation* cancel)
    : _fd(fd), _cancel(cancel), _buffer(bufferSize) {
    setp(_buffer.data(), _buffer.data() + _buffer.size());
}

FdOutputBuffer::~FdOutputBuffer() = default;  // never flushes on its own: an unfinished output is to be discarded

bool FdOutputBuffer::writeAll(const char* data, std::size_t size) {
    if (_error != 0) return false;
    while (size > 0) {
        ssize_t n = ::write(_fd, data, size);
        if (n < 0) {
            if (errno == EINTR || ((errno == EAGAIN || errno == EWOULDBLOCK) && waitWritable())) continue;
            _error = errno;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
        _flushed += static_cast<std::uint64_t>(n);
    }
    return true;
}

/// Waits until the full descriptor takes bytes again (true) or the cancellation came (false, errno ECANCELED).
bool FdOutputBuffer::waitWritable() const {
    int wake[2] = {-1, -1};  // written by the cancellation, so a reader that stopped reading never blocks a stop
    if (_cancel && ::pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) return false;
    int err = 0;
    {
        const auto stop =
            _cancel ? _cancel->onCancel([&] { (void)!::write(wake[1], "x", 1); }) : Cancellation::Registration();
        pollfd fds[2] = {{_fd, POLLOUT, 0}, {wake[0], POLLIN, 0}};
        int ready = 0;
        while ((ready = ::poll(fds, _cancel ? 2 : 1, -1)) < 0 && errno == EINTR) {}
        err = ready < 0 ? errno : fds[1].revents != 0 ? ECANCELED : 0;  // POLLERR: the next write() names it
    }
    if (_cancel) {
        ::close(wake[0]);
        ::close(wake[1]);
    }
    errno = err;
    return err == 0;
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
