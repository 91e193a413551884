//! The module graph of `src/` stays layered (issue: no import cycles).
//!
//! Reads every `src/**/*.rs` file as text, takes each `crate::<module>` it names (in paths,
//! `use crate::{a, b}` groups and the crate's macros `paginate!` / `stored_enum!`), outside
//! comments, and draws an edge from the file's top-level module (its folder under `src/`, or
//! the file name) to the module named. Then:
//!
//! - the **ground layer** (request plumbing, errors, database, configuration, the caller
//!   extractor, ...) names only ground modules: it never reaches up into a resource area;
//! - there is **no cycle** between top-level modules (areas and ground alike), so each area
//!   can be read and changed on top of the ones below it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Modules every area may use, which use no area.
const GROUND: &[&str] = &[
    "auth",
    "clock",
    "config",
    "db",
    "error",
    "http",
    "idempotency",
    "jobs",
    "ids",
    "memo",
    "memory",
    "metrics",
    "pagination",
    "request_context",
    "secrets",
    "state",
    "telemetry",
    "time",
    "validation",
    "vault",
];

/// `crate::<name>` that are macros exported at the crate root, and the module defining them.
const MACROS: &[(&str, &str)] = &[("paginate", "pagination"), ("stored_enum", "db")];

type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// Edges `module -> named module -> files` of the source tree under `src`.
fn graph_of(src: &Path) -> Graph {
    let mut graph = Graph::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(src).unwrap();
                let first = rel.components().next().unwrap().as_os_str();
                let module = first.to_string_lossy().trim_end_matches(".rs").to_string();
                let text = std::fs::read_to_string(&path).expect("read file");
                for named in names_in(&text) {
                    if named != module {
                        graph
                            .entry(module.clone())
                            .or_default()
                            .entry(named)
                            .or_default()
                            .insert(rel.display().to_string());
                    }
                }
            }
        }
    }
    graph
}

/// The top-level modules a file's code names through `crate::`.
fn names_in(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = &rest[..at];
            rest = &rest[at + "crate::".len()..];
            if before.ends_with('$') {
                // `$crate::` inside a macro definition names the defining crate's items.
                let name = ident(rest);
                if !name.is_empty() {
                    names.insert(name);
                }
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for part in inner.split(',') {
                    let name = ident(part.trim());
                    if !name.is_empty() && name != "self" {
                        names.insert(name);
                    }
                }
            } else {
                let name = ident(rest);
                if !name.is_empty() {
                    names.insert(name);
                }
            }
        }
    }
    names
        .into_iter()
        .map(|n| {
            MACROS
                .iter()
                .find(|(m, _)| *m == n)
                .map_or(n.clone(), |(_, module)| module.to_string())
        })
        .collect()
}

/// Ground modules that name a module outside the ground layer: (from, to, files).
fn upward_imports(graph: &Graph) -> Vec<String> {
    let mut found = Vec::new();
    for (from, targets) in graph {
        if !GROUND.contains(&from.as_str()) {
            continue;
        }
        for (to, files) in targets {
            if !GROUND.contains(&to.as_str()) {
                found.push(format!("{from} -> {to} (in {files:?})"));
            }
        }
    }
    found
}

/// One cycle of the graph, as a path `a -> b -> ... -> a`, if there is any.
fn a_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        path.push(node.to_string());
        for next in graph.get(node).map(|t| t.keys()).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let start = path.iter().position(|p| p == next).unwrap();
                    let mut cycle = path[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(next, graph, state, path) {
                        return Some(c);
                    }
                }
            }
        }
        path.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node.as_str()) {
            if let Some(c) = visit(node, graph, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn the_ground_layer_names_no_resource_area() {
    let graph = graph_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let upward = upward_imports(&graph);
    assert!(
        upward.is_empty(),
        "ground modules must not name resource areas (move the shared piece down, or pass it in):\n{}",
        upward.join("\n")
    );
    for ground in GROUND {
        assert!(
            graph.contains_key(*ground)
                || Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("src")
                    .join(format!("{ground}.rs"))
                    .exists(),
            "the ground list names `{ground}`, which is not a module of src/"
        );
    }
}

#[test]
fn src_has_no_import_cycle_between_top_level_modules() {
    let graph = graph_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(
        graph.len() > 20,
        "the graph was read ({} modules)",
        graph.len()
    );
    if let Some(cycle) = a_cycle(&graph) {
        let edges: Vec<String> = cycle
            .windows(2)
            .map(|w| format!("{} -> {} (in {:?})", w[0], w[1], graph[&w[0]][&w[1]]))
            .collect();
        panic!(
            "import cycle between modules of src/:\n{}",
            edges.join("\n")
        );
    }
}

#[test]
fn the_guard_sees_groups_macros_and_cycles() {
    let names = names_in(
        "use crate::{auth::Tenant, db, error::ApiError};\n// crate::orders in a comment\nlet q = crate::paginate!(x);\n$crate::error::ApiError",
    );
    let expected: BTreeSet<String> = ["auth", "db", "error", "pagination"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(names, expected);
    let mut graph = Graph::new();
    let edge = |g: &mut Graph, a: &str, b: &str| {
        g.entry(a.into())
            .or_default()
            .entry(b.into())
            .or_default()
            .insert("f.rs".into());
    };
    edge(&mut graph, "orders", "services");
    edge(&mut graph, "services", "error");
    assert_eq!(a_cycle(&graph), None);
    assert!(upward_imports(&graph).is_empty());
    edge(&mut graph, "error", "orders");
    assert_eq!(
        a_cycle(&graph).map(|c| c.len()),
        Some(4),
        "orders -> services -> error -> orders"
    );
    assert_eq!(upward_imports(&graph).len(), 1);
}
