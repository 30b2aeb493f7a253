#include "report/MediaReport.h"

#include <map>

#include <fmt/format.h>

#include "exporters/HtmlAttachment.h"
#include "exporters/HtmlText.h"

namespace okarchive {
namespace {

/// One attachment type's media: saved files and bytes, and the files of every other state.
struct TypeMedia {
    std::int64_t saved = 0, savedBytes = 0, missing = 0;
    std::map<MediaState, std::int64_t> missingByState;  // in MediaState order
};

/// The counts folded by type, in the order the ledger gave them (by type), plus the totals of all types.
std::vector<std::pair<std::string, TypeMedia>> byType(const std::vector<MediaCount>& counts, TypeMedia& total) {
    std::vector<std::pair<std::string, TypeMedia>> types;
    for (const auto& c : counts) {
        if (types.empty() || types.back().first != c.type) types.emplace_back(c.type, TypeMedia{});
        for (TypeMedia* t : {&types.back().second, &total}) {
            if (c.state == MediaState::Saved) {
                t->saved += c.files;
                t->savedBytes += c.bytes;
            } else {
                t->missing += c.files;
                t->missingByState[c.state] += c.files;
            }
        }
    }
    return types;
}

std::string_view stateWords(Locale locale, MediaState state) {
    const bool ru = locale == Locale::Russian;
    switch (state) {
        case MediaState::Pending: return ru ? "ещё не загружено" : "not downloaded yet";
        case MediaState::Saved: return ru ? "сохранено" : "saved";
        case MediaState::SkippedPolicy: return ru ? "пропущено по настройкам" : "skipped";
        case MediaState::Expired: return ru ? "истекло на платформе" : "expired";
        case MediaState::FailedTransient: return ru ? "ошибка, будет повтор" : "failed, to be retried";
        case MediaState::FailedPermanent: return ru ? "ошибка" : "failed";
    }
    return {};
}

/// "2 expired, 1 failed" (or "—" when nothing is missing).
std::string missingText(const TypeMedia& t, Locale locale) {
    std::string text;
    for (const auto& [state, files] : t.missingByState) {
        if (files == 0) continue;
        if (!text.empty()) text += ", ";
        text += groupedCount(locale, files) + " " + std::string(stateWords(locale, state));
    }
    return text.empty() ? "\u2014" : text;
}

void row(std::string& out, const std::string& name, const TypeMedia& t, Locale locale, bool total) {
    out += total ? "<tr class=\"total\"><th>" : "<tr><td>";
    appendHtmlEscaped(out, name);
    out += total ? "</th>" : "</td>";
    out += "<td class=\"n\">" + groupedCount(locale, t.saved) + "</td><td class=\"n\">";
    appendHtmlEscaped(out, humanByteSize(locale, static_cast<double>(t.savedBytes)));
    out += "</td><td class=\"n\">" + groupedCount(locale, t.missing) + "</td><td>";
    appendHtmlEscaped(out, missingText(t, locale));
    out += "</td></tr>";
}

}  // namespace

void writeMediaReport(JsonWriter& json, const std::vector<MediaCount>& counts) {
    TypeMedia total;
    const auto types = byType(counts, total);
    const auto totals = [&](const TypeMedia& t) {
        json.key("saved").value(t.saved).key("saved_bytes").value(t.savedBytes).key("missing").value(t.missing);
    };
    json.beginObject();
    totals(total);
    json.key("by_type").beginObject();
    for (const auto& [type, media] : types) {
        json.key(type).beginObject();
        totals(media);
        json.key("by_state").beginObject();
        for (const auto& [state, files] : media.missingByState)
            if (files) json.key(mediaStateName(state)).value(files);
        json.endObject().endObject();
    }
    json.endObject().endObject();
}

std::string htmlMediaSection(const std::vector<MediaCount>& counts, Locale locale) {
    const bool ru = locale == Locale::Russian;
    TypeMedia total;
    const auto types = byType(counts, total);
    std::string out = fmt::format("<section id=\"media\"><h2>{}</h2>\n", ru ? "Медиафайлы" : "Media");
    if (types.empty()) {
        out += fmt::format("<p class=\"note\">{}</p></section>\n",
                           ru ? "Нет медиафайлов в этом периоде." : "No media in this range.");
        return out;
    }
    out += fmt::format(
        "<div class=\"scroll\"><table><thead><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th>"
        "<th class=\"n\">{}</th><th>{}</th></tr></thead><tbody>",
        ru ? "тип" : "type", ru ? "сохранено" : "saved", ru ? "объём" : "size", ru ? "не сохранено" : "not saved",
        ru ? "почему" : "why");
    for (const auto& [type, media] : types) row(out, attachmentTypeName(locale, type), media, locale, false);
    if (types.size() > 1) row(out, ru ? "всего" : "all", total, locale, true);
    out += "</tbody></table></div></section>\n";
    return out;
}

}  // namespace okarchive
