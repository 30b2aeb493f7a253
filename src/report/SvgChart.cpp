#include "report/SvgChart.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "exporters/HtmlText.h"
#include "report/NumberFormat.h"

namespace okarchive::svg {
namespace {

constexpr double kWidth =
    560;  // user units: a 360 px phone shows the charts at 0.57, a desktop (720 px at most) at 1.29
constexpr std::size_t kMaxLabelChars = 22;

std::string shortLabel(std::string_view text) {
    bool cut = false;
    std::string out(utf8Prefix(text, kMaxLabelChars, &cut));
    if (cut) out += "\u2026";
    return htmlEscaped(out);
}

/// The opening <svg> with its accessible title.
std::string open(const Frame& frame, double height) {
    return fmt::format(
        "<svg class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">"
        "<title>{}</title>\n",
        kWidth, height, htmlEscaped(frame.title), htmlEscaped(frame.title));
}

/// Legend items from the top-left corner of the plot: swatches for columns/bars, short strokes for lines.
struct LegendItem {
    std::string label, style;
    bool line = false;
};

std::string legend(const std::vector<LegendItem>& items, double x, double y) {
    std::string out = "<g class=\"legend\">";
    for (const auto& item : items) {
        if (item.line)
            out += fmt::format("<line class=\"line {}\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>",
                               item.style, x, y - 4, x + 14, y - 4);
        else
            out += fmt::format("<rect class=\"sw {}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"12\" height=\"12\" rx=\"2\"/>",
                               item.style, x, y - 10);
        const auto text = shortLabel(item.label);
        out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", x + 18, y, text);
        x += 34 + 7.0 * static_cast<double>(std::min(item.label.size(), kMaxLabelChars));
    }
    return out + "</g>\n";
}

std::string axisTitles(const Frame& frame, double height, double plotLeft, double plotRight, double plotTop,
                       double plotBottom) {
    std::string out;
    if (!frame.xLabel.empty())
        out += fmt::format("<text class=\"axis-title\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                           (plotLeft + plotRight) / 2, height - 6, htmlEscaped(frame.xLabel));
    if (!frame.yLabel.empty())
        out += fmt::format(
            "<text class=\"axis-title\" transform=\"translate(14 {:.1f}) rotate(-90)\" "
            "text-anchor=\"middle\">{}</text>",
            (plotTop + plotBottom) / 2, htmlEscaped(frame.yLabel));
    return out + "\n";
}

std::string noData(const Frame& frame, double y) {
    return fmt::format("<text class=\"nodata\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>", kWidth / 2, y,
                       htmlEscaped(frame.noDataText));
}

}  // namespace

double niceStep(double maximum, int ticks) {
    if (!(maximum > 0) || ticks < 1) return 1;
    const double raw = maximum / ticks;
    const double power = std::pow(10, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * power) return std::max(m * power, 1e-9);
    return 10 * power;
}

namespace {

/// Where a line chart's plot sits and how values map to it.
struct LinePlot {
    static constexpr double height = 300, left = 58, right = 16, top = 36, bottom = 50;
    static constexpr double plotW = kWidth - left - right, plotH = height - top - bottom, plotBottom = top + plotH;
    double step = 1, yTop = 1, yBottom = 0, slot = 0;

    double y(double v) const { return top + (yTop - v) / (yTop - yBottom) * plotH; }
    double xCenter(std::size_t i) const { return left + slot * (static_cast<double>(i) + 0.5); }
};

/// The value scale: nice steps from the lowest (0 or below) to the highest value of every series.
LinePlot linePlot(const std::vector<Series>& columns, const std::vector<Series>& lines, std::size_t n) {
    double high = 0, low = 0;
    for (const auto* group : {&columns, &lines})
        for (const auto& s : *group)
            for (double v : s.values) {
                high = std::max(high, v);
                low = std::min(low, v);
            }
    LinePlot p;
    p.step = niceStep(std::max(high, -low), low < 0 ? 2 : 4);
    p.yTop = std::max(p.step, std::ceil(high / p.step) * p.step);
    p.yBottom = std::floor(low / p.step) * p.step;
    p.slot = n == 0 ? 0 : LinePlot::plotW / static_cast<double>(n);
    return p;
}

void appendYGrid(std::string& out, const LinePlot& p, Locale locale) {
    out += "<g class=\"grid\">";
    for (double t = p.yBottom; t <= p.yTop + p.step / 2; t += p.step) {
        out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>", p.left, p.y(t),
                           p.left + p.plotW, p.y(t));
        out += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", p.left - 6,
                           p.y(t) + 4, compactNumber(std::fabs(t) < p.step / 2 ? 0 : (t < 0 ? -t : t), locale));
    }
    out += "</g>\n";
}

void appendColumnsAndLines(std::string& out, const LinePlot& p, const std::vector<Series>& columns,
                           const std::vector<Series>& lines, std::size_t n) {
    const double width = std::max(p.slot * 0.78, std::min(p.slot, 0.6));
    for (const auto& s : columns) {
        std::string path;
        for (std::size_t i = 0; i < n && i < s.values.size(); ++i) {
            const double v = s.values[i];
            if (v == 0) continue;
            const double x = p.left + p.slot * static_cast<double>(i) + (p.slot - width) / 2;
            path += fmt::format("M{:.2f} {:.1f}V{:.1f}h{:.2f}V{:.1f}Z", x, p.y(0), p.y(v), width, p.y(0));
        }
        if (!path.empty()) out += fmt::format("<path class=\"col {}\" d=\"{}\"/>\n", s.style, path);
    }
    for (const auto& s : lines) {
        std::string points;
        for (std::size_t i = 0; i < n && i < s.values.size(); ++i)
            points += fmt::format("{}{:.2f},{:.1f}", i ? " " : "", p.xCenter(i), p.y(s.values[i]));
        out += fmt::format("<polyline class=\"line {}\" points=\"{}\"/>\n", s.style, points);
    }
}

/// The zero line, the y axis, and up to 5 evenly spread date ticks.
void appendAxesAndXTicks(std::string& out, const LinePlot& p, const std::vector<std::string>& xLabels) {
    out += fmt::format("<line class=\"axis\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>", p.left, p.y(0),
                       p.left + p.plotW, p.y(0));
    out += fmt::format("<line class=\"axis\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>\n", p.left,
                       p.top, p.left, p.plotBottom);
    const std::size_t n = xLabels.size();
    const std::size_t shown = std::min<std::size_t>(n, 5);
    out += "<g class=\"xticks\">";
    for (std::size_t j = 0; j < shown; ++j) {
        const std::size_t i = shown == 1 ? 0 : (j * (n - 1) + (shown - 1) / 2) / (shown - 1);
        const char* anchor = shown > 1 && j == 0 ? "start" : (shown > 1 && j == shown - 1 ? "end" : "middle");
        out += fmt::format(
            "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>"
            "<text class=\"tick\" x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"{4}\">{5}</text>",
            p.xCenter(i), p.plotBottom, p.plotBottom + 4, p.plotBottom + 17, anchor, htmlEscaped(xLabels[i]));
    }
    out += "</g>\n";
}

}  // namespace

std::string lineChart(const Frame& frame, const std::vector<std::string>& xLabels, const std::vector<Series>& columns,
                      const std::vector<Series>& lines) {
    using P = LinePlot;
    std::string out = open(frame, P::height);
    std::vector<LegendItem> items;
    for (const auto& s : columns) items.push_back({s.label, s.style, false});
    for (const auto& s : lines) items.push_back({s.label, s.style, true});
    out += legend(items, P::left, 18);
    out += axisTitles(frame, P::height, P::left, P::left + P::plotW, P::top, P::plotBottom);
    const std::size_t n = xLabels.size();
    const LinePlot plot = linePlot(columns, lines, n);
    appendYGrid(out, plot, frame.locale);
    if (n == 0) return out + noData(frame, P::top + P::plotH / 2) + "</svg>";
    appendColumnsAndLines(out, plot, columns, lines, n);
    appendAxesAndXTicks(out, plot, xLabels);
    return out + "</svg>";
}

std::string barChart(const Frame& frame, const std::vector<Bar>& bars, const std::string& legendLabel,
                     const std::string& style) {
    constexpr double left = 168, right = 64, top = 34, bottom = 46, row = 24;
    const double height = top + bottom + row * static_cast<double>(std::max<std::size_t>(bars.size(), 1));
    const double plotW = kWidth - left - right, plotBottom = height - bottom;
    std::string out = open(frame, height);
    out += legend({{legendLabel, style, false}}, left, 18);
    out += axisTitles(frame, height, left, left + plotW, top, plotBottom);
    double high = 0;
    for (const auto& b : bars) high = std::max(high, b.value);
    const double step = niceStep(high, 4);
    const double xMax = std::max(step, std::ceil(high / step) * step);
    auto x = [&](double v) { return left + v / xMax * plotW; };
    out += "<g class=\"grid\">";
    for (double t = 0; t <= xMax + step / 2; t += step)
        out += fmt::format(
            "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>"
            "<text class=\"tick\" x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>",
            x(t), top, plotBottom, plotBottom + 16, compactNumber(t, frame.locale));
    out += "</g>\n";
    if (bars.empty()) return out + noData(frame, top + row / 2 + 4) + "</svg>";
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto& b = bars[i];
        const double yTop = top + row * static_cast<double>(i) + 4;
        const auto valueText =
            b.valueText.empty() ? groupedCount(frame.locale, static_cast<std::int64_t>(b.value)) : b.valueText;
        out += fmt::format(
            "<g><title>{0}: {1}</title><text class=\"label\" x=\"{2:.1f}\" y=\"{3:.1f}\" text-anchor=\"end\">{4}</text>"
            "<rect class=\"col {5}\" x=\"{6:.1f}\" y=\"{7:.1f}\" width=\"{8:.1f}\" height=\"{9:.1f}\" rx=\"2\"/>"
            "<text class=\"value\" x=\"{10:.1f}\" y=\"{3:.1f}\">{1}</text></g>\n",
            htmlEscaped(b.label), htmlEscaped(valueText), left - 8, yTop + row / 2 + 1, shortLabel(b.label), style,
            left, yTop, std::max(0.0, x(b.value) - left), row - 8, x(b.value) + 5);
    }
    out += fmt::format("<line class=\"axis\" x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>\n", left,
                       top, plotBottom);
    return out + "</svg>";
}

namespace {

/// The heatmap's legend at `left`: the colour scale from 0 to the busiest cell, `high`.
std::string heatLegend(const Frame& frame, double left, std::int64_t high) {
    std::string out = fmt::format("<g class=\"legend\"><text x=\"{:.1f}\" y=\"18\">0</text>", left);
    for (int k = 0; k < 5; ++k)
        out +=
            fmt::format("<rect class=\"{}\" x=\"{:.1f}\" y=\"8\" width=\"18\" height=\"12\" fill-opacity=\"{:.2f}\"/>",
                        k == 0 ? "heat0" : "heat", left + 14 + 19 * k, k == 0 ? 1.0 : 0.1 + 0.225 * k);
    return out + fmt::format("<text x=\"{:.1f}\" y=\"18\">{} {}</text></g>\n", left + 14 + 19 * 5 + 4,
                             compactNumber(static_cast<double>(high), frame.locale), htmlEscaped(frame.heatUnit));
}

}  // namespace

std::string heatmap(const Frame& frame, const std::vector<std::string>& rowLabels,
                    const std::vector<std::string>& columnLabels, const std::vector<std::vector<std::int64_t>>& cells) {
    constexpr double left = 64, right = 12, top = 36, bottom = 50;
    const double columns = static_cast<double>(std::max<std::size_t>(columnLabels.size(), 1));
    const double cellW = (kWidth - left - right) / columns, cellH = 26;
    const double plotBottom = top + cellH * static_cast<double>(rowLabels.size());
    const double height = plotBottom + bottom;
    std::int64_t high = 0;
    for (const auto& r : cells)
        for (auto v : r) high = std::max(high, v);

    std::string out = open(frame, height) + heatLegend(frame, left, high);
    out += axisTitles(frame, height, left, kWidth - right, top, plotBottom);

    for (std::size_t r = 0; r < rowLabels.size(); ++r) {
        const double y = top + cellH * static_cast<double>(r);
        out += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", left - 6,
                           y + cellH / 2 + 4, htmlEscaped(rowLabels[r]));
        for (std::size_t c = 0; c < columnLabels.size(); ++c) {
            const std::int64_t v = r < cells.size() && c < cells[r].size() ? cells[r][c] : 0;
            const double opacity =
                v > 0 && high > 0 ? 0.1 + 0.9 * static_cast<double>(v) / static_cast<double>(high) : 1;
            out += fmt::format(
                "<rect class=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" rx=\"2\" "
                "fill-opacity=\"{:.2f}\"><title>{} {}: {}</title></rect>",
                v > 0 ? "heat" : "heat0", left + cellW * static_cast<double>(c) + 1, y + 1, cellW - 2, cellH - 2,
                opacity, htmlEscaped(rowLabels[r]), htmlEscaped(columnLabels[c]), groupedCount(frame.locale, v));
        }
        out += "\n";
    }
    for (std::size_t c = 0; c < columnLabels.size(); c += 3)
        out +=
            fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                        left + cellW * (static_cast<double>(c) + 0.5), plotBottom + 16, htmlEscaped(columnLabels[c]));
    return out + "\n</svg>";
}

}  // namespace okarchive::svg
