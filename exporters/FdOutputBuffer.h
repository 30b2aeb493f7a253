#pragma once

#include <cerrno>
#include <cstdint>
#include <streambuf>
#include <vector>

namespace okarchive {

class Cancellation;

/// A std::streambuf that writes big chunks straight to a POSIX file descriptor (1 MiB buffer, EINTR and short writes
/// handled). Counts every byte handed to it and remembers the errno of the first failed write, so callers can say
/// exactly why an output failed. Does not own the descriptor. On a non-blocking descriptor (a FIFO, a device) a full
/// one is waited for until `cancel` (if given) comes: then the write fails with ECANCELED.
class FdOutputBuffer : public std::streambuf {
public:
    explicit FdOutputBuffer(int fd, std::size_t bufferSize = 1 << 20, const Cancellation* cancel = nullptr);
    ~FdOutputBuffer() override;
    FdOutputBuffer(const FdOutputBuffer&) = delete;
    FdOutputBuffer& operator=(const FdOutputBuffer&) = delete;

    bool flushAll();                      ///< writes out the buffer; false on failure (see error())
    std::uint64_t bytesWritten() const;   ///< bytes accepted so far, buffered ones included
    int error() const { return _error; }  ///< errno of the first failed write, 0 if none

protected:
    int_type overflow(int_type ch) override;
    std::streamsize xsputn(const char* data, std::streamsize count) override;
    int sync() override;

private:
    bool writeAll(const char* data, std::size_t size);
    bool waitWritable() const;

    int _fd;
    const Cancellation* _cancel;
    std::vector<char> _buffer;
    std::uint64_t _flushed = 0;
    int _error = 0;
};

}  // namespace okarchive
