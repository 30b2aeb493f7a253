#include "sim/CommandLine.h"

#include <charconv>
#include <cstdlib>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>

#include "sim/FaultInjector.h"
#include "sim/MediaFaults.h"

namespace okarchive::sim {
namespace {

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument(message); }

template <class T>
T parseNumber(const std::string& option, const std::string& text, T low, T high) {
    T value{};
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end || value < low || value > high)
        fail("--" + option + " expects a whole number from " + std::to_string(low) + " to " + std::to_string(high) +
             ", got '" + text + "'");
    return value;
}

double parseRate(const std::string& option, const std::string& text) {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !(value >= 0.0 && value <= 1.0))
        fail("--" + option + " expects a number from 0 to 1, got '" + text + "'");
    return value;
}

/// A whole number followed by one of `units` (name, multiplier); a bare number takes `bareUnit`.
std::int64_t parseWithUnit(const std::string& option, const std::string& text,
                           const std::vector<std::pair<std::string, std::int64_t>>& units, std::int64_t bareUnit,
                           const std::string& expected) {
    const auto digits = text.find_first_not_of("0123456789");
    const std::string number = text.substr(0, digits), unit = digits == std::string::npos ? "" : text.substr(digits);
    std::int64_t multiplier = unit.empty() ? bareUnit : 0;
    for (const auto& [name, value] : units)
        if (name == unit) multiplier = value;
    const auto limit = std::numeric_limits<std::int64_t>::max() / std::max<std::int64_t>(multiplier, 1);
    if (number.empty() || multiplier == 0 || number.size() > 18 || std::stoll(number) < 1 || std::stoll(number) > limit)
        fail("--" + option + " expects " + expected + ", got '" + text + "'");
    return std::stoll(number) * multiplier;
}

std::int64_t parseDurationMs(const std::string& option, const std::string& text) {
    return parseWithUnit(option, text, {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}}, 1000,
                         "a positive duration such as 90s, 30m, 1h or 500ms");
}

std::int64_t parseSize(const std::string& option, const std::string& text) {
    return parseWithUnit(option, text, {{"K", 1024}, {"M", 1024 * 1024}, {"G", 1024 * 1024 * 1024}}, 1,
                         "a positive size in bytes, or with K, M or G");
}

SimConfig::Media parseMediaMode(const std::string& value) {
    if (value == "local") return SimConfig::Media::Local;
    if (value == "remote") return SimConfig::Media::Remote;
    fail("--media expects local or remote, got '" + value + "'");
}

std::vector<std::string> splitMediaKinds(const std::string& text) {
    std::vector<std::string> kinds;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, ','))
        if (!item.empty()) {
            MediaFaultPlan::parse(item);  // throws with a clear message
            kinds.push_back(item);
        }
    if (kinds.empty()) fail("--media-fault-kinds needs at least one kind");
    return kinds;
}

ChatSpec parseChat(const std::string& text) {
    const auto eq = text.find('=');
    if (eq == std::string::npos) fail("--chat expects chat:ID=N[:forbidden|:notfound], got '" + text + "'");
    ChatSpec spec;
    spec.chatId = text.substr(0, eq);
    if (spec.chatId.rfind("chat:", 0) != 0 || spec.chatId.size() <= 5)
        fail("--chat: the chat id must look like chat:ID, got '" + spec.chatId + "'");
    std::string rest = text.substr(eq + 1);
    const auto colon = rest.find(':');
    if (colon != std::string::npos) {
        const std::string flag = rest.substr(colon + 1);
        if (flag == "forbidden")
            spec.access = ChatSpec::Access::Forbidden;
        else if (flag == "notfound")
            spec.access = ChatSpec::Access::NotFound;
        else
            fail("--chat: unknown flag '" + flag + "' (expected forbidden or notfound)");
        rest.resize(colon);
    }
    spec.messages = parseNumber<std::size_t>("chat", rest, 0, 100000000);
    return spec;
}

bool parseBounds(const std::string& value) {
    if (value == "inclusive") return true;
    if (value == "exclusive") return false;
    fail("--bounds expects inclusive or exclusive, got '" + value + "'");
}

std::vector<std::string> splitKinds(const std::string& text) {
    std::vector<std::string> kinds;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, ',')) {
        if (item.empty()) continue;
        FaultInjector::parseKind(item);  // throws with a clear message
        kinds.push_back(item);
    }
    return kinds;
}

/// What the arguments have said so far, beyond the config itself.
struct ParseState {
    CliOptions options;
    std::vector<ChatSpec> chats;
    bool messagesGiven = false;
    std::size_t defaultMessages = 20000;
    bool faultsGiven = false;
};

/// Applies one `--name=value` option.
using OptionSetter = void (*)(ParseState& state, const std::string& name, const std::string& value);

/// The options that take a value, keyed by name.
const std::map<std::string, OptionSetter, std::less<>>& valueOptions() {
    using S = ParseState;
    using V = const std::string&;
    static const std::map<std::string, OptionSetter, std::less<>> options = {
        {"host",
         [](S& s, V, V value) {
             if (value.empty()) fail("--host needs an address");
             s.options.config.host = value;
         }},
        {"port",
         [](S& s, V name, V value) { s.options.config.port = parseNumber<std::uint16_t>(name, value, 0, 65535); }},
        {"seed",
         [](S& s, V name, V value) {
             s.options.config.seed =
                 parseNumber<std::uint64_t>(name, value, 0, std::numeric_limits<std::uint64_t>::max());
         }},
        {"chat", [](S& s, V, V value) { s.chats.push_back(parseChat(value)); }},
        {"messages",
         [](S& s, V name, V value) {
             s.defaultMessages = parseNumber<std::size_t>(name, value, 0, 100000000);
             s.messagesGiven = true;
         }},
        {"bounds", [](S& s, V, V value) { s.options.config.inclusiveBounds = parseBounds(value); }},
        {"page-cap",
         [](S& s, V name, V value) { s.options.config.pageCap = parseNumber<int>(name, value, 1, 100000); }},
        {"token",
         [](S& s, V, V value) {
             if (value.empty()) fail("--token must not be empty");
             s.options.config.token = value;
         }},
        {"cluster",
         [](S& s, V name, V value) {
             s.options.config.clusters.push_back(parseNumber<std::size_t>(name, value, 1, 65000));
         }},
        {"fault-rate", [](S& s, V name, V value) { s.options.config.faultRate = parseRate(name, value); }},
        {"media", [](S& s, V, V value) { s.options.config.media = parseMediaMode(value); }},
        {"media-link-ttl",
         [](S& s, V name, V value) { s.options.config.mediaLinkTtlMs = parseDurationMs(name, value); }},
        {"media-fault-rate", [](S& s, V name, V value) { s.options.config.mediaFaultRate = parseRate(name, value); }},
        {"media-fault-kinds", [](S& s, V, V value) { s.options.config.mediaFaultKinds = splitMediaKinds(value); }},
        {"media-trickle-ms",
         [](S& s, V name, V value) { s.options.config.mediaTrickleMs = parseNumber<int>(name, value, 0, 3600000); }},
        {"media-max-size", [](S& s, V name, V value) { s.options.config.mediaMaxSize = parseSize(name, value); }},
        {"faults",
         [](S& s, V, V value) {
             s.options.config.faultKinds = splitKinds(value);
             s.faultsGiven = true;
         }},
        {"retry-after",
         [](S& s, V name, V value) { s.options.config.retryAfterSeconds = parseNumber<int>(name, value, 0, 86400); }},
        {"delay-ms",
         [](S& s, V name, V value) { s.options.config.delayMs = parseNumber<int>(name, value, 0, 3600000); }},
        {"append-every",
         [](S& s, V name, V value) { s.options.config.appendEveryMs = parseNumber<int>(name, value, 0, 86400000); }},
        {"edit-every",
         [](S& s, V name, V value) { s.options.config.editEveryMs = parseNumber<int>(name, value, 0, 86400000); }},
        {"delete-every",
         [](S& s, V name, V value) { s.options.config.deleteEveryMs = parseNumber<int>(name, value, 0, 86400000); }},
        {"bot-user",
         [](S& s, V, V value) {
             if (value.rfind("user:", 0) != 0 || value.size() <= 5)
                 fail("--bot-user expects user:ID, got '" + value + "'");
             s.options.config.botUserId = value;
         }},
        {"dump-truth",
         [](S& s, V, V value) {
             if (value.rfind("chat:", 0) != 0) fail("--dump-truth expects chat:ID, got '" + value + "'");
             s.options.dumpTruthChat = value;
         }},
    };
    return options;
}

/// Reads args[i] (and, for `--name value`, args[i + 1], advancing i) into `state`.
void applyArgument(ParseState& state, const std::vector<std::string>& args, std::size_t& i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
        state.options.help = true;
        return;
    }
    if (arg == "--reachable") {
        state.options.dumpReachable = true;
        return;
    }
    if (arg == "--media-fresh-links") {
        state.options.config.mediaFreshLinks = true;
        return;
    }
    if (arg.rfind("--", 0) != 0) fail("unexpected argument '" + arg + "'");
    std::string name = arg.substr(2);
    std::string value;
    const auto eq = name.find('=');
    if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.resize(eq);
    }
    const auto option = valueOptions().find(name);
    if (option == valueOptions().end()) fail("unknown option '--" + name + "'");
    if (eq == std::string::npos) {
        if (i + 1 >= args.size()) fail("option --" + name + " needs a value");
        value = args[++i];
    }
    option->second(state, name, value);
}

/// The configured chats: the default chat (unless only --chat was given, without --messages), then every --chat.
std::vector<ChatSpec> configuredChats(ParseState& state) {
    std::vector<ChatSpec> chats;
    if (state.chats.empty() || state.messagesGiven) {
        ChatSpec main;
        main.chatId = "chat:C3ecb9d02a600";
        main.title = "OK Archive Demo";
        main.messages = state.defaultMessages;
        chats.push_back(main);
    }
    for (auto& chat : state.chats) {
        for (const auto& existing : chats)
            if (existing.chatId == chat.chatId) fail("chat " + chat.chatId + " is given twice");
        chats.push_back(std::move(chat));
    }
    return chats;
}

}  // namespace

std::string usageText() {
    return R"(usage: okapi-sim [options]
An OK (Odnoklassniki) Graph Bot API simulator. The server root is the Graph base: /me/messages/chat:ID,
/me/chats, /me/chat/chat:ID, /me/info (access_token required); media under /media/KIND/ID?expires=MS&sig=HEX
(KIND image, video, audio, file, sticker, contact or other; 403 for a wrong signature or a past expiry, as OK's CDN);
control endpoints under /_sim/ or /sim/ (truth, append, stats, stats/reset, faults, token, post_fault, requests,
requests/reset, media-truth). Options take --opt=value or --opt value.

  --host=ADDR            address to bind (default 127.0.0.1)
  --port=N               port to bind; 0 picks a free one (default 0)
  --seed=N               dataset and fault seed (default 1)
  --chat=chat:ID=N[:forbidden|:notfound]
                         a chat with N messages (repeatable); replaces the default chat unless --messages is given
  --messages=N           size of the default chat chat:C3ecb9d02a600 "OK Archive Demo" (default 20000)
  --bounds=inclusive|exclusive
                         from/to semantics: from >= ts >= to, or from > ts > to (default inclusive)
  --page-cap=N           count is silently capped at N (default 100)
  --token=T              the accepted access_token (default sim-token)
  --cluster=N            put a cluster of exactly N messages in one millisecond into every chat (repeatable)
  --fault-rate=F         share of API requests that fail, 0..1 (default 0)
  --faults=LIST          comma list of 500,503,429,error8,error2,truncated,nonjson,reset,delay
                         (default: all but delay)
  --retry-after=S        Retry-After seconds of the 429 fault (default 0)
  --delay-ms=MS          sleep of the delay fault (default 2000)
  --append-every=MS      append one message to every chat every MS milliseconds (default 0: never)
  --edit-every=MS        edit one random live message of every chat every MS milliseconds (default 0: never)
  --delete-every=MS      delete one random live message of every chat every MS milliseconds (default 0: never);
                         POST /_sim/edit, /_sim/delete, /_sim/undelete?chat_id=&mid=M1,M2 do it on demand,
                         history requests with include_deleted=true return deleted messages with "deleted":true,
                         GET /_sim/changes?chat_id= lists every edit (text_before) and deletion (NDJSON)
  --bot-user=user:ID     sender of POSTed messages (default user:910000000001)
  --media=local|remote   local: attachment links point at this server, which serves PNG, WebP, Ogg/MP3, MP4, PDF,
                         ZIP and text content per media id (default); remote: CDN-looking links, nothing served
  --media-link-ttl=DUR   a link minted for a served page expires DUR later, e.g. 30m, 1h, 90s (default 1h); a page
                         served while a media id's link has at least DUR/2 left carries that same link
  --media-fresh-links    mint a new link (new expires and sig) every time a page is served
  --media-fault-rate=F   share of media ids that get a fault, 0..1 (default 0)
  --media-fault-kinds=LIST
                         comma list of 404,410,500,trickle,reset,short,html200,huge,redirect-private,expired-first
                         (default: all)
  --media-trickle-ms=MS  the pause of the trickle fault after its first bytes (default 60000)
  --media-max-size=SIZE  the largest media file, sizes scaled to it: bytes or with K, M, G (default 2M)
  --dump-truth=chat:ID   print that chat's ground truth NDJSON to stdout and exit
  --reachable            with --dump-truth: leave out what no page can reach (over-cap clusters)
  --help                 this text

Prints "okapi-sim listening on http://HOST:PORT" once listening; serves until SIGINT or SIGTERM.
Exit status: 0 done, 1 cannot listen, 2 bad usage.
)";
}

CliOptions parseCommandLine(const std::vector<std::string>& args) {
    ParseState state;
    for (std::size_t i = 0; i < args.size(); ++i) applyArgument(state, args, i);
    if (state.faultsGiven && state.options.config.faultKinds.empty()) fail("--faults needs at least one kind");
    state.options.config.chats = configuredChats(state);
    return std::move(state.options);
}

}  // namespace okarchive::sim
