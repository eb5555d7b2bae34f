//! Charts for the dashboards, drawn on the server as SVG with `plotters`,
//! so pages need no script to show them and the axes are the library's.
//!
//! [`bar_chart`] returns the markup of an `<svg>` element to put straight
//! into a page: it carries `role="img"`, a `<title>` named by
//! `aria-labelledby`, and only presentation attributes (no `style=`, no
//! script), so the CSP holds. Every text in it, the library's as well as the
//! title, is XML-escaped. A chart is a picture only: pages give its figures
//! as text too.

mod svg;

use chorus_core::Micros;
use plotters::prelude::*;

/// One bar: its label on the x axis and its amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: Micros,
}

/// What a chart says about itself.
#[derive(Debug, Clone, Copy)]
pub struct ChartText<'a> {
    /// Unique in the page: the `<title>`'s id derives from it.
    pub id: &'a str,
    /// The accessible name, e.g. "Daily spend, November 2026".
    pub title: &'a str,
    /// The y axis' unit, e.g. "USD".
    pub unit: &'a str,
}

const WIDTH: u32 = 720;
const HEIGHT: u32 = 260;
const BAR: RGBColor = RGBColor(0x3b, 0x5b, 0xdb);
const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);

#[derive(Debug, thiserror::Error)]
#[error("chart not drawn: {0}")]
pub struct ChartError(String);

/// A bar per entry, left to right, on a y axis in whole currency units
/// (a negative bar, such as a month of refunds, hangs below zero).
pub fn bar_chart(text: ChartText<'_>, bars: &[Bar]) -> Result<String, ChartError> {
    let mut markup = String::new();
    draw(&mut markup, bars, text.unit).map_err(|e| ChartError(e.to_string()))?;
    Ok(svg::labelled(&markup, text.id, text.title))
}

fn units(amount: Micros) -> f64 {
    amount.as_i64() as f64 / 1_000_000.0
}

/// A y range that always shows zero and leaves headroom above the top bar.
fn y_range(bars: &[Bar]) -> std::ops::Range<f64> {
    let top = bars.iter().map(|b| units(b.value)).fold(0.0, f64::max);
    let bottom = bars.iter().map(|b| units(b.value)).fold(0.0, f64::min);
    let top = if top <= 0.0 && bottom == 0.0 {
        1.0
    } else {
        top * 1.1
    };
    bottom * 1.1..top.max(0.01)
}

/// "0.035", "0.10", "12.50": cents, or tenths of a cent where a small
/// month's ticks need them.
fn axis_amount(value: &f64) -> String {
    let text = format!("{value:.3}");
    match text.strip_suffix('0') {
        Some(cents) => cents.to_owned(),
        None => text,
    }
}

type Drawn = Result<(), Box<dyn std::error::Error>>;

fn draw(markup: &mut String, bars: &[Bar], unit: &str) -> Drawn {
    let root = SVGBackend::with_string(markup, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let count = bars.len().max(1);
    let mut chart = ChartBuilder::on(&root)
        .margin(10)
        .x_label_area_size(32)
        .y_label_area_size(68)
        .build_cartesian_2d((0..count).into_segmented(), y_range(bars))?;
    let label_of = |at: &SegmentValue<usize>| match at {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => bars
            .get(*i)
            .map(|bar| bar.label.clone())
            .unwrap_or_default(),
        SegmentValue::Last => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(INK)
        .label_style(("sans-serif", 15).into_font().color(&INK))
        .x_labels(count.min(16))
        .x_label_formatter(&label_of)
        .y_labels(5)
        .y_label_formatter(&axis_amount)
        .y_desc(unit)
        .draw()?;
    chart.draw_series(bars.iter().enumerate().map(|(i, bar)| {
        let mut rect = Rectangle::new(
            [
                (SegmentValue::Exact(i), 0.0),
                (SegmentValue::Exact(i + 1), units(bar.value)),
            ],
            BAR.filled(),
        );
        rect.set_margin(0, 0, 2, 2);
        rect
    }))?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn bars() -> Vec<Bar> {
        vec![
            Bar {
                label: "1".to_owned(),
                value: Micros(35_000),
            },
            Bar {
                label: "2".to_owned(),
                value: Micros(0),
            },
            Bar {
                label: "3".to_owned(),
                value: Micros(-35_000),
            },
        ]
    }

    fn text<'a>(title: &'a str) -> ChartText<'a> {
        ChartText {
            id: "daily",
            title,
            unit: "USD",
        }
    }

    #[test]
    fn a_chart_is_an_accessible_svg_without_style_or_script() {
        let svg = bar_chart(text("Daily spend"), &bars()).unwrap();
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"daily-title\""));
        assert!(svg.contains("<title id=\"daily-title\">Daily spend</title>"));
        assert!(!svg.contains("style="), "{svg}");
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.trim_end().ends_with("</svg>"));
        // One rect for the background, then the bars among the axes.
        assert!(svg.matches("<rect").count() >= 4, "{svg}");
    }

    #[test]
    fn axis_amounts_show_cents_or_what_a_small_tick_needs() {
        assert_eq!(axis_amount(&0.1), "0.10");
        assert_eq!(axis_amount(&0.035), "0.035");
        assert_eq!(axis_amount(&12.5), "12.50");
        assert_eq!(axis_amount(&0.0), "0.00");
    }

    #[test]
    fn titles_are_escaped() {
        let svg = bar_chart(text("<script>&\"</script>"), &bars()).unwrap();
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;&amp;&quot;&lt;/script&gt;"));
    }

    #[test]
    fn an_empty_month_still_draws_axes() {
        let svg = bar_chart(text("Nothing"), &[]).unwrap();
        assert!(svg.contains("<line") || svg.contains("<polyline"), "{svg}");
    }
}
