#include "sim/MessageFactory.h"

#include <algorithm>
#include <string_view>

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

    const std::uint64_t roll = rng.below(1000);
    const bool special = index == chat.loneSurrogateIndex() || index == chat.bigTextIndex();
    if (index == chat.loneSurrogateIndex()) {
        message.text = std::string(loneSurrogateText());
    } else if (index == chat.bigTextIndex()) {
        message.text = hundredKilobyteText();
    } else if (roll < 20) {
        makeService(message, rng, user);
        return message;
    } else if (roll < 75) {
        message.text = std::string(pick(rng, hostileTexts()));
    } else if (roll < 80) {
        message.text = std::string();
    } else {
        std::string text(pick(rng, ordinaryTexts()));
        if (rng.below(10) == 0) text += " " + std::string(pick(rng, ordinaryTexts()));
        message.text = std::move(text);
    }

    const std::uint64_t attachRoll = rng.below(1000);
    if (attachRoll < 140) {
        if (attachRoll < 55 || attachRoll >= 110) message.attachment = makeAttachment(rng, message.style);
        if (attachRoll >= 55) {
            std::vector<SimAttachment> list;
            const std::uint64_t count = 1 + rng.below(3);
            for (std::uint64_t i = 0; i < count; ++i) list.push_back(makeAttachment(rng, message.style));
            message.attachments = std::move(list);
        }
        if (!special && rng.below(3) == 0) message.text.reset();
    } else if (attachRoll < 143) {
        message.attachments = std::vector<SimAttachment>{};
    }

    if (index > 0 && rng.below(100) < 6) {
        const std::size_t back = 1 + rng.below(std::min<std::size_t>(index, 300));
        message.replyTo = chat.midOf(index - back);
    }

    switch (rng.below(400)) {
        case 0: message.extraMessageMembers = R"(,"privacyWarning":"SCREENSHOT")"; break;
        case 1: message.extraMessageMembers = R"(,"privacyWarning":"SCREENCAST")"; break;
        case 2:
            message.extraTopMembers = R"(,"zz_future_top":{"flags":[1,2,3],"note":"unknown top-level field"})";
            break;
        case 3: message.extraMessageMembers = R"(,"markup":[{"type":"strong","from":0,"length":4}])"; break;
        case 4:
            message.extraMessageMembers = R"(,"privacyWarning":"SCREENSHOT","edited":true)";
            message.extraTopMembers = R"(,"updated":)" + std::to_string(entry.timestamp + 60000);
            break;
        default: break;
    }
    return message;
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
    auto url = [&](std::string normal) { return hostile ? std::string(pick(rng, hostileUrls())) : normal; };
    PayloadWriter p(style);
    const std::string& type = attachment.type;
    if (type == "IMAGE") {
        const auto id = bigId(rng);
        p.str("id", std::to_string(id)).str("token", tokenText(rng, 32));
        attachment.payloadJson = p.str("url", url("https://i.mycdn.me/i?r=" + tokenText(rng, 40))).done();
    } else if (type == "VIDEO") {
        const auto id = bigId(rng);
        p.str("id", std::to_string(id)).str("token", tokenText(rng, 32));
        attachment.payloadJson = p.str("url", url("https://ok.ru/video/" + std::to_string(id))).done();
    } else if (type == "AUDIO") {
        const auto id = bigId(rng);
        p.str("id", std::to_string(id)).str("token", tokenText(rng, 32));
        attachment.payloadJson = p.str("url", url("https://ok.ru/audio/" + std::to_string(id) + ".ogg")).done();
    } else if (type == "FILE") {
        const auto id = bigId(rng);
        p.str("id", std::to_string(id)).str("token", tokenText(rng, 32));
        p.str("url", url("https://dl.mycdn.me/file?id=" + std::to_string(id)));
        attachment.payloadJson = p.str("name", pick(rng, kFileNames)).num("size", rng.below(50000000)).done();
    } else if (type == "SHARE") {
        if (rng.below(2) == 0) {
            attachment.payloadJson = p.str("url", url("https://ya.ru/")).done();
        } else {
            const auto id = bigId(rng);
            attachment.payloadJson =
                p.str("id", std::to_string(id))
                    .str("url", url("https://ok.ru/group/53038939046008/topic/" + std::to_string(id)))
                    .done();
        }
    } else if (type == "CONTACT") {
        const std::string name(pick(rng, userNames()));
        p.str("id", std::to_string(bigId(rng))).str("name", name);
        p.str("photoUrl", url("https://i.mycdn.me/image?id=" + std::to_string(bigId(rng))));
        p.str("phone", "7949" + std::to_string(1000000 + rng.below(8999999)));
        attachment.payloadJson =
            p.str("vcfBody", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + name + "\r\nTEL:+79493344555\r\nEND:VCARD").done();
    } else if (type == "INLINE_KEYBOARD") {
        if (rng.below(2) == 0) {
            attachment.payloadJson =
                p.raw(
                     "buttons",
                     R"([[{"type":"callback","text":"Yes","payload":"y"},{"type":"callback","text":"No","payload":"n"}]])")
                    .done();
        } else {
            std::string buttons = R"({"buttons":[[{"type":"CALLBACK","text":)";
            appendWireString(buttons, "Да ✅", style);
            buttons += R"(,"intent":"POSITIVE","payload":"yes"}],[{"type":"LINK","text":"Site","url":)";
            appendWireString(buttons, url("https://ok.ru/"), style);
            buttons += R"(}],[{"type":"REQUEST_CONTACT","text":"Contact","quick":true}]]})";
            attachment.payloadJson = p.raw("keyboard", buttons).done();
        }
    } else if (type == "LOCATION") {
        switch (rng.below(3)) {
            case 0: attachment.payloadJson = p.raw("latitude", "55.75").raw("longitude", "37.61").done(); break;
            case 1:
                attachment.payloadJson = p.raw("latitude", "59.928658")
                                             .raw("longitude", "30.38113")
                                             .raw("altitude", "1.0000")
                                             .raw("epu", "1.0000")
                                             .raw("heading", "1.0000")
                                             .raw("speed", "1.0000")
                                             .raw("zoom", "1.0000")
                                             .raw("livePeriod", "600")
                                             .done();
                break;
            default: attachment.payloadJson = p.raw("latitude", "-33.8688").raw("longitude", "1.511E2").done(); break;
        }
    } else if (type == "MUSIC") {
        const auto id = bigId(rng);
        attachment.payloadJson =
            p.str("id", std::to_string(id)).str("url", url("https://ok.ru/music/track/" + std::to_string(id))).done();
    } else if (type == "CALL") {
        p.str("id", std::to_string(bigId(rng))).str("type", rng.below(2) == 0 ? "VIDEO" : "AUDIO");
        static const std::vector<std::string_view> hangups = {"CANCELED"sv, "REJECTED"sv, "HUNGUP"sv, "MISSED"sv};
        attachment.payloadJson = p.str("hangupType", pick(rng, hangups)).num("duration", rng.below(7200)).done();
    } else if (type == "PRESENT") {
        const std::uint64_t variant = rng.below(10);
        if (variant < 2) {
            attachment.payloadJson.reset();
        } else if (variant < 3) {
            attachment.payloadJson = "null";
        } else {
            p.str("id", std::to_string(bigId(rng))).str("status", "SENT");
            attachment.payloadJson = p.str("receiverId", "USER:" + std::to_string(bigId(rng)))
                                         .str("senderId", "USER:" + std::to_string(bigId(rng)))
                                         .done();
        }
    } else if (type == "STICKER") {
        const std::string code = hexText(rng.next() & 0xFFFFFFFFFFULL);
        attachment.payloadJson =
            p.str("id", code).str("code", code).str("url", url("https://i.mycdn.me/sticker?id=" + code)).done();
    } else {
        attachment.payloadJson = p.raw("hz", "120")
                                     .str("mesh", url("https://holo.ok.ru/m.glb"))
                                     .raw("nested", R"({"a":[1,2.5,{"b":null,"c":true}],"s":"\u00e9\/"})")
                                     .raw("big", "12345678901234567890")
                                     .done();
    }
    return attachment;
}

}  // namespace okarchive::sim
