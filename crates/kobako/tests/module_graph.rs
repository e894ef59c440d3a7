//! The modules of `src/` depend on each other without a cycle: each file's
//! `crate::` and `super::` paths name the modules it uses, and the graph of
//! top-level modules they make must be acyclic (docs/decisions.md, Layout).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level module a file belongs to (`wire/decode.rs` → `wire`);
/// `None` for the crate root.
fn owner(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next()?.as_os_str().to_str()?.to_owned();
    match first.strip_suffix(".rs") {
        Some("lib") => None,
        Some(stem) => Some(stem.to_owned()),
        None => Some(first),
    }
}

/// Items the crate root re-exports, by name, to the module defining them
/// (`pub use error::{Error, ErrorKind}` maps both names to `error`).
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for statement in lib.split(';') {
        let Some(rest) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, items)) = rest.split_once("::") else {
            continue;
        };
        for item in items
            .trim_matches(|c: char| c == '{' || c == '}' || c.is_whitespace())
            .split(',')
        {
            let item = item.trim();
            if !item.is_empty() {
                names.insert(item.to_owned(), module.trim().to_owned());
            }
        }
    }
    names
}

/// The modules a source text names through `crate::` paths, including the
/// grouped form `crate::{a, b::C}`.
fn uses(text: &str, modules: &BTreeSet<String>, exported: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let code: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut name = |segment: &str| {
        let segment = segment.trim().trim_start_matches("self::");
        let head: String = segment
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if modules.contains(&head) {
            used.insert(head);
        } else if let Some(module) = exported.get(&head) {
            used.insert(module.clone());
        }
    };
    for (index, _) in code.match_indices("crate::") {
        let rest = &code[index + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end].split(',').for_each(&mut name);
        } else {
            name(rest);
        }
    }
    used
}

/// The module dependency graph of `src/`: each top-level module and the
/// other top-level modules it uses. `super::` stays inside a module here
/// (a nested file's parent is its own top-level module; an inline test
/// module's parent is the file itself), so only `crate::` paths add edges.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    sources(src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| owner(src, f)).collect();
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let exported = reexports(&lib);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(from) = owner(src, file) else { continue };
        let text = std::fs::read_to_string(file).unwrap();
        let targets = edges.entry(from.clone()).or_default();
        targets.extend(
            uses(&text, &modules, &exported)
                .into_iter()
                .filter(|to| *to != from),
        );
    }
    edges
}

/// A cycle in `edges`, as the modules along it, if there is one.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, done, path) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut done, &mut Vec::new()))
}

#[test]
fn the_module_graph_of_src_is_acyclic() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = graph(&src);
    assert!(edges.len() > 5, "the graph was read: {edges:?}");
    if let Some(cycle) = find_cycle(&edges) {
        panic!("module cycle: {}", cycle.join(" -> "));
    }
}

#[test]
fn the_check_finds_a_cycle() {
    let edge = |from: &str, to: &[&str]| (from.to_owned(), to.iter().map(|s| s.to_string()).collect());
    let acyclic = BTreeMap::from([edge("a", &["b", "c"]), edge("b", &["c"]), edge("c", &[])]);
    assert_eq!(find_cycle(&acyclic), None);
    let cyclic = BTreeMap::from([edge("a", &["b"]), edge("b", &["c"]), edge("c", &["a"])]);
    assert_eq!(find_cycle(&cyclic).unwrap(), ["a", "b", "c", "a"]);

    let modules = BTreeSet::from(["wire".to_owned(), "store".to_owned(), "value".to_owned()]);
    let exported = BTreeMap::from([("Value".to_owned(), "value".to_owned())]);
    let text = "use crate::{store::State, wire};\n// crate::nothing\nfn f(v: crate::Value) {}";
    assert_eq!(uses(text, &modules, &exported), modules);
}
