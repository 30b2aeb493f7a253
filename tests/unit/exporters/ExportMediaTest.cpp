#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "domain/Errors.h"
#include "exporters/ExportJob.h"
#include "exporters/ExportMedia.h"
#include "exporters/HtmlAttachment.h"
#include "unit/exporters/ExportTestSupport.h"

using namespace okarchive;
using namespace okarchive::test;

namespace {

namespace fs = std::filesystem;

std::string be32(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

/// A PNG header of w x h (enough for the dimensions; a browser test renders real ones).
std::string pngHeader(std::uint32_t w, std::uint32_t h) {
    return std::string("\x89PNG\r\n\x1a\n", 8) + be32(13) + "IHDR" + be32(w) + be32(h) +
           std::string("\x08\x02\0\0\0", 5);
}

/// A media store with files by (fake) hash.
struct Store {
    explicit Store(const fs::path& root) : directory((root / "archive.db.media").string()) {}
    std::string put(char digit, const std::string& bytes) {
        const std::string hex(64, digit);
        const auto path = fs::path(directory) / mediaStorePath(hex);
        fs::create_directories(path.parent_path());
        writeFile(path.string(), bytes);
        return hex;
    }
    std::string directory;
};

AttachmentMedia saved(const std::string& hex, std::int64_t bytes, std::string mime) {
    AttachmentMedia media;
    media.state = MediaState::Saved;
    media.sha256 = hex;
    media.bytes = bytes;
    media.mime = std::move(mime);
    return media;
}

AttachmentMedia missing(MediaState state, std::string reason) {
    AttachmentMedia media;
    media.state = state;
    media.reason = std::move(reason);
    return media;
}

Message mediaMessage(const std::string& mid, std::vector<Attachment> attachments) {
    Message m = textMessage(mid, 1498581292941, 1, "user:1", "Ivan", "look");  // June 2017
    m.attachments = std::move(attachments);
    return m;
}

ino_t inode(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_ino;
}

struct Fixture {
    TempDir dir;
    Store store{dir.path()};
    std::string image = store.put('a', pngHeader(7, 5) + "rest of the png");
    std::string pdf = store.put('b', "%PDF-1.4 a document");
    std::vector<Message> messages = {
        mediaMessage("mid:A1", {Attachment("IMAGE", R"({"url":"https://cdn.example/i.png?sig=1"})",
                                           saved(image, 29, "image/png")),
                                Attachment("FILE", R"({"url":"https://cdn.example/f","name":"отчёт.pdf","size":19})",
                                           saved(pdf, 19, "application/pdf"))}),
        mediaMessage("mid:A2", {Attachment("VIDEO", R"({"url":"https://cdn.example/v.mp4?expires=9"})",
                                           missing(MediaState::Expired, "403 after 2 fresh links"))}),
    };
    std::string output = dir.file("out.html");

    ExportSummary run(MediaExportMode mode, const std::string& format = "html", std::string path = {}) {
        auto request = requestFor(messages, format, path.empty() ? output : path);
        request.media = {mode, store.directory};
        return runExport(request);
    }
};

}  // namespace

TEST_CASE("Export media, copy: saved files are hard-linked beside the page and shown from there") {
    Fixture f;
    const auto summary = f.run(MediaExportMode::Copy);
    const auto folder = f.dir.file("out_media");
    CHECK(summary.mediaFolder == folder);
    CHECK(summary.mediaFiles == 2);
    const auto png = folder + "/2017-06/A1_0.png", pdf = folder + "/2017-06/A1_1_отчёт.pdf";
    REQUIRE(fs::exists(png));
    REQUIRE(fs::exists(pdf));
    CHECK(inode(png) == inode(f.store.directory + "/" + mediaStorePath(f.image)));  // the same file: no copy
    CHECK(readFile(pdf) == "%PDF-1.4 a document");
    const auto html = readFile(f.output);
    CHECK(html.find("img-src data: 'self'; media-src 'self';") != std::string::npos);
    CHECK(html.find(R"(<img class="image" src="out_media/2017-06/A1_0.png" width="7" height="5")") !=
          std::string::npos);
    CHECK(html.find(R"(<a href="out_media/2017-06/A1_1_%D0%BE%D1%82%D1%87%D1%91%D1%82.pdf">)") != std::string::npos);
    SECTION("missing media says why and never falls back to the remote link") {
        CHECK(html.find("not saved: expired (403 after 2 fresh links)") != std::string::npos);
        CHECK(html.find("cdn.example") == std::string::npos);
    }
    SECTION("a second export keeps the files (same inode) and removes what it no longer references") {
        writeFile(folder + "/2017-06/.A1_0.png.tmp-deadbeef", "a dead writer's");
        writeFile(folder + "/2017-06/old_0.png", "an earlier export's");
        writeFile(folder + "/notes.txt", "the user's own");
        const auto before = inode(png);
        f.messages[0].attachments.pop_back();
        f.run(MediaExportMode::Copy);
        CHECK(inode(png) == before);
        CHECK_FALSE(fs::exists(pdf));
        CHECK_FALSE(fs::exists(folder + "/2017-06/.A1_0.png.tmp-deadbeef"));
        CHECK_FALSE(fs::exists(folder + "/2017-06/old_0.png"));
        CHECK(fs::exists(folder + "/notes.txt"));  // only what okarchive names is swept
    }
}

TEST_CASE("Export media, copy: across file systems the files are copied, whole and with the store's time") {
    Fixture f;
    TempDir local;  // under the temp directory; the export goes to /dev/shm when that is another file system
    const fs::path shm = "/dev/shm";
    struct stat a {
    }, b{};
    if (::stat(shm.c_str(), &a) != 0 || ::stat(f.dir.path().c_str(), &b) != 0 || a.st_dev == b.st_dev ||
        ::access(shm.c_str(), W_OK) != 0) {
        WARN("no second file system at /dev/shm: the copy fallback is not exercised here");
        return;
    }
    const auto target = shm / fs::path(f.dir.path()).filename();
    fs::create_directories(target);
    const auto output = (target / "out.html").string();
    f.run(MediaExportMode::Copy, "html", output);
    const auto png = (target / "out_media/2017-06/A1_0.png").string();
    const auto source = f.store.directory + "/" + mediaStorePath(f.image);
    CHECK(readFile(png) == readFile(source));
    CHECK(inode(png) != inode(source));
    struct stat copy {
    }, original{};
    ::stat(png.c_str(), &copy);
    ::stat(source.c_str(), &original);
    CHECK(copy.st_mtim.tv_sec == original.st_mtim.tv_sec);
    CHECK(copy.st_mtim.tv_nsec == original.st_mtim.tv_nsec);
    std::error_code ec;
    fs::remove_all(target, ec);
}

TEST_CASE("Export media, link and none: nothing is copied: link is the page as before, none shows cards only") {
    Fixture f;
    f.run(MediaExportMode::Link);
    CHECK_FALSE(fs::exists(f.dir.file("out_media")));
    const auto linked = readFile(f.output);
    auto plain = f.messages;
    for (auto& m : plain)
        for (auto& a : m.attachments) a.media.reset();
    auto request = requestFor(plain, "html", f.dir.file("plain.html"));
    runExport(request);
    CHECK(linked == readFile(f.dir.file("plain.html")));
    CHECK(linked.find("img-src data:; base-uri") != std::string::npos);  // no 'self', no media-src
    f.run(MediaExportMode::None);
    const auto cards = readFile(f.output);
    CHECK(cards.find("cdn.example") == std::string::npos);
    CHECK(cards.find("<img") == std::string::npos);
    CHECK(cards.find("отчёт.pdf") != std::string::npos);
}

TEST_CASE("Export media: a partitioned export's parts share one folder, one directory up") {
    Fixture f;
    for (int i = 0; i < 3; ++i)
        f.messages.push_back(f.messages[0]), f.messages.back().mid = "mid:B" + std::to_string(i);
    auto request = requestFor(f.messages, "html", f.output);
    request.media = {MediaExportMode::Copy, f.store.directory};
    request.partition = PartitionPolicy::messages(2);
    const auto summary = runExport(request);
    REQUIRE(summary.files.size() == 3);
    CHECK(readFile(summary.files[1]).find(R"(src="../out_media/2017-06/B0_0.png")") != std::string::npos);
    CHECK(fs::exists(f.dir.file("out_media/2017-06/B2_1_отчёт.pdf")));
}

TEST_CASE("Export media: NDJSON, CSV, txt and telegram-json name the files") {
    Fixture f;
    f.run(MediaExportMode::Copy, "ndjson", f.dir.file("out.ndjson"));
    const auto lines = readFile(f.dir.file("out.ndjson"));
    CHECK(lines.find(R"("payload":{"url":"https://cdn.example/i.png?sig=1"},"media":{"state":"saved","sha256":")" +
                     f.image +
                     R"(","bytes":29,"mime":"image/png","path":"out_media/2017-06/A1_0.png","reason":null}})") !=
          std::string::npos);
    CHECK(lines.find(R"("media":{"state":"expired","sha256":null,"bytes":null,"mime":null,"path":null,)"
                     R"("reason":"403 after 2 fresh links"}})") != std::string::npos);
    f.run(MediaExportMode::Link, "ndjson", f.dir.file("link.ndjson"));
    CHECK(readFile(f.dir.file("link.ndjson")).find(R"("path":"sha256/aa/aa/)" + f.image + "\"") != std::string::npos);
    f.run(MediaExportMode::Copy, "csv", f.dir.file("out.csv"));
    const auto csv = readFile(f.dir.file("out.csv"));
    CHECK(csv.find(",reply_to,media_paths,edited_at,revision_count,deleted_observed_at\r\n") != std::string::npos);
    CHECK(csv.find(",out_media/2017-06/A1_0.png|out_media/2017-06/A1_1_отчёт.pdf,,0,\r\n") != std::string::npos);
    f.run(MediaExportMode::Copy, "txt", f.dir.file("out.txt"));
    const auto txt = readFile(f.dir.file("out.txt"));
    CHECK(txt.find("[Photo: out_media/2017-06/A1_0.png]") != std::string::npos);
    CHECK(txt.find("[Video: not saved: expired]") != std::string::npos);
    f.run(MediaExportMode::Copy, "telegram-json", f.dir.file("result.json"));
    CHECK(readFile(f.dir.file("result.json")).find(R"("photo":"result_media/2017-06/A1_0.png")") != std::string::npos);
}

TEST_CASE("Export media: refusals and failures leave nothing behind") {
    Fixture f;
    SECTION("a store file gone is named on the card") {
        fs::remove(f.store.directory + "/" + mediaStorePath(f.pdf));
        f.run(MediaExportMode::Copy);
        CHECK(readFile(f.output).find("not saved: gone from the media store") != std::string::npos);
    }
    SECTION("copy to standard output is refused") {
        auto request = requestFor(f.messages, "html", "-");
        request.media = {MediaExportMode::Copy, f.store.directory};
        CHECK_THROWS_AS(runExport(request), UsageError);
    }
    SECTION("a folder inside the media store, or holding it, is refused") {
        CHECK_THROWS_AS(f.run(MediaExportMode::Copy, "html", f.store.directory + "/x.html"), UsageError);
        f.store.directory = f.dir.file("out_media/store");
        CHECK_THROWS_AS(f.run(MediaExportMode::Copy), UsageError);
    }
    SECTION("a failed export removes the folder it made") {
        auto request = requestFor(f.messages, "html", f.output);
        request.media = {MediaExportMode::Copy, f.store.directory};
        request.openCursor = [&] { return std::make_unique<VectorCursor>(f.messages, 1); };
        CHECK_THROWS_AS(runExport(request), StorageError);
        CHECK(f.dir.entries() == std::vector<std::string>{"archive.db.media"});
    }
    SECTION("parseMediaExportMode names the option") {
        CHECK(parseMediaExportMode("copy") == MediaExportMode::Copy);
        CHECK_THROWS_WITH(parseMediaExportMode("all"), Catch::Contains("--media='all'"));
    }
}
