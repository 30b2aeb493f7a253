#include "media/MediaStore.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <random>
#include <system_error>

#include <fmt/format.h>

#include "domain/Errors.h"
#include "domain/Media.h"

namespace okarchive {
namespace {

constexpr const char* kTempPrefix = ".tmp-";
constexpr std::time_t kStaleTempSeconds = 3600;

std::string lastError() { return std::error_code(errno, std::generic_category()).message(); }

[[noreturn]] void storageFailure(const std::string& what, const std::string& path) {
    throw StorageError(fmt::format("media store: cannot {} {}: {}", what, path, lastError()));
}

void fsyncDirectory(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) storageFailure("open the directory", path);
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) storageFailure("fsync the directory", path);
}

/// Whether `path` is a directory itself, not a link to one (nor anything else).
bool realDirectory(const std::string& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

/// How makeDirectories treats a link in place of a directory: the path to the store may have links; inside it,
/// sha256/ab/cd must be directories, so no file is ever written through a link out of the store.
enum class Links { Follow, Refuse };

/// mkdir -p below `base` (which exists): each directory made is fsynced into its parent, so a crash cannot lose the
/// directory a renamed file lives in.
void makeDirectories(const std::string& base, const std::string& relative, Links links) {
    std::string path = base;
    std::size_t start = 0;
    while (start < relative.size()) {
        const std::size_t end = relative.find('/', start);
        const std::string parent = path;
        path += "/" + relative.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (::mkdir(path.c_str(), 0750) == 0)
            fsyncDirectory(parent.empty() ? "/" : parent);
        else if (errno != EEXIST)
            storageFailure("create the directory", path);
        else if (links == Links::Refuse && !realDirectory(path))
            throw StorageError(fmt::format("media store: {} is not a directory (a link or a file in its place)", path));
        if (end == std::string::npos) break;
        start = end + 1;
    }
}

std::string randomSuffix() {
    thread_local std::mt19937_64 generator{std::random_device{}()};
    return fmt::format("{:016x}", generator());
}

/// The file's own status: a link is not followed.
std::optional<struct stat> statOf(const std::string& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) return std::nullopt;
    return info;
}

/// This process's mark in the names of its temporary files. A pid is reused (a restarted container's okarchive is
/// PID 1 again, a rebooted host counts from the same numbers): a file of this pid is this process's only with its mark.
const std::string& processMark() {
    static const std::string mark = randomSuffix();
    return mark;
}

/// A temporary file of a process that is gone (its pid not alive, or this pid without this process's mark), or one
/// nobody wrote for an hour.
bool abandonedTemp(const std::string& name, const struct stat& info) {
    const std::string rest = name.substr(std::string_view(kTempPrefix).size());
    char* end = nullptr;
    const long pid = std::strtol(rest.c_str(), &end, 10);
    const bool alive = pid == ::getpid() ? std::string_view(end).starts_with("-" + processMark() + "-")
                                         : pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
    return !alive || std::time(nullptr) - info.st_mtime > kStaleTempSeconds;
}

}  // namespace

MediaStore::MediaStore(std::string directory) : _directory(std::move(directory)) {
    if (_directory.empty()) throw StorageError("media store: media.directory is empty");
    while (_directory.size() > 1 && _directory.back() == '/') _directory.pop_back();
    if (_directory.front() == '/')
        makeDirectories("", _directory.substr(1), Links::Follow);
    else
        makeDirectories(".", _directory, Links::Follow);
    if (::access(_directory.c_str(), W_OK | X_OK) != 0) storageFailure("write into", _directory);
}

std::string MediaStore::pathOf(const std::string& sha256Hex) const {
    if (!isSha256Hex(sha256Hex))
        throw StorageError(
            fmt::format("media store: \"{}\" is not a SHA-256 (64 lower-case hex digits)", sha256Hex.substr(0, 80)));
    return _directory + "/" + mediaStorePath(sha256Hex);
}

bool MediaStore::holds(const std::string& sha256Hex, std::int64_t bytes) const {
    const auto info = statOf(pathOf(sha256Hex));
    return info && S_ISREG(info->st_mode) && info->st_size == bytes;
}

MediaFileCheck MediaStore::check(const std::string& sha256Hex, std::int64_t bytes) const {
    const std::string path = pathOf(sha256Hex);
    // A link is not followed (ELOOP) and a FIFO or device does not block the open: neither is a stored file.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) return MediaFileCheck::Missing;
        if (errno == ELOOP) return MediaFileCheck::WrongHash;
        storageFailure("open", path);
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        return MediaFileCheck::WrongHash;
    }
    Sha256 hash;
    std::int64_t total = 0;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ::close(fd);
            storageFailure("read", path);
        }
        if (n == 0) break;
        hash.update(buffer, static_cast<std::size_t>(n));
        total += n;
    }
    ::close(fd);
    if (total != bytes) return MediaFileCheck::WrongSize;
    return hash.hex() == sha256Hex ? MediaFileCheck::Intact : MediaFileCheck::WrongHash;
}

int MediaStore::sweepTemporaries() {
    DIR* dir = ::opendir(_directory.c_str());
    if (!dir) storageFailure("list", _directory);
    int removed = 0;
    while (const dirent* entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (name.rfind(kTempPrefix, 0) != 0) continue;
        const std::string path = _directory + "/" + name;
        const auto info = statOf(path);
        if (info && S_ISREG(info->st_mode) && abandonedTemp(name, *info) && ::unlink(path.c_str()) == 0) ++removed;
    }
    ::closedir(dir);
    return removed;
}

MediaStoreWrite::MediaStoreWrite(const MediaStore& store) : _store(store) {
    for (int attempt = 0; _fd < 0; ++attempt) {
        _tempPath =
            fmt::format("{}/{}{}-{}-{}", store.directory(), kTempPrefix, ::getpid(), processMark(), randomSuffix());
        _fd = ::open(_tempPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
        if (_fd < 0 && (errno != EEXIST || attempt == 8)) storageFailure("create", _tempPath);
    }
    if (::fchmod(_fd, 0640) != 0) {
        discard();
        storageFailure("set the mode of", _tempPath);
    }
}

MediaStoreWrite::~MediaStoreWrite() { discard(); }

void MediaStoreWrite::discard() {
    if (_fd >= 0) ::close(_fd);
    _fd = -1;
    if (!_tempPath.empty()) ::unlink(_tempPath.c_str());
    _tempPath.clear();
}

void MediaStoreWrite::append(const char* data, std::size_t size) {
    _hash.update(data, size);
    _bytes += static_cast<std::int64_t>(size);
    while (size > 0) {
        const ssize_t n = ::write(_fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) storageFailure("write", _tempPath);
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

std::string MediaStoreWrite::commit() {
    const std::string hex = _hash.hex();
    if (::fsync(_fd) != 0) storageFailure("fsync", _tempPath);
    const std::string relative = mediaStorePath(hex);
    const std::string folder = relative.substr(0, relative.find_last_of('/'));
    makeDirectories(_store.directory(), folder, Links::Refuse);
    if (_store.check(hex, _bytes) == MediaFileCheck::Intact) {  // the content is in place already: one file each
        discard();
        return hex;
    }
    const std::string target = _store.pathOf(hex);
    if (::rename(_tempPath.c_str(), target.c_str()) != 0) storageFailure("rename into place", target);
    _tempPath.clear();
    ::close(_fd);
    _fd = -1;
    fsyncDirectory(_store.directory() + "/" + folder);
    return hex;
}

}  // namespace okarchive
