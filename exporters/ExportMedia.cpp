#include "exporters/ExportMedia.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "domain/Errors.h"
#include "domain/TextFold.h"
#include "exporters/AtomicOutputFile.h"
#include "exporters/ExportPart.h"
#include "exporters/MediaFileName.h"
#include "exporters/ProtectedPaths.h"
#include "exporters/StaleOutputs.h"

namespace okarchive {
namespace {

namespace fs = std::filesystem;

std::uint64_t nameHash(std::string_view text) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
    return hash;
}

/// <stem>_media beside `output` (the stem: its file name without the last extension).
std::string folderFor(const std::string& output) {
    const fs::path path(output);
    return (path.parent_path() / (path.stem().string() + "_media")).string();
}

bool isMonthDirectory(const std::string& name) {
    return name.size() == 7 && name[4] == '-' &&
           std::all_of(name.begin(), name.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
}

bool hasImage(const Attachment& a, const AttachmentMedia& media) {
    const std::string type = upperAscii(a.type);
    return media.mime.rfind("image/", 0) == 0 || type == "IMAGE" || type == "STICKER" || type == "CONTACT";
}

/// Copies `source` into the new file `target` (O_EXCL), with the source's modification time, fsync'ed.
void copyFile(const std::string& source, const std::string& target) {
    const int in = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) throw Error(fmt::format("cannot read {}: {}", source, std::strerror(errno)));
    const int out = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0) {
        const int err = errno;
        ::close(in);
        throw Error(fmt::format("cannot create {}: {}", target, std::strerror(err)));
    }
    char buffer[64 * 1024];
    ssize_t got = 0;
    bool ok = true;
    while (ok && (got = ::read(in, buffer, sizeof buffer)) > 0)
        for (ssize_t done = 0; ok && done < got;) {
            const ssize_t wrote = ::write(out, buffer + done, static_cast<std::size_t>(got - done));
            ok = wrote > 0;
            done += wrote > 0 ? wrote : 0;
        }
    struct stat st {};
    ok = ok && got == 0 && ::fstat(in, &st) == 0;
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    ok = ok && ::futimens(out, times) == 0 && ::fsync(out) == 0;
    const int err = errno;
    ::close(in);
    if (::close(out) != 0) ok = false;
    if (!ok) throw Error(fmt::format("cannot copy {} to {}: {}", source, target, std::strerror(err)));
}

/// Whether `target` already is `source`'s content: the same file (a hard link), or a copy of the same size and time.
bool alreadyPlaced(const struct stat& source, const std::string& target) {
    struct stat st {};
    if (::lstat(target.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    if (st.st_dev == source.st_dev && st.st_ino == source.st_ino) return true;
    return st.st_size == source.st_size && st.st_mtim.tv_sec == source.st_mtim.tv_sec &&
           st.st_mtim.tv_nsec == source.st_mtim.tv_nsec;
}

}  // namespace

std::string_view mediaExportModeName(MediaExportMode mode) {
    switch (mode) {
        case MediaExportMode::Copy: return "copy";
        case MediaExportMode::Link: return "link";
        case MediaExportMode::None: return "none";
    }
    return "link";
}

MediaExportMode parseMediaExportMode(std::string_view text) {
    for (auto mode : {MediaExportMode::Copy, MediaExportMode::Link, MediaExportMode::None})
        if (text == mediaExportModeName(mode)) return mode;
    throw UsageError(fmt::format("--media='{}': expected copy, link or none", text));
}

ExportMediaFiles::ExportMediaFiles(const ExportMediaOptions& options, const std::string& outputPath,
                                   const ProtectedPaths* guard)
    : _options(options), _folder(folderFor(outputPath)) {
    if (_options.mode != MediaExportMode::Copy) return;
    if (outputPath == "-" || isSpecialFile(outputPath))
        throw UsageError(fmt::format("--media=copy needs a file as --output (the files go beside it): {} is not one",
                                     outputPath == "-" ? "standard output" : outputPath));
    if (!_options.directory.empty()) {
        ProtectedPaths store, folder;
        store.addDirectory(_options.directory, "the media store");
        folder.addDirectory(_folder, "the media folder");
        if (!store.match(_folder).empty() || !folder.match(_options.directory).empty())
            throw UsageError(
                fmt::format("refusing to export media into {}: it would mix with the media store {} "
                            "(media.directory); choose another --output",
                            _folder, _options.directory));
    }
    if (guard) guard->check(_folder);
}

ExportMediaFiles::~ExportMediaFiles() {
    if (!_finished && _createdFolder) {
        std::error_code ec;
        fs::remove_all(_folder, ec);
    }
    if (_lockFd >= 0) ::close(_lockFd);
}

/// Creates the folder if missing and takes its lock (no second export writes it meanwhile).
void ExportMediaFiles::lock() {
    if (_lockFd >= 0) return;
    createParentDirectories(_folder);
    if (::mkdir(_folder.c_str(), 0755) == 0)
        _createdFolder = true;
    else if (errno != EEXIST)
        throw Error(fmt::format("cannot create the media folder {}: {}", _folder, std::strerror(errno)));
    _lockFd = ::open(_folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (_lockFd < 0)
        throw Error(fmt::format("cannot open the media folder {}: {}", _folder,
                                errno == ELOOP || errno == ENOTDIR ? "it is not a directory" : std::strerror(errno)));
    if (!tryLockExclusive(_lockFd))
        throw Error(fmt::format("another export is writing the media folder {}: try again when it is done", _folder));
}

/// Links (or, across file systems or where linking is not allowed, copies) `source` to `target` via a temporary.
void ExportMediaFiles::placeFile(const std::string& source, const std::string& target) {
    const fs::path path(target);
    static thread_local std::mt19937 random{std::random_device{}()};
    const auto temporary = (path.parent_path() / temporaryNameFor(path.filename().string(), random())).string();
    if (::link(source.c_str(), temporary.c_str()) != 0) {
        if (errno != EXDEV && errno != EPERM && errno != EMLINK && errno != EACCES && errno != ENOTSUP)
            throw Error(fmt::format("cannot write {}: {}", target, std::strerror(errno)));
        copyFile(source, temporary);
    }
    if (::rename(temporary.c_str(), target.c_str()) != 0) {
        const int err = errno;
        ::unlink(temporary.c_str());
        throw Error(fmt::format("cannot write {}: {}", target, std::strerror(err)));
    }
}

std::string ExportMediaFiles::place(const Message& m, std::size_t position, const AttachmentMedia& media,
                                    MediaView& view) {
    const std::string source = (fs::path(_options.directory) / mediaStorePath(media.sha256)).string();
    struct stat st {};
    if (::stat(source.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        view.missing =
            fmt::format("the file is gone from the media store {} (see okarchive media verify)", _options.directory);
        return {};
    }
    lock();
    const std::string name = exportedMediaName(m, position, media.mime);
    const std::string month = name.substr(0, name.find('/'));
    if (_months.insert(month).second && ::mkdir((_folder + "/" + month).c_str(), 0755) != 0 && errno != EEXIST)
        throw Error(fmt::format("cannot create {}/{}: {}", _folder, month, std::strerror(errno)));
    const std::string target = _folder + "/" + name;
    if (!alreadyPlaced(st, target)) placeFile(source, target);
    _referenced.push_back(nameHash(name));
    if (hasImage(m.attachments[position], media)) view.size = imageSizeOfFile(source);
    return fs::path(_folder).filename().string() + "/" + name;
}

MediaView ExportMediaFiles::view(const Message& m, std::size_t position, std::string_view up) {
    MediaView view = storeMediaView(_options.mode, m, position);
    if (_options.mode != MediaExportMode::Copy || view.path.empty()) return view;
    view.path.clear();
    const std::string path = place(m, position, *view.media, view);
    if (!path.empty()) view.path = std::string(up) + path;
    return view;
}

void ExportMediaFiles::finish() {
    if (_lockFd >= 0) {
        for (const auto& month : _months) syncDirectory(_folder + "/" + month);
        syncDirectory(_folder);
    }
    _finished = true;
}

void ExportMediaFiles::sweep() noexcept {
    if (_options.mode != MediaExportMode::Copy) return;
    try {
        if (_lockFd < 0) {
            struct stat st {};
            if (::lstat(_folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return;
            lock();
        }
        std::sort(_referenced.begin(), _referenced.end());
        std::error_code ec;
        for (const auto& month : fs::directory_iterator(_folder, ec)) {
            const std::string monthName = month.path().filename().string();
            if (!isMonthDirectory(monthName) || !month.is_directory(ec) || month.is_symlink(ec)) continue;
            for (const auto& file : fs::directory_iterator(month.path(), ec)) {
                const std::string name = monthName + "/" + file.path().filename().string();
                if (!std::binary_search(_referenced.begin(), _referenced.end(), nameHash(name)))
                    fs::remove(file.path(), ec);
            }
            fs::remove(month.path(), ec);  // only when empty
        }
    } catch (const std::exception&) {
        // best effort: what stays is removed by the next export
    }
}

std::string mediaMissingText(Locale locale, const MediaView& view, bool reason) {
    const bool ru = locale == Locale::Russian;
    const MediaState state = view.media ? view.media->state : MediaState::Pending;
    std::string_view why;
    switch (state) {
        case MediaState::Pending: why = ru ? "ещё не загружено" : "not downloaded yet"; break;
        case MediaState::Saved: why = ru ? "файла нет в хранилище медиа" : "gone from the media store"; break;
        case MediaState::SkippedPolicy: why = ru ? "пропущено по настройкам" : "skipped"; break;
        case MediaState::Expired: why = ru ? "платформа больше не отдаёт файл" : "expired"; break;
        case MediaState::FailedTransient:
        case MediaState::FailedPermanent: why = ru ? "ошибка загрузки" : "failed"; break;
    }
    std::string text = fmt::format("{}: {}", ru ? "не сохранено" : "not saved", why);
    const std::string& detail = view.missing.empty() && view.media ? view.media->reason : view.missing;
    if (reason && !detail.empty()) text += fmt::format(" ({})", detail);
    return text;
}

MediaView storeMediaView(MediaExportMode mode, const Message& m, std::size_t position) {
    MediaView view;
    view.mode = mode;
    if (position >= m.attachments.size() || !m.attachments[position].media) return view;
    view.media = &*m.attachments[position].media;
    if (view.media->state == MediaState::Saved && !view.media->sha256.empty())
        view.path = mediaStorePath(view.media->sha256);
    return view;
}

MediaView exportMediaView(const ExportPart& part, const Message& m, std::size_t position) {
    if (part.media) return part.media->view(m, position, part.partitioned() ? "../" : "");
    return storeMediaView(MediaExportMode::Link, m, position);
}

}  // namespace okarchive
