//! A script file preloaded as a snippet: the library names a snippet with a
//! constant (`price_rules.rb` → `PriceRules`), and errors say
//! `(snippet:PriceRules):3`; the CLI reports the file's own path instead.

use std::path::Path;

/// A file loaded as a snippet, and the name its errors carry.
pub(crate) struct ScriptFile {
    path: String,
    snippet: String,
}

impl ScriptFile {
    /// The file at `path`, under a snippet name made from its file name.
    pub(crate) fn new(path: &Path) -> ScriptFile {
        ScriptFile {
            path: path.display().to_string(),
            snippet: snippet_name(path),
        }
    }

    /// The snippet name to preload or compile the source under.
    pub(crate) fn snippet(&self) -> &str {
        &self.snippet
    }
}

/// `text` with each `(snippet:NAME)` location of `file` naming the file
/// instead; unchanged when there is no file.
pub(crate) fn relabel(file: Option<&ScriptFile>, text: &str) -> String {
    match file {
        Some(file) => text.replace(&format!("(snippet:{})", file.snippet), &file.path),
        None => text.to_owned(),
    }
}

/// A snippet name from the file name: `price_rules.rb` → `PriceRules`.
fn snippet_name(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let name: String = stem
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| part[..1].to_ascii_uppercase() + &part[1..])
        .collect();
    if name.starts_with(|c: char| c.is_ascii_uppercase()) {
        name
    } else {
        "Script".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_file_instead_of_the_snippet() {
        let file = ScriptFile::new(Path::new("rules/price_rules.rb"));
        assert_eq!(file.snippet(), "PriceRules");
        assert_eq!(
            relabel(Some(&file), "SyntaxError: (snippet:PriceRules):3: syntax error"),
            "SyntaxError: rules/price_rules.rb:3: syntax error"
        );
    }

    #[test]
    fn a_file_name_without_letters_gets_a_generic_snippet_name() {
        assert_eq!(ScriptFile::new(Path::new("1.rb")).snippet(), "Script");
    }
}
