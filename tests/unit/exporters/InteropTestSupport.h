#pragma once

#include <catch2/catch.hpp>

#include "ExportTestSupport.h"
#include "domain/TimeZone.h"

namespace okarchive::test {

/// Exports `messages` in `format` to one file in Moscow time and `locale`, with a resolver over them and Anna as
/// user:4's name; returns the file's bytes.
inline std::string exportInMoscow(const std::vector<Message>& messages, const std::string& format,
                                  Locale locale = Locale::English) {
    TempDir dir;
    const std::string path = dir.file("export");
    auto request = requestFor(messages, format, path);
    request.timeZone = TimeZone::load("Europe/Moscow");
    request.locale = locale;
    VectorReplyResolver resolver(messages);
    request.replies = &resolver;
    request.userName = [](const std::string& id) -> std::optional<std::string> {
        if (id == "user:4") return std::string("Anna");
        return std::nullopt;
    };
    const auto summary = runExport(request);
    REQUIRE(summary.files == std::vector<std::string>{path});
    return readFile(path);
}

}  // namespace okarchive::test
