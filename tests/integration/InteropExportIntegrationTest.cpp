#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "integration/Harness.h"

using namespace okarchive::it;

namespace {

const std::string kDemoChat = "chat:C3ecb9d02a600";  // the demo's chat

/// Runs a shell command line; returns its exit status and standard output (read from a file beside `dir`'s others).
std::pair<int, std::string> shell(const TempDir& dir, const std::string& command) {
    const std::string out = dir.file("shell.out");
    const int status = std::system((command + " > '" + out + "' 2>&1").c_str());
    return {status, readFile(out)};
}

void writeText(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

long long countLines(const std::string& text, const std::string& fragment = "") {
    long long n = 0;
    std::size_t start = 0;
    for (auto end = text.find('\n'); end != std::string::npos; start = end + 1, end = text.find('\n', start))
        if (text.substr(start, end - start).find(fragment) != std::string::npos) ++n;
    return n;
}

/// Python reads result.json (argv[1]; argv[2]: the export's UTC offset in hours) as the Telegram tools do and prints:
/// messages, service messages, whether the ids are 1..N, replies, whether every reply points at an earlier message of
/// the file.
const char* const kTelegramCheck = R"PY(
import datetime, json, sys
offset = datetime.timedelta(hours=int(sys.argv[2]))
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert isinstance(d["name"], str) and d["type"] == "private_group" and isinstance(d["id"], int)
m = d["messages"]
ids = [x["id"] for x in m]
for x in m:
    assert x["type"] in ("message", "service")
    utc = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=int(x["date_unixtime"]))
    assert str(int(x["date_unixtime"])) == x["date_unixtime"] and (utc + offset).isoformat() == x["date"]
    assert isinstance(x["text"], (str, list)) and isinstance(x["text_entities"], list)
    assert "".join(e["text"] for e in x["text_entities"]) == (x["text"] if isinstance(x["text"], str) else "".join(p if isinstance(p, str) else p["text"] for p in x["text"]))
    if x["type"] == "service": assert isinstance(x["action"], str)
    else: assert x["from_id"].startswith("user")
replies = [(x["id"], x["reply_to_message_id"]) for x in m if "reply_to_message_id" in x]
print(len(m), sum(x["type"] == "service" for x in m), ids == list(range(1, len(m) + 1)), len(replies),
      all(0 < r < i for i, r in replies))
)PY";

/// Replies in the NDJSON export whose target is in the export too.
const char* const kNdjsonReplies = R"PY(
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
mids = {x["mid"] for x in lines}
print(sum(1 for x in lines if x["reply_to"] in mids))
)PY";

/// Python reads the transcript (argv[1], strictly as UTF-8) beside the NDJSON export (argv[2]) of the same chat in UTC
/// and checks one entry line per message, in order, each starting with its time and its sender (service events with
/// "* "), a date header per UTC day, no control character but newline and tab; prints the entries and "True".
const char* const kTxtCheck = R"PY(
import datetime, json, sys
txt = open(sys.argv[1], encoding="utf-8", errors="strict").read()
nd = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert not any(ord(c) < 32 and c not in "\n\t" or 0x7f <= ord(c) < 0xa0 for c in txt)
lines = txt.split("\n")[1:]
entries = [l for l in lines if l.startswith("[")]
assert len(entries) == len(nd), (len(entries), len(nd))
days = set()
for line, x in zip(entries, nd):
    t = datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=x["timestamp"])
    days.add(t.date())
    prefix = t.strftime("[%H:%M] ")
    name = x["sender"]["name"] or x["sender"]["user_id"] or "someone"
    if x["kind"] == "service": assert line.startswith(prefix + "* "), line
    elif name.isprintable(): assert line.startswith(prefix + name), (line, prefix + name)
    else: assert line.startswith(prefix), line
print(len(entries), sum(1 for l in lines if l.startswith("--- ") and l.endswith(" ---")) == len(days))
)PY";

}  // namespace

TEST_CASE(
    "interop formats on the demo chat: telegram-json that Telegram tools read, a txt transcript of every message") {
    TempDir dir;
    const auto demo = runOkarchive({"demo", "--dir=" + dir.file("demo")});
    INFO(demo.err);
    REQUIRE(demo.exitCode == 0);
    const std::string ndjson = readFile(dir.file("demo/C3ecb9d02a600.ndjson"));
    const long long messages = countLines(ndjson), services = countLines(ndjson, R"("kind":"service")");
    REQUIRE(messages == 20000);
    REQUIRE(services > 0);
    writeText(dir.file("check.py"), kTelegramCheck);
    writeText(dir.file("replies.py"), kNdjsonReplies);
    writeText(dir.file("txt.py"), kTxtCheck);
    const auto replies =
        shell(dir, "python3 '" + dir.file("replies.py") + "' '" + dir.file("demo/C3ecb9d02a600.ndjson") + "'");
    REQUIRE(replies.first == 0);

    {  // the demo's own export
        REQUIRE(demo.out.find("C3ecb9d02a600.telegram.json (20000 messages)") != std::string::npos);
        const auto check = shell(
            dir, "python3 '" + dir.file("check.py") + "' '" + dir.file("demo/C3ecb9d02a600.telegram.json") + "' 0");
        INFO(check.second);
        REQUIRE(check.first == 0);
        CHECK(check.second == std::to_string(messages) + " " + std::to_string(services) + " True " +
                                  replies.second.substr(0, replies.second.size() - 1) + " True\n");
    }
    {  // export --format=telegram-json from the command line, in Moscow time, one file
        const auto out = dir.file("result.json");
        const auto r =
            runOkarchive({"-D", "archive.database=" + dir.file("demo/okarchive.db"), "export", "--format=telegram-json",
                          "--chat=" + kDemoChat, "--timezone=Europe/Moscow", "--output=" + out});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        const auto check = shell(dir, "python3 '" + dir.file("check.py") + "' '" + out + "' 3");
        INFO(check.second);
        REQUIRE(check.first == 0);
        CHECK(check.second.rfind(std::to_string(messages) + " " + std::to_string(services) + " True ", 0) == 0);
        CHECK(shell(dir, "iconv -f UTF-8 -t UTF-8 '" + out + "' > /dev/null").first == 0);
        CHECK(shell(dir, "jq -c . '" + out + "' > /dev/null").first == 0);  // Debian's jq 1.6, the strictest reader
    }
    {  // the demo's transcript: every message's entry line, valid UTF-8, nothing a terminal obeys
        REQUIRE(demo.out.find("C3ecb9d02a600.txt (20000 messages)") != std::string::npos);
        const auto check = shell(dir, "python3 '" + dir.file("txt.py") + "' '" + dir.file("demo/C3ecb9d02a600.txt") +
                                          "' '" + dir.file("demo/C3ecb9d02a600.ndjson") + "'");
        INFO(check.second);
        REQUIRE(check.first == 0);
        CHECK(check.second == std::to_string(messages) + " True\n");
        CHECK(shell(dir, "iconv -f UTF-8 -t UTF-8 '" + dir.file("demo/C3ecb9d02a600.txt") + "' > /dev/null").first ==
              0);
    }
    {  // export --format=txt --locale=ru: the same entries, Russian dates, names and sentences
        const auto out = dir.file("chat.txt");
        const auto r = runOkarchive({"-D", "archive.database=" + dir.file("demo/okarchive.db"), "export",
                                     "--format=txt", "--chat=" + kDemoChat, "--locale=ru", "--output=" + out});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        const std::string text = readFile(out);
        CHECK(text.find("[Фото") != std::string::npos);
        CHECK(text.find("[Photo") == std::string::npos);
        const std::string english = readFile(dir.file("demo/C3ecb9d02a600.txt"));
        CHECK(countLines(text, " г. ---") == countLines(english, "--- "));  // "--- понедельник, 27 июня 2016 г. ---"
        CHECK(countLines(text, "[") == countLines(english, "["));
    }
}
