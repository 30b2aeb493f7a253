#include "sim/MessageFactory.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>

#include "sim/MediaCatalog.h"
#include "sim/TextPools.h"

using namespace std::literals;

namespace okarchive::sim {
namespace {

/// Builds compact wire JSON for payloads, escaping strings in the message's style.
class PayloadWriter {
public:
    explicit PayloadWriter(EscapeStyle style) : _style(style) { _out += '{'; }

    PayloadWriter& str(std::string_view key, std::string_view value) {
        this->key(key);
        appendWireString(_out, value, _style);
        return *this;
    }
    PayloadWriter& raw(std::string_view key, std::string_view json) {
        this->key(key);
        _out += json;
        return *this;
    }
    PayloadWriter& num(std::string_view key, std::uint64_t value) { return raw(key, std::to_string(value)); }
    std::string done() {
        _out += '}';
        return std::move(_out);
    }

private:
    void key(std::string_view key) {
        if (_out.size() > 1) _out += ',';
        appendWireString(_out, key, _style);
        _out += ':';
    }

    EscapeStyle _style;
    std::string _out;
};

std::string tokenText(Rng& rng, std::size_t length) {
    static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string token;
    for (std::size_t i = 0; i < length; ++i) token += alphabet[rng.below(alphabet.size())];
    return token;
}

std::string hexText(std::uint64_t value) {
    static constexpr std::string_view digits = "0123456789abcdef";
    std::string out;
    do {
        out.insert(out.begin(), digits[value & 0xF]);
        value >>= 4;
    } while (value != 0);
    return out;
}

std::uint64_t bigId(Rng& rng) { return 100000000000ULL + rng.below(900000000000ULL); }

template <class T>
const T& pick(Rng& rng, const std::vector<T>& pool) {
    return pool[rng.below(pool.size())];
}

const std::vector<std::string_view> kAttachmentTypes = {"IMAGE"sv, "VIDEO"sv,   "AUDIO"sv,           "SHARE"sv,
                                                        "FILE"sv,  "CONTACT"sv, "INLINE_KEYBOARD"sv, "LOCATION"sv,
                                                        "MUSIC"sv, "CALL"sv,    "PRESENT"sv,         "STICKER"sv};

const std::vector<std::string_view> kFileNames = {
    "отчёт 2017.pdf"sv, "IMG_0001.JPG"sv,   "<script>alert(1)</script>.txt"sv, "../../etc/passwd"sv, "CON.txt"sv,
    "a\"b.docx"sv,      "tab\tname.xlsx"sv, "résumé final (2).doc"sv};

EscapeStyle pickStyle(Rng& rng) {
    switch (rng.below(20)) {
        case 0:
        case 1: return EscapeStyle::EscapeSlash;
        case 2: return EscapeStyle::UnicodeLower;
        case 3: return EscapeStyle::UnicodeUpper;
        default: return EscapeStyle::Plain;
    }
}

/// What one payload is built with: the message's rng and escape style, and whether its URLs are hostile.
struct PayloadContext {
    Rng& rng;
    EscapeStyle style;
    bool hostile;
    PayloadWriter p;
    bool localMedia;
    std::int64_t mediaMaxSize;

    /// `normal`, or a hostile URL when this attachment's URLs are hostile.
    std::string url(std::string normal) { return hostile ? std::string(pick(rng, hostileUrls())) : normal; }
    /// The link of media (kind, id): this server's (a placeholder the page resolves), or `remote`; or a hostile URL.
    std::string media(MediaKind kind, const std::string& id, std::string remote) {
        return url(localMedia ? mediaPlaceholder(kind, id) : std::move(remote));
    }
};

using Payload = std::optional<std::string>;

/// IMAGE, VIDEO, AUDIO: an id, a token and a URL made from the id (or from a random text).
/// The media id is the payload's id, so one id always names the same content.
Payload mediaPayload(PayloadContext& c, MediaKind kind, const std::string& urlPrefix, const std::string& urlSuffix,
                     bool byId) {
    const auto id = std::to_string(bigId(c.rng));
    c.p.str("id", id).str("token", tokenText(c.rng, 32));
    const std::string remote = urlPrefix + (byId ? id : tokenText(c.rng, 40)) + urlSuffix;
    return c.p.str("url", c.media(kind, id, remote)).done();
}

Payload imagePayload(PayloadContext& c) {
    return mediaPayload(c, MediaKind::Image, "https://i.mycdn.me/i?r=", "", false);
}
Payload videoPayload(PayloadContext& c) { return mediaPayload(c, MediaKind::Video, "https://ok.ru/video/", "", true); }
Payload audioPayload(PayloadContext& c) {
    return mediaPayload(c, MediaKind::Audio, "https://ok.ru/audio/", ".ogg", true);
}

/// A file's "size" is the size the server serves for its id (local media).
Payload filePayload(PayloadContext& c) {
    const auto id = std::to_string(bigId(c.rng));
    c.p.str("id", id).str("token", tokenText(c.rng, 32));
    c.p.str("url", c.media(MediaKind::File, id, "https://dl.mycdn.me/file?id=" + id));
    c.p.str("name", pick(c.rng, kFileNames));
    const std::uint64_t remoteSize = c.rng.below(50000000);
    return c.p.num("size", c.localMedia ? MediaContent::size(MediaKind::File, id, c.mediaMaxSize) : remoteSize).done();
}

Payload sharePayload(PayloadContext& c) {
    if (c.rng.below(2) == 0) return c.p.str("url", c.url("https://ya.ru/")).done();
    const auto id = bigId(c.rng);
    return c.p.str("id", std::to_string(id))
        .str("url", c.url("https://ok.ru/group/53038939046008/topic/" + std::to_string(id)))
        .done();
}

Payload contactPayload(PayloadContext& c) {
    const std::string name(pick(c.rng, userNames()));
    c.p.str("id", std::to_string(bigId(c.rng))).str("name", name);
    const auto photo = std::to_string(bigId(c.rng));
    c.p.str("photoUrl", c.media(MediaKind::Contact, photo, "https://i.mycdn.me/image?id=" + photo));
    c.p.str("phone", "7949" + std::to_string(1000000 + c.rng.below(8999999)));
    return c.p.str("vcfBody", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + name + "\r\nTEL:+79493344555\r\nEND:VCARD").done();
}

Payload keyboardPayload(PayloadContext& c) {
    if (c.rng.below(2) == 0)
        return c.p
            .raw("buttons",
                 R"([[{"type":"callback","text":"Yes","payload":"y"},{"type":"callback","text":"No","payload":"n"}]])")
            .done();
    std::string buttons = R"({"buttons":[[{"type":"CALLBACK","text":)";
    appendWireString(buttons, "Да ✅", c.style);
    buttons += R"(,"intent":"POSITIVE","payload":"yes"}],[{"type":"LINK","text":"Site","url":)";
    appendWireString(buttons, c.url("https://ok.ru/"), c.style);
    buttons += R"(}],[{"type":"REQUEST_CONTACT","text":"Contact","quick":true}]]})";
    return c.p.raw("keyboard", buttons).done();
}

Payload locationPayload(PayloadContext& c) {
    switch (c.rng.below(3)) {
        case 0: return c.p.raw("latitude", "55.75").raw("longitude", "37.61").done();
        case 1:
            return c.p.raw("latitude", "59.928658")
                .raw("longitude", "30.38113")
                .raw("altitude", "1.0000")
                .raw("epu", "1.0000")
                .raw("heading", "1.0000")
                .raw("speed", "1.0000")
                .raw("zoom", "1.0000")
                .raw("livePeriod", "600")
                .done();
        default: return c.p.raw("latitude", "-33.8688").raw("longitude", "1.511E2").done();
    }
}

Payload musicPayload(PayloadContext& c) {
    const auto id = bigId(c.rng);
    return c.p.str("id", std::to_string(id))
        .str("url", c.url("https://ok.ru/music/track/" + std::to_string(id)))
        .done();
}

Payload callPayload(PayloadContext& c) {
    c.p.str("id", std::to_string(bigId(c.rng))).str("type", c.rng.below(2) == 0 ? "VIDEO" : "AUDIO");
    static const std::vector<std::string_view> hangups = {"CANCELED"sv, "REJECTED"sv, "HUNGUP"sv, "MISSED"sv};
    return c.p.str("hangupType", pick(c.rng, hangups)).num("duration", c.rng.below(7200)).done();
}

/// A present: no payload key, a null payload, or ids of the present and of both users.
Payload presentPayload(PayloadContext& c) {
    const std::uint64_t variant = c.rng.below(10);
    if (variant < 2) return std::nullopt;
    if (variant < 3) return "null";
    c.p.str("id", std::to_string(bigId(c.rng))).str("status", "SENT");
    return c.p.str("receiverId", "USER:" + std::to_string(bigId(c.rng)))
        .str("senderId", "USER:" + std::to_string(bigId(c.rng)))
        .done();
}

Payload stickerPayload(PayloadContext& c) {
    const std::string code = hexText(c.rng.next() & 0xFFFFFFFFFFULL);
    return c.p.str("id", code)
        .str("code", code)
        .str("url", c.media(MediaKind::Sticker, code, "https://i.mycdn.me/sticker?id=" + code))
        .done();
}

/// The payload of a type no client knows (HOLOGRAM): numbers, nesting and escapes a decoder must keep verbatim; with
/// local media also a top-level "url" (media of a type okarchive does not know), its id drawn without using the rng.
Payload unknownPayload(PayloadContext& c) {
    Rng peek = c.rng;
    const std::string id = hexText(peek.next());
    c.p.raw("hz", "120").str("mesh", c.url("https://holo.ok.ru/m.glb"));
    if (c.localMedia && !c.hostile) c.p.str("url", mediaPlaceholder(MediaKind::Other, id));
    return c.p.raw("nested", R"({"a":[1,2.5,{"b":null,"c":true}],"s":"\u00e9\/"})")
        .raw("big", "12345678901234567890")
        .done();
}

using PayloadMaker = Payload (*)(PayloadContext& context);

/// The payload makers, keyed by attachment type; unknownPayload for any other type.
const std::map<std::string_view, PayloadMaker>& payloadMakers() {
    static const std::map<std::string_view, PayloadMaker> makers = {
        {"IMAGE"sv, imagePayload},
        {"VIDEO"sv, videoPayload},
        {"AUDIO"sv, audioPayload},
        {"FILE"sv, filePayload},
        {"SHARE"sv, sharePayload},
        {"CONTACT"sv, contactPayload},
        {"INLINE_KEYBOARD"sv, keyboardPayload},
        {"LOCATION"sv, locationPayload},
        {"MUSIC"sv, musicPayload},
        {"CALL"sv, callPayload},
        {"PRESENT"sv, presentPayload},
        {"STICKER"sv, stickerPayload},
    };
    return makers;
}

/// Unknown top-level or message members that a few messages carry (a future API's fields).
void addFutureMembers(SimMessage& message, Rng& rng) {
    switch (rng.below(400)) {
        case 0: message.extraMessageMembers = R"(,"privacyWarning":"SCREENSHOT")"; break;
        case 1: message.extraMessageMembers = R"(,"privacyWarning":"SCREENCAST")"; break;
        case 2:
            message.extraTopMembers = R"(,"zz_future_top":{"flags":[1,2,3],"note":"unknown top-level field"})";
            break;
        case 3: message.extraMessageMembers = R"(,"markup":[{"type":"strong","from":0,"length":4}])"; break;
        case 4:
            message.extraMessageMembers = R"(,"privacyWarning":"SCREENSHOT","edited":true)";
            message.extraTopMembers = R"(,"updated":)" + std::to_string(message.timestamp + 60000);
            break;
        default: break;
    }
}

}  // namespace

SimMessage MessageFactory::build(const ChatData& chat, std::size_t index) const {
    const Entry& entry = chat.entry(index);
    SimMessage message;
    if (entry.origin == EntryOrigin::Custom) message = chat.custom(entry.custom);
    message.chatId = chat.chatId();
    message.mid = chat.midOf(index);
    message.seq = entry.seq;
    message.timestamp = entry.timestamp;
    if (entry.origin == EntryOrigin::Custom) return message;

    Rng rng(mix64(chat.contentSeed() ^ (static_cast<std::uint64_t>(index) * 0x9e3779b97f4a7c15ULL + 1)));
    const SimUser& user = _users.user(chat.members()[rng.below(chat.members().size())]);
    message.senderId = user.userId;
    message.senderName = UserDirectory::nameAt(user, entry.timestamp);
    message.style = pickStyle(rng);
    if (entry.origin == EntryOrigin::Ordinary) {
        message.text = std::string(pick(rng, ordinaryTexts()));
        return message;
    }
    if (!generateText(message, rng, chat, index, user)) return message;  // a service event: nothing else
    const bool special = index == chat.loneSurrogateIndex() || index == chat.bigTextIndex();
    addAttachments(message, rng, special);
    if (index > 0 && rng.below(100) < 6) {
        const std::size_t back = 1 + rng.below(std::min<std::size_t>(index, 300));
        message.replyTo = chat.midOf(index - back);
    }
    addFutureMembers(message, rng);
    return message;
}

bool MessageFactory::generateText(SimMessage& message, Rng& rng, const ChatData& chat, std::size_t index,
                                  const SimUser& user) const {
    const std::uint64_t roll = rng.below(1000);
    if (index == chat.loneSurrogateIndex()) {
        message.text = std::string(loneSurrogateText());
    } else if (index == chat.bigTextIndex()) {
        message.text = hundredKilobyteText();
    } else if (roll < 20) {
        makeService(message, rng, user);
        return false;
    } else if (roll < 75) {
        message.text = std::string(pick(rng, hostileTexts()));
    } else if (roll < 80) {
        message.text = std::string();
    } else {
        std::string text(pick(rng, ordinaryTexts()));
        if (rng.below(10) == 0) text += " " + std::string(pick(rng, ordinaryTexts()));
        message.text = std::move(text);
    }
    return true;
}

void MessageFactory::addAttachments(SimMessage& message, Rng& rng, bool keepText) const {
    const std::uint64_t attachRoll = rng.below(1000);
    if (attachRoll < 140) {
        if (attachRoll < 55 || attachRoll >= 110) message.attachment = makeAttachment(rng, message.style);
        if (attachRoll >= 55) {
            std::vector<SimAttachment> list;
            const std::uint64_t count = 1 + rng.below(3);
            for (std::uint64_t i = 0; i < count; ++i) list.push_back(makeAttachment(rng, message.style));
            message.attachments = std::move(list);
        }
        if (!keepText && rng.below(3) == 0) message.text.reset();
    } else if (attachRoll < 143) {
        message.attachments = std::vector<SimAttachment>{};
    }
}

void MessageFactory::makeService(SimMessage& message, Rng& rng, const SimUser& user) const {
    const std::string kind(pick(rng, serviceKinds()));
    const std::string ui = std::to_string(user.number);
    message.service = true;
    message.serviceType = kind;
    message.serviceUserId = "user:" + ui;
    switch (rng.below(8)) {
        case 0: message.text = R"({"ty":")" + kind + R"(","ui":)" + ui + "}"; break;
        case 1:
            message.text = kind == "TITLE" ? R"({"ui":)" + ui + R"(,"ty":"TITLE","title":"Новое название 🎉"})"
                                           : R"({"ui":)" + ui + R"(,"ty":")" + kind + R"(","ts":)" +
                                                 std::to_string(message.timestamp) + "}";
            break;
        case 2:
            message.text = R"({"ty":")" + kind + R"("})";
            message.serviceUserId.reset();
            break;
        default: message.text = R"({"ui":)" + ui + R"(,"ty":")" + kind + R"("})"; break;
    }
}

SimAttachment MessageFactory::makeAttachment(Rng& rng, EscapeStyle style) const {
    SimAttachment attachment;
    const bool unknown = rng.below(1000) < 15;
    attachment.type = unknown ? "HOLOGRAM" : std::string(pick(rng, kAttachmentTypes));
    const bool hostile = rng.below(100) < 8;
    PayloadContext context{rng, style, hostile, PayloadWriter(style), _localMedia, _mediaMaxSize};
    const auto maker = payloadMakers().find(attachment.type);
    attachment.payloadJson = maker != payloadMakers().end() ? maker->second(context) : unknownPayload(context);
    return attachment;
}

}  // namespace okarchive::sim
