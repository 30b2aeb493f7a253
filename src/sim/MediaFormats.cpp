#include "sim/MediaFormats.h"

#include <Poco/Checksum.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <vector>

#include "sim/Rng.h"

namespace okarchive::sim {
namespace {

void be32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}

void le(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

std::uint32_t checksum(Poco::Checksum::Type type, std::string_view bytes) {
    Poco::Checksum sum(type);
    sum.update(bytes.data(), static_cast<unsigned>(bytes.size()));
    return sum.checksum();
}

std::uint32_t crc32(std::string_view bytes) { return checksum(Poco::Checksum::TYPE_CRC32, bytes); }

void pngChunk(std::string& out, std::string_view type, std::string_view data) {
    be32(out, static_cast<std::uint32_t>(data.size()));
    const std::string typed = std::string(type) + std::string(data);
    out += typed;
    be32(out, crc32(typed));
}

constexpr std::size_t kStoredBlock = 65535;

std::size_t storedZlibSize(std::size_t raw) {
    const std::size_t blocks = std::max<std::size_t>(1, (raw + kStoredBlock - 1) / kStoredBlock);
    return 2 + 5 * blocks + raw + 4;
}

/// zlib with stored (uncompressed) deflate blocks: its size is known in advance.
std::string storedZlib(const std::string& raw) {
    std::string out = "\x78\x01";
    std::size_t at = 0;
    do {
        const std::size_t length = std::min(kStoredBlock, raw.size() - at);
        out += static_cast<char>(at + length == raw.size() ? 1 : 0);
        le(out, length, 2);
        le(out, ~length & 0xFFFF, 2);
        out.append(raw, at, length);
        at += length;
    } while (at < raw.size());
    be32(out, checksum(Poco::Checksum::TYPE_ADLER32, raw));
    return out;
}

/// Rows of RGB pixels with filter byte 0: a gradient whose colours come from the seed.
std::string pngPixels(std::uint64_t seed, std::uint32_t width, std::uint32_t height) {
    const std::uint32_t r0 = seed & 0xFF, g0 = (seed >> 8) & 0xFF, b0 = (seed >> 16) & 0xFF;
    std::string raw;
    raw.reserve(static_cast<std::size_t>(height) * (width * 3 + 1));
    for (std::uint32_t y = 0; y < height; ++y) {
        raw += '\0';
        for (std::uint32_t x = 0; x < width; ++x) {
            raw += static_cast<char>((r0 + x * 255 / width) & 0xFF);
            raw += static_cast<char>((g0 + y * 255 / height) & 0xFF);
            raw += static_cast<char>((b0 + (x ^ y)) & 0xFF);
        }
    }
    return raw;
}

class BitWriter {
public:
    void put(std::uint32_t value, int bits) {
        for (int i = 0; i < bits; ++i) {
            if (_used == 0) _bytes += '\0';
            if ((value >> i) & 1) _bytes.back() = static_cast<char>(_bytes.back() | (1 << _used));
            _used = (_used + 1) % 8;
        }
    }
    const std::string& bytes() const { return _bytes; }

private:
    std::string _bytes;
    int _used = 0;
};

/// A VP8L bitstream of one ARGB colour: five simple prefix codes of one symbol each, so pixels take no bits.
std::string vp8lSolid(std::uint32_t width, std::uint32_t height, std::array<std::uint32_t, 4> greenRedBlueAlpha) {
    BitWriter bits;
    bits.put(0x2f, 8);
    bits.put(width - 1, 14);
    bits.put(height - 1, 14);
    bits.put(0, 1);  // alpha hint
    bits.put(0, 3);  // version
    bits.put(0, 1);  // no transform
    bits.put(0, 1);  // no colour cache
    bits.put(0, 1);  // no meta prefix codes
    for (std::uint32_t symbol : greenRedBlueAlpha) {
        bits.put(1, 1);  // simple code
        bits.put(0, 1);  // one symbol
        bits.put(1, 1);  // of 8 bits
        bits.put(symbol, 8);
    }
    bits.put(1, 1);  // distance: simple code, one symbol, 1 bit: 0
    bits.put(0, 1);
    bits.put(0, 1);
    bits.put(0, 1);
    return bits.bytes();
}

void riffChunk(std::string& out, std::string_view fourcc, std::string_view data) {
    out += fourcc;
    le(out, data.size(), 4);
    out += data;
    if (data.size() % 2 != 0) out += '\0';
}

void oggPage(std::string& out, int type, std::uint64_t granule, std::uint32_t sequence,
             const std::vector<std::string>& packets) {
    std::string page = "OggS";
    page += '\0';
    page += static_cast<char>(type);
    le(page, granule, 8);
    le(page, 0x6f6b6172, 4);  // serial
    le(page, sequence, 4);
    le(page, 0, 4);  // CRC, filled below
    std::string table, data;
    for (const auto& packet : packets) {
        for (std::size_t left = packet.size();; left -= 255) {
            table += static_cast<char>(std::min<std::size_t>(left, 255));
            if (left < 255) break;
        }
        data += packet;
    }
    page += static_cast<char>(table.size());
    page += table + data;
    const std::uint32_t crc = oggCrc(page);
    for (int i = 0; i < 4; ++i) page[22 + i] = static_cast<char>((crc >> (8 * i)) & 0xFF);
    out += page;
}

std::string opusHead() {
    std::string head = "OpusHead";
    head += '\x01';  // version
    head += '\x01';  // mono
    le(head, 312, 2);
    le(head, 48000, 4);
    le(head, 0, 2);
    head += '\0';  // mapping family 0
    return head;
}

std::string opusTags() {
    std::string tags = "OpusTags";
    const std::string vendor = "okapi-sim";
    le(tags, vendor.size(), 4);
    tags += vendor;
    le(tags, 0, 4);
    return tags;
}

std::string pdfWithPadding(std::uint64_t seed, std::size_t padding) {
    std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n%" + std::string(padding, 'x') + "\n";
    const std::string text = "BT /F1 18 Tf 20 70 Td (okapi-sim file " + std::to_string(seed % 1000000) + ") Tj ET";
    const std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> "
        ">>",
        "<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text + "\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(out.size());
        out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = out.size();
    out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t offset : offsets) {
        const std::string number = std::to_string(offset);
        out += std::string(10 - number.size(), '0') + number + " 00000 n \n";
    }
    out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return out;
}

void zipEntryFields(std::string& out, std::uint32_t crc, std::size_t size, std::size_t nameSize) {
    le(out, 0, 2);     // flags
    le(out, 0, 2);     // stored
    le(out, 0, 2);     // time
    le(out, 0x21, 2);  // 1980-01-01
    le(out, crc, 4);
    le(out, size, 4);
    le(out, size, 4);
    le(out, nameSize, 2);
    le(out, 0, 2);  // extra
}

}  // namespace

std::uint32_t oggCrc(const std::string& bytes) {
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t r = i << 24;
            for (int k = 0; k < 8; ++k) r = (r & 0x80000000U) != 0 ? (r << 1) ^ 0x04c11db7U : r << 1;
            t[i] = r;
        }
        return t;
    }();
    std::uint32_t crc = 0;
    for (unsigned char c : bytes) crc = (crc << 8) ^ table[((crc >> 24) ^ c) & 0xFF];
    return crc;
}

std::string pngImage(std::uint64_t seed, std::size_t target) {
    constexpr std::size_t kFixed = 8 + 25 + 12 + 12 + 20;  // signature, IHDR, IDAT and IEND framing, tEXt minimum
    const double pixels = static_cast<double>(target > kFixed ? target - kFixed : 0) / 3.0;
    const auto square = static_cast<std::uint32_t>(std::sqrt(pixels));  // width at most ~1.4x the height
    std::uint32_t width =
        std::max<std::uint32_t>(1, std::min(16 + static_cast<std::uint32_t>(seed % 600), square + square / 2));
    while (width > 1 && kFixed + storedZlibSize(width * 3 + 1) > target) --width;
    const std::size_t row = width * 3 + 1;
    std::uint32_t height =
        static_cast<std::uint32_t>(std::max<std::size_t>(1, (target > kFixed ? target - kFixed : 0) / row));
    while (height > 1 && kFixed + storedZlibSize(height * row) > target) --height;
    std::string ihdr;
    be32(ihdr, width);
    be32(ihdr, height);
    ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8 bits, truecolour, deflate, adaptive filters, no interlace
    std::string out = "\x89PNG\r\n\x1a\n";
    pngChunk(out, "IHDR", ihdr);
    pngChunk(out, "IDAT", storedZlib(pngPixels(seed, width, height)));
    const std::size_t used = out.size() + 12 + 12;
    const std::size_t text = target > used + 8 ? target - used - 8 : 0;
    pngChunk(out, "tEXt", std::string("Comment") + '\0' + std::string(text, 'k'));
    pngChunk(out, "IEND", "");
    return out;
}

std::string webpImage(std::uint64_t seed, std::size_t target) {
    const std::uint32_t width = 64 + static_cast<std::uint32_t>(seed % 449);
    const std::uint32_t height = 64 + static_cast<std::uint32_t>((seed >> 12) % 449);
    const std::array<std::uint32_t, 4> colour = {static_cast<std::uint32_t>((seed >> 24) & 0xFF),
                                                 static_cast<std::uint32_t>((seed >> 32) & 0xFF),
                                                 static_cast<std::uint32_t>((seed >> 40) & 0xFF), 255};
    std::string vp8x;
    vp8x += '\x04';  // flags: XMP metadata present
    le(vp8x, 0, 3);
    le(vp8x, width - 1, 3);
    le(vp8x, height - 1, 3);
    std::string body = "WEBP";
    riffChunk(body, "VP8X", vp8x);
    riffChunk(body, "VP8L", vp8lSolid(width, height, colour));
    const std::size_t used = 8 + body.size() + 8;
    riffChunk(body, "XMP ", std::string(target > used ? target - used : 0, ' '));
    std::string out = "RIFF";
    le(out, body.size(), 4);
    return out + body;
}

std::string oggOpusAudio(std::uint64_t seed, std::size_t target) {
    std::string out;
    oggPage(out, 0x02, 0, 0, {opusHead()});
    oggPage(out, 0x00, 0, 1, {opusTags()});
    const std::string packet = std::string(1, '\xF8') + std::string(19 + seed % 20, '\0');  // CELT FB 20 ms mono
    const std::size_t perPage = 50;
    const std::size_t pageSize = 27 + perPage + perPage * packet.size();
    std::uint64_t granule = 312;
    for (std::uint32_t sequence = 2;; ++sequence) {
        granule += 960 * perPage;
        const bool last = out.size() + 2 * pageSize > target;
        oggPage(out, last ? 0x04 : 0x00, granule, sequence, std::vector<std::string>(perPage, packet));
        if (last) break;
    }
    return out;
}

std::string mp3Audio(std::uint64_t seed, std::size_t target) {
    std::string out = "ID3";
    out += std::string("\x03\x00\x00", 3);
    le(out, 0, 4);  // tag size 0 (syncsafe)
    std::string frame = std::string("\xFF\xFB\x90", 3) + static_cast<char>(seed % 2 == 0 ? 0x00 : 0xC0);
    frame += std::string(417 - frame.size(), '\0');
    do out += frame;
    while (out.size() < target || out.size() < 10 + 4 * frame.size());
    return out;
}

std::string mp4Video(std::uint64_t seed, std::size_t target) {
    std::string out;
    be32(out, 28);
    out += "ftypisom";
    be32(out, 0x200);
    out += "isomiso2mp41";
    std::string mvhd;
    be32(mvhd, 0);  // version and flags
    be32(mvhd, 0);
    be32(mvhd, 0);
    be32(mvhd, 1000);                                      // timescale
    be32(mvhd, static_cast<std::uint32_t>(seed % 60000));  // duration
    be32(mvhd, 0x00010000);
    mvhd += std::string("\x01\x00", 2) + std::string(10, '\0');
    for (std::uint32_t m : {0x00010000U, 0U, 0U, 0U, 0x00010000U, 0U, 0U, 0U, 0x40000000U}) be32(mvhd, m);
    mvhd += std::string(24, '\0');
    be32(mvhd, 1);  // next track id
    be32(out, static_cast<std::uint32_t>(8 + 8 + mvhd.size()));
    out += "moov";
    be32(out, static_cast<std::uint32_t>(8 + mvhd.size()));
    out += "mvhd" + mvhd;
    const std::size_t mdat = target > out.size() + 8 ? target - out.size() : 8;
    be32(out, static_cast<std::uint32_t>(mdat));
    out += "mdat" + std::string(mdat - 8, '\0');
    return out;
}

std::string pdfDocument(std::uint64_t seed, std::size_t target) {
    const std::size_t base = pdfWithPadding(seed, 0).size();
    std::size_t padding = target > base ? target - base : 0;
    std::string out = pdfWithPadding(seed, padding);
    for (int i = 0; i < 3 && out.size() > target && padding > 0; ++i) {
        padding -= std::min(padding, out.size() - target);
        out = pdfWithPadding(seed, padding);
    }
    return out;
}

std::string zipArchive(std::uint64_t seed, std::size_t target) {
    const std::string name = "okapi-sim-" + std::to_string(seed % 1000000) + ".txt";
    const std::size_t overhead = 30 + 46 + 22 + 2 * name.size();
    const std::string content = textFile(seed, target > overhead ? target - overhead : 1);
    const std::uint32_t crc = crc32(content);
    std::string out;
    le(out, 0x04034b50, 4);
    le(out, 10, 2);
    zipEntryFields(out, crc, content.size(), name.size());
    out += name + content;
    const std::size_t central = out.size();
    le(out, 0x02014b50, 4);
    le(out, 10, 2);
    le(out, 10, 2);
    zipEntryFields(out, crc, content.size(), name.size());
    le(out, 0, 2);  // comment
    le(out, 0, 2);  // disk
    le(out, 0, 2);  // internal attributes
    le(out, 0, 4);  // external attributes
    le(out, 0, 4);  // local header offset
    out += name;
    const std::size_t centralSize = out.size() - central;
    le(out, 0x06054b50, 4);
    le(out, 0, 4);
    le(out, 1, 2);
    le(out, 1, 2);
    le(out, centralSize, 4);
    le(out, central, 4);
    le(out, 0, 2);
    return out;
}

std::string textFile(std::uint64_t seed, std::size_t target) {
    std::string out;
    out.reserve(target + 80);
    for (std::uint64_t line = 1; out.size() < target; ++line)
        out += "okapi-sim text " + std::to_string(seed % 1000000) + ", line " + std::to_string(line) +
               ": the quick brown fox jumps over the lazy dog.\n";
    out.resize(std::max<std::size_t>(target, 1));
    return out;
}

}  // namespace okarchive::sim
