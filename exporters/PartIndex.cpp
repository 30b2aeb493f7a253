#include "exporters/PartIndex.h"

#include <fmt/format.h>

#include "domain/JsonWriter.h"
#include "domain/TimeFormat.h"
#include "exporters/HtmlText.h"
#include "exporters/HtmlWords.h"

namespace okarchive {
namespace {

std::string manifest(const PartIndex& index) {
    std::string out;
    JsonWriter json(out);
    json.beginObject().key("generation").value(index.generation).key("chat_id").value(index.chatId);
    json.key("title").value(index.chatTitle).key("parts").beginArray();
    for (const auto& part : index.parts) {
        json.beginObject().key("file").value(part.link);
        if (part.messages > 0)
            json.key("first").value(formatIsoUtc(part.firstMs)).key("last").value(formatIsoUtc(part.lastMs));
        else
            json.key("first").null().key("last").null();
        json.key("messages").value(part.messages).endObject();
    }
    json.endArray().endObject();
    out += '\n';
    return out;
}

std::string htmlPage(const PartIndex& index) {
    const auto generation = index.generation.substr(index.generation.rfind(".parts-"));  // no "--" from a name
    std::string out = fmt::format("<!DOCTYPE html>\n<!-- okarchive generation {} -->\n", generation);
    std::string head;
    appendHtmlHead(head, localeTag(index.locale), "data:");
    out += head.substr(head.find('\n') + 1);  // the doctype is already there
    const std::string& title = index.chatTitle.empty() ? index.chatId : index.chatTitle;
    appendHtmlEscaped(out, title);
    out += "</title>\n";
    out += kEmptyIconLink;
    out += "</head>\n<body>\n<main>\n<h1><bdi>";
    appendHtmlEscaped(out, title);
    out += fmt::format("</bdi></h1>\n<p>{}</p>\n<ol class=\"parts\">\n", partCount(index.locale, index.parts.size()));
    for (const auto& part : index.parts) {
        out += "<li><a href=\"";
        for (char c : part.link) {  // each path segment encoded, the separator kept
            if (c == '/')
                out += '/';
            else
                appendUrlComponent(out, std::string_view(&c, 1));
        }
        out += "\">";
        appendHtmlEscaped(out, part.link.substr(part.link.find('/') + 1));
        out += "</a>";
        if (part.messages > 0)
            out += fmt::format(" <time>{}</time> \xE2\x80\x93 <time>{}</time>", formatIsoUtc(part.firstMs),
                               formatIsoUtc(part.lastMs));
        out += fmt::format(" ({})</li>\n", messageCount(index.locale, part.messages));
    }
    out += "</ol>\n</main>\n</body>\n</html>\n";
    return out;
}

}  // namespace

std::string partIndexText(const PartIndex& index, PartIndexFormat format) {
    return format == PartIndexFormat::HtmlPage ? htmlPage(index) : manifest(index);
}

}  // namespace okarchive
