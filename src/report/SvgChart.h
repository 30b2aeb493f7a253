#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "domain/Locale.h"

namespace okarchive::svg {

// okarchive's small SVG writer: a few chart functions returning inline <svg> markup for the HTML report. Every chart
// carries its title (<title> and aria-label), axis titles and a legend; colours come from CSS classes (s0..s3, heat)
// so the page's light and dark themes apply. All text given is HTML-escaped here. No scripts, no external references.

/// Title and axis titles of a chart, and the language of its numbers and words.
struct Frame {
    std::string title;
    std::string xLabel;
    std::string yLabel;
    Locale locale = Locale::English;                   ///< grouped counts, decimals, compact numbers
    std::string noDataText = "no data in this range";  ///< drawn in a chart with nothing to show
    std::string heatUnit = "messages";                 ///< after the busiest count in a heatmap's legend
};

/// One named series; `style` is the CSS class that colours it (s0, s1, s2, s3).
struct Series {
    std::string label;
    std::vector<double> values;
    std::string style = "s0";
};

/// One labelled bar.
struct Bar {
    std::string label;
    double value = 0;
    std::string valueText;  ///< shown at the end of the bar; empty: the value, grouped
};

/// A time series over `xLabels` (e.g. dates): `columns` drawn as columns (negative values below the axis, so two
/// series can face each other), `lines` drawn over them. At most five x labels are shown, evenly spread, never
/// overlapping at the chart's width.
std::string lineChart(const Frame& frame, const std::vector<std::string>& xLabels, const std::vector<Series>& columns,
                      const std::vector<Series>& lines);

/// Horizontal bars, longest first as given, label on the left and value on the right.
std::string barChart(const Frame& frame, const std::vector<Bar>& bars, const std::string& legend,
                     const std::string& style = "s0");

/// A grid of counts coloured by intensity (rows top to bottom, columns left to right), with a colour scale legend.
std::string heatmap(const Frame& frame, const std::vector<std::string>& rowLabels,
                    const std::vector<std::string>& columnLabels, const std::vector<std::vector<std::int64_t>>& cells);

/// A "nice" axis step (1, 2 or 5 times a power of ten) giving about `ticks` steps up to `maximum`.
double niceStep(double maximum, int ticks);

}  // namespace okarchive::svg
