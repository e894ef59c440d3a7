//! Backtraces cut to a readable length for every front end (plain, `--json`,
//! MCP): a frame or short cycle of frames that repeats, as in deep
//! recursion, collapses into one line, and the result is capped.

/// The most lines a condensed backtrace has; past it, one last line says
/// how many frames were left off.
const MAX_LINES: usize = 16;

/// The longest cycle of frames (f calls g calls f ...) that is collapsed.
const MAX_CYCLE: usize = 4;

/// One line of a condensed backtrace: a frame as the guest reported it, or
/// a note standing for frames left out.
#[derive(Debug, PartialEq)]
pub(crate) enum Line<'a> {
    Frame(&'a str),
    Omitted(String),
}

impl Line<'_> {
    /// The line's text: the frame, or the note (`… 510 more frames of f`).
    pub(crate) fn text(&self) -> &str {
        match self {
            Line::Frame(frame) => frame,
            Line::Omitted(note) => note,
        }
    }
}

/// The frames with repeats collapsed (the first cycle is kept, then
/// `… N more frames of f`) and at most [`MAX_LINES`] lines in all.
pub(crate) fn condense(frames: &[String]) -> Vec<Line<'_>> {
    // Each line with the number of frames it stands for.
    let mut lines: Vec<(Line<'_>, usize)> = Vec::new();
    let mut rest = frames;
    while !rest.is_empty() {
        let Some((period, repeats)) = repeating_cycle(rest) else {
            lines.push((Line::Frame(&rest[0]), 1));
            rest = &rest[1..];
            continue;
        };
        let cycle = &rest[..period];
        lines.extend(cycle.iter().map(|frame| (Line::Frame(frame), 1)));
        let hidden = period * (repeats - 1);
        lines.push((Line::Omitted(more_frames(hidden, Some(cycle))), hidden));
        rest = &rest[period * repeats..];
    }
    if lines.len() > MAX_LINES {
        let hidden = lines.drain(MAX_LINES - 1..).map(|(_, frames)| frames).sum();
        lines.push((Line::Omitted(more_frames(hidden, None)), hidden));
    }
    lines.into_iter().map(|(line, _)| line).collect()
}

/// The shortest cycle that starts `frames` and repeats back to back, with
/// its repeat count, when collapsing it hides at least two frames.
fn repeating_cycle(frames: &[String]) -> Option<(usize, usize)> {
    (1..=MAX_CYCLE).find_map(|period| {
        let cycle = frames.get(..period)?;
        let repeats = frames
            .chunks_exact(period)
            .take_while(|chunk| *chunk == cycle)
            .count();
        (period * (repeats - 1) >= 2).then_some((period, repeats))
    })
}

/// `… N more frames`, naming the methods of the cycle when there is one.
fn more_frames(hidden: usize, cycle: Option<&[String]>) -> String {
    match cycle {
        Some(cycle) => {
            let names: Vec<&str> = cycle.iter().map(|frame| method_name(frame)).collect();
            format!("… {hidden} more frames of {}", names.join(", "))
        }
        None => format!("… {hidden} more frames"),
    }
}

/// The method a frame is in (`(eval):1:in f` → `f`), else the whole frame.
fn method_name(frame: &str) -> &str {
    frame.rsplit_once(":in ").map_or(frame, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(spec: &[(&str, usize)]) -> Vec<String> {
        spec.iter()
            .flat_map(|(frame, n)| std::iter::repeat_n(frame.to_string(), *n))
            .collect()
    }

    fn texts(frames: &[String]) -> Vec<String> {
        condense(frames).iter().map(|l| l.text().to_owned()).collect()
    }

    #[test]
    fn deep_recursion_collapses_to_its_first_frame_and_a_count() {
        let deep = frames(&[("(eval):1:in f", 511), ("(eval):1", 1)]);
        assert_eq!(
            texts(&deep),
            ["(eval):1:in f", "… 510 more frames of f", "(eval):1"]
        );
    }

    #[test]
    fn mutual_recursion_collapses_its_cycle() {
        let mut cycle = Vec::new();
        for _ in 0..100 {
            cycle.extend(["(eval):2:in g".to_owned(), "(eval):1:in f".to_owned()]);
        }
        assert_eq!(
            texts(&cycle),
            ["(eval):2:in g", "(eval):1:in f", "… 198 more frames of g, f"]
        );
    }

    #[test]
    fn a_frame_seen_twice_stays_as_it_is() {
        let twice = frames(&[("(snippet:X):1", 2)]);
        assert_eq!(texts(&twice), ["(snippet:X):1", "(snippet:X):1"]);
    }

    #[test]
    fn a_long_backtrace_of_distinct_frames_is_capped() {
        let long: Vec<String> = (1..=40).map(|n| format!("(eval):{n}:in m{n}")).collect();
        let lines = texts(&long);
        assert_eq!(lines.len(), MAX_LINES);
        assert_eq!(lines[MAX_LINES - 2], "(eval):15:in m15");
        assert_eq!(lines[MAX_LINES - 1], "… 25 more frames");
    }
}
