#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace okarchive::sim {

// Byte-exact media files the simulator serves: small, valid, deterministic. Every builder takes a seed (the same
// seed gives the same bytes) and a target size; the result is exactly `target` bytes where the format allows
// padding to any length (PNG, PDF, ZIP, text, MP4) and at least the format's minimum. WebP, OGG and MP3 come out
// within a page or frame of the target (at most a few hundred bytes over).

/// A truecolour PNG (8-bit RGB, stored zlib blocks) with a gradient, its width derived from the seed.
std::string pngImage(std::uint64_t seed, std::size_t target);

/// A lossless WebP (VP8X + VP8L) of one colour, padded with an XMP chunk.
std::string webpImage(std::uint64_t seed, std::size_t target);

/// An Ogg Opus stream (OpusHead, OpusTags, then 20 ms silent-ish CELT packets).
std::string oggOpusAudio(std::uint64_t seed, std::size_t target);

/// An MP3: an ID3v2.3 tag, then silent MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz).
std::string mp3Audio(std::uint64_t seed, std::size_t target);

/// An ISO BMFF file: ftyp (isom), moov (mvhd), then mdat filler. Structurally valid; not a playable track.
std::string mp4Video(std::uint64_t seed, std::size_t target);

/// A one-page PDF 1.4 with a correct xref table.
std::string pdfDocument(std::uint64_t seed, std::size_t target);

/// A ZIP archive holding one stored text file (CRC-32, central directory, end record).
std::string zipArchive(std::uint64_t seed, std::size_t target);

/// UTF-8 (ASCII) text lines.
std::string textFile(std::uint64_t seed, std::size_t target);

/// CRC-32 of Ogg pages (polynomial 0x04c11db7, not reflected, no final xor).
std::uint32_t oggCrc(const std::string& bytes);

}  // namespace okarchive::sim
