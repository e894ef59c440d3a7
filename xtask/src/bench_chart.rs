//! The chart beside the benchmark table: per benchmark, horizontal bars
//! for Kobako, the original and native mruby, each as time relative to
//! Kobako, written as a hand-made SVG.

use std::fmt::Write as _;

use crate::bench_report::time;

/// Whose figure a bar shows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Series {
    Ours,
    Original,
    Native,
}

impl Series {
    const ALL: [Series; 3] = [Series::Ours, Series::Original, Series::Native];

    fn name(self) -> &'static str {
        match self {
            Series::Ours => "Kobako (this repository)",
            Series::Original => "original Kobako 0.22",
            Series::Native => "native mruby 4.0 (start-up subtracted)",
        }
    }

    fn colour(self) -> &'static str {
        match self {
            Series::Ours => "#e8590c",
            Series::Original => "#1971c2",
            Series::Native => "#868e96",
        }
    }
}

/// One bar: a figure in ns and its ratio to ours.
pub struct Bar {
    pub series: Series,
    pub ns: f64,
    pub ratio: f64,
}

/// The bars of one benchmark, and the series that have no figure for it
/// with the reason.
pub struct Group {
    pub label: String,
    pub bars: Vec<Bar>,
    pub missing: Vec<(Series, String)>,
}

impl Group {
    fn rows(&self) -> usize {
        self.bars.len() + self.missing.len()
    }
}

const WIDTH: f64 = 1000.0;
const LABEL_END: f64 = 330.0;
const PLOT_LEFT: f64 = 340.0;
const PLOT_WIDTH: f64 = 440.0;
const BAR_HEIGHT: f64 = 16.0;
const BAR_GAP: f64 = 3.0;
const GROUP_GAP: f64 = 14.0;
const PLOT_TOP: f64 = 96.0;
/// A white outline that keeps a value label readable over grid lines.
const HALO: &str = " stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"";

/// The chart as SVG text.
pub fn svg(groups: &[Group]) -> String {
    let largest = groups
        .iter()
        .flat_map(|g| &g.bars)
        .map(|b| b.ratio)
        .fold(1.0, f64::max);
    let step = [0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
        .into_iter()
        .find(|step| largest / step <= 8.0)
        .unwrap_or(largest / 8.0);
    let axis_max = (largest / step).ceil() * step;
    let x = |ratio: f64| PLOT_LEFT + ratio / axis_max * PLOT_WIDTH;

    let plot_height: f64 = groups
        .iter()
        .map(|g| g.rows() as f64 * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP)
        .sum();
    let axis_y = PLOT_TOP + plot_height.max(30.0);
    let height = axis_y + 74.0;

    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n\
         <text x=\"16\" y=\"28\" font-size=\"16\" font-weight=\"bold\">Kobako beside the original and native mruby</text>\n\
         <text x=\"16\" y=\"48\" fill=\"#495057\">Time per benchmark relative to Kobako (Kobako = 1×); shorter is faster. Each bar is labelled with its time and ratio.</text>\n"
    );

    let present: Vec<Series> = Series::ALL
        .into_iter()
        .filter(|s| groups.iter().any(|g| g.bars.iter().any(|b| b.series == *s)))
        .collect();
    let mut legend_x = 16.0;
    for series in &present {
        let _ = writeln!(
            out,
            "<rect x=\"{legend_x}\" y=\"62\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"72\">{}</text>",
            series.colour(),
            legend_x + 17.0,
            xml(series.name())
        );
        legend_x += 17.0 + series.name().chars().count() as f64 * 6.8 + 24.0;
    }

    // Grid and axis.
    let ticks = (axis_max / step).round() as usize;
    for i in 0..=ticks {
        let ratio = i as f64 * step;
        let at = x(ratio);
        let (stroke, dash) = if (ratio - 1.0).abs() < 1e-9 {
            ("#495057", " stroke-dasharray=\"4 3\"")
        } else {
            ("#dee2e6", "")
        };
        let _ = writeln!(
            out,
            "<line x1=\"{at:.1}\" y1=\"{PLOT_TOP}\" x2=\"{at:.1}\" y2=\"{axis_y}\" stroke=\"{stroke}\"{dash}/>\n\
             <text x=\"{at:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#495057\">{}×</text>",
            axis_y + 16.0,
            trim_number(ratio)
        );
    }
    let _ = writeln!(
        out,
        "<line x1=\"{PLOT_LEFT}\" y1=\"{axis_y}\" x2=\"{:.1}\" y2=\"{axis_y}\" stroke=\"#212529\"/>\n\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">time relative to Kobako</text>",
        PLOT_LEFT + PLOT_WIDTH,
        PLOT_LEFT + PLOT_WIDTH / 2.0,
        axis_y + 36.0
    );

    let mut y = PLOT_TOP + GROUP_GAP / 2.0;
    for group in groups {
        let span = group.rows() as f64 * (BAR_HEIGHT + BAR_GAP) - BAR_GAP;
        let _ = writeln!(
            out,
            "<text x=\"{LABEL_END}\" y=\"{:.1}\" text-anchor=\"end\" font-weight=\"bold\">{}</text>",
            y + span / 2.0 + 4.0,
            xml(&group.label)
        );
        for bar in &group.bars {
            let end = x(bar.ratio);
            let _ = writeln!(
                out,
                "<rect x=\"{PLOT_LEFT}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{BAR_HEIGHT}\" fill=\"{}\"><title>{}: {}</title></rect>\n\
                 <text x=\"{:.1}\" y=\"{:.1}\"{HALO}>{} · {:.2}×</text>",
                end - PLOT_LEFT,
                bar.series.colour(),
                xml(bar.series.name()),
                time(bar.ns),
                end + 5.0,
                y + BAR_HEIGHT - 4.0,
                time(bar.ns),
                bar.ratio
            );
            y += BAR_HEIGHT + BAR_GAP;
        }
        for (series, reason) in &group.missing {
            let _ = writeln!(
                out,
                "<rect x=\"{PLOT_LEFT}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"{}\"/>\n\
                 <text x=\"{:.1}\" y=\"{:.1}\" font-style=\"italic\"{HALO}>{}: {}</text>",
                y + 0.5,
                BAR_HEIGHT - 1.0,
                BAR_HEIGHT - 1.0,
                series.colour(),
                PLOT_LEFT + BAR_HEIGHT + 5.0,
                y + BAR_HEIGHT - 4.0,
                xml(series.name()),
                xml(reason)
            );
            y += BAR_HEIGHT + BAR_GAP;
        }
        y += GROUP_GAP;
    }
    if groups.is_empty() {
        let _ = writeln!(
            out,
            "<text x=\"{PLOT_LEFT}\" y=\"{:.1}\">No benchmark has a figure to set beside Kobako's.</text>",
            PLOT_TOP + 20.0
        );
    }

    let _ = writeln!(
        out,
        "<text x=\"16\" y=\"{:.1}\" fill=\"#495057\">The original is set beside Kobako as both ran in one interleaved harness (benches/peer); native mruby beside Kobako's criterion figure, as in the table.</text>\n</svg>",
        axis_y + 60.0
    );
    out
}

/// A tick value without trailing zeros (`0.5`, `1`, `2.25`).
fn trim_number(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Text escaped for an SVG text node or attribute.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
