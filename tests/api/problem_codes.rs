//! The list of problem codes (`src/problem_codes.rs`) against the codes the source can
//! produce, the committed `docs/errors.md` against the list, and a few real responses.
//!
//! # How codes are read from the source
//!
//! Every `src/**/*.rs` file except `src/problem_codes.rs` is read from `CARGO_MANIFEST_DIR`
//! and split into Rust tokens (comments dropped, string literals kept as values); items under
//! `#[cfg(test)]` are skipped. A code reaches a response body through one of these *sinks*:
//!
//! 1. the `code` field of an `ApiError::Variant { .. }` that is built (not matched); the
//!    variant gives the status;
//! 2. a fixed arm `ApiError::Variant { .. } => "code"` in a `fn code` (`ApiError::code`);
//! 3. the second argument of `FieldError::new(field, code, message)` (field-level codes);
//! 4. a `#[validate(..)]` rule on a request type (the `validator` rule name, or its
//!    `code = ".."`) and `ValidationError::new("..")` (field-level codes that
//!    `validation::check` copies from `e.code`);
//! 5. the `error` field of an `OAuthError { .. }` (token endpoint errors, RFC 6749 shape).
//!
//! The value in a sink must be one of:
//!
//! - a string literal: that is the code;
//! - a parameter of the enclosing `fn` or named closure (`let name = |..| ..`): the function
//!   is a *helper*, and the argument in that position at every call of it is read the same
//!   way (so `rule("plan_required", ..)`, `unauthenticated("invalid_token", ..)` and
//!   `err("package_id", "invalid_format", ..)` count). A helper parameter named `status`
//!   gives the status of the call (the token endpoint's `oauth_error(400, ..)`);
//! - a name bound by a tuple pattern (`let (field, code, message) = ..`,
//!   `if let Some((code, why)) = ..`): every tuple expression in the same file with the same
//!   number of elements and a string literal in that position is a code.
//!
//! Anything else (a computed code, a constant, `code: ".."` outside an `ApiError`
//! constructor) fails the test with its place, so a new way of producing codes cannot slip
//! past unseen. The status of a top-level code is the status the carrying `ApiError`
//! variant answers, taken from the real `ResponseError::status_code` of one value of each
//! variant; a code carried by two variants must be listed once per status.
//!
//! The test fails when the source produces a (code, status) the table lacks, when the
//! table lists one the source no longer produces, and when `docs/errors.md` is not the
//! rendering of the table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use actix_web::ResponseError;
use onyx::error::ApiError;
use onyx::problem_codes::{self, FIELD_CODES, OAUTH_ERRORS, PROBLEM_CODES};
use serde_json::json;

use crate::helpers::TestApp;

// ---------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(String),
    Punct(char),
    /// Byte strings, chars and lifetimes: never codes.
    Other,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
}

fn lex(src: &str) -> Vec<Token> {
    let b: Vec<char> = src.chars().collect();
    let at = |i: usize| b.get(i).copied().unwrap_or('\0');
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < b.len() {
        let c = b[i];
        let start_line = line;
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(b[i] == '\n');
                    i += 1;
                }
            }
        } else if let Some((value, next, is_text)) = string_at(&b, i) {
            line += b[i..next].iter().filter(|c| **c == '\n').count();
            let tok = if is_text { Tok::Str(value) } else { Tok::Other };
            out.push(Token {
                tok,
                line: start_line,
            });
            i = next;
        } else if c == '\'' {
            // A char literal ('a', '\n', '\u{1F600}') or a lifetime ('static).
            if at(i + 1) == '\\' {
                i += 3; // past the quote, the backslash and the escaped character
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
                while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                    i += 1;
                }
            }
            out.push(Token {
                tok: Tok::Other,
                line,
            });
        } else if c.is_alphabetic() || c == '_' {
            if c == 'r' && at(i + 1) == '#' {
                i += 2; // raw identifier
            }
            let s = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Ident(b[s..i].iter().collect()),
                line,
            });
        } else if c.is_ascii_digit() {
            let s = i;
            while i < b.len()
                && (b[i].is_alphanumeric()
                    || b[i] == '_'
                    || (b[i] == '.' && at(i + 1).is_ascii_digit()))
            {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Num(b[s..i].iter().collect()),
                line,
            });
        } else {
            out.push(Token {
                tok: Tok::Punct(c),
                line,
            });
            i += 1;
        }
    }
    out
}

/// A string literal starting at `i`: (value, index after it, is a `str` literal).
fn string_at(b: &[char], i: usize) -> Option<(String, usize, bool)> {
    let at = |i: usize| b.get(i).copied().unwrap_or('\0');
    let (mut j, is_text) = match (at(i), at(i + 1)) {
        ('"', _) => (i, true),
        ('b' | 'c', '"') => (i + 1, false),
        ('b', 'r') if matches!(at(i + 2), '"' | '#') => (i + 1, false),
        ('r', '"') => (i, true),
        ('r', '#') => {
            let mut k = i + 1;
            while at(k) == '#' {
                k += 1;
            }
            if at(k) != '"' {
                return None; // a raw identifier
            }
            (i, true)
        }
        _ => return None,
    };
    if at(j) == 'r' {
        j += 1;
        let mut hashes = 0;
        while at(j) == '#' {
            hashes += 1;
            j += 1;
        }
        j += 1; // the opening quote
        let start = j;
        loop {
            if j >= b.len() {
                return None;
            }
            if b[j] == '"' && (1..=hashes).all(|h| at(j + h) == '#') {
                return Some((b[start..j].iter().collect(), j + 1 + hashes, is_text));
            }
            j += 1;
        }
    }
    j += 1; // the opening quote
    let mut value = String::new();
    while j < b.len() {
        match b[j] {
            '"' => return Some((value, j + 1, is_text)),
            '\\' => {
                let e = at(j + 1);
                match e {
                    'n' => value.push('\n'),
                    't' => value.push('\t'),
                    '\n' => {
                        j += 1;
                        while at(j + 1).is_whitespace() {
                            j += 1;
                        }
                    }
                    other => value.push(other),
                }
                j += 2;
            }
            c => {
                value.push(c);
                j += 1;
            }
        }
    }
    None
}

/// One source file as tokens, with the matching bracket of every bracket.
struct File {
    path: String,
    toks: Vec<Token>,
    close: Vec<usize>,
}

impl File {
    fn new(path: String, src: &str) -> File {
        let toks = strip_cfg_test(lex(src));
        let close = matching(&toks);
        File { path, toks, close }
    }

    fn is(&self, i: usize, s: &str) -> bool {
        match self.toks.get(i).map(|t| &t.tok) {
            Some(Tok::Ident(x)) => x == s,
            Some(Tok::Punct(c)) => s.len() == 1 && s.starts_with(*c),
            _ => false,
        }
    }

    fn seq(&self, i: usize, parts: &[&str]) -> bool {
        parts.iter().enumerate().all(|(k, p)| self.is(i + k, p))
    }

    fn ident(&self, i: usize) -> Option<&str> {
        match self.toks.get(i).map(|t| &t.tok) {
            Some(Tok::Ident(x)) => Some(x),
            _ => None,
        }
    }

    fn str_lit(&self, i: usize) -> Option<&str> {
        match self.toks.get(i).map(|t| &t.tok) {
            Some(Tok::Str(x)) => Some(x),
            _ => None,
        }
    }

    fn place(&self, i: usize) -> String {
        let line = self.toks.get(i).or(self.toks.last()).map_or(0, |t| t.line);
        format!("{}:{line}", self.path)
    }

    /// The comma-separated parts of the bracket group opened at `open`, as token ranges.
    /// Angle brackets count as nesting (parameter types such as `HashMap<K, V>`).
    fn split(&self, open: usize) -> Vec<(usize, usize)> {
        let end = self.close[open];
        let mut parts = Vec::new();
        let (mut start, mut angle, mut i) = (open + 1, 0i32, open + 1);
        while i < end {
            match &self.toks[i].tok {
                Tok::Punct('(' | '[' | '{') => {
                    i = self.close[i];
                }
                Tok::Punct('<') => angle += 1,
                Tok::Punct('>') if !self.is(i - 1, "-") && !self.is(i - 1, "=") => angle -= 1,
                Tok::Punct(',') if angle <= 0 => {
                    parts.push((start, i));
                    start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        if start < end {
            parts.push((start, end));
        }
        parts
    }

    /// The index after the expression starting at `i` (ends at `,` `;` or a closing bracket
    /// at its own level).
    fn expr_end(&self, mut i: usize) -> usize {
        while i < self.toks.len() {
            match &self.toks[i].tok {
                Tok::Punct('(' | '[' | '{') => i = self.close[i],
                Tok::Punct(',' | ';' | ')' | ']' | '}') => return i,
                _ => {}
            }
            i += 1;
        }
        i
    }

    /// The innermost `{ }` group holding token `i`, as (open, close).
    fn block_around(&self, i: usize) -> (usize, usize) {
        (0..i)
            .rev()
            .find(|&o| self.is(o, "{") && self.close[o] > i)
            .map_or((0, self.toks.len()), |o| (o, self.close[o]))
    }
}

fn matching(toks: &[Token]) -> Vec<usize> {
    let mut close = vec![usize::MAX; toks.len()];
    let mut stack = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        match t.tok {
            Tok::Punct('(' | '[' | '{') => stack.push(i),
            Tok::Punct(')' | ']' | '}') => {
                if let Some(o) = stack.pop() {
                    close[o] = i;
                    close[i] = o;
                }
            }
            _ => {}
        }
    }
    close
}

/// Drops every item marked `#[cfg(test)]`.
fn strip_cfg_test(toks: Vec<Token>) -> Vec<Token> {
    let close = matching(&toks);
    let is = |i: usize, c: char| toks.get(i).is_some_and(|t| t.tok == Tok::Punct(c));
    let id = |i: usize, s: &str| toks.get(i).is_some_and(|t| t.tok == Tok::Ident(s.into()));
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let cfg_test = is(i, '#')
            && is(i + 1, '[')
            && id(i + 2, "cfg")
            && is(i + 3, '(')
            && id(i + 4, "test")
            && is(i + 5, ')')
            && is(i + 6, ']');
        if !cfg_test {
            out.push(toks[i].clone());
            i += 1;
            continue;
        }
        i += 7;
        while i < toks.len() {
            match toks[i].tok {
                Tok::Punct('{') => {
                    i = close[i] + 1;
                    break;
                }
                Tok::Punct(';') => {
                    i += 1;
                    break;
                }
                Tok::Punct('(' | '[') => i = close[i] + 1,
                _ => i += 1,
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Extraction

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A top-level `code`, carried by this `ApiError` variant.
    Problem(String),
    /// A field-level code in `errors[].code`.
    Field,
    /// The `error` of a token endpoint error.
    OAuth,
}

#[derive(Debug)]
struct Found {
    kind: Kind,
    code: String,
    status: Option<u16>,
    place: String,
}

/// A `fn` or a named closure: its parameters and body.
struct Scope {
    file: usize,
    name: String,
    params: Vec<Option<String>>,
    body: (usize, usize),
    /// `None` for a `fn` (callable from anywhere); the token range it can be called in for a
    /// closure.
    visible: Option<(usize, usize)>,
}

struct Extraction {
    files: Vec<File>,
    scopes: Vec<Scope>,
    found: Vec<Found>,
    problems: Vec<String>,
    /// Helpers already followed, as (scope, parameter, kind).
    followed: BTreeSet<(usize, usize, Kind)>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn source_files() -> Vec<File> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    rust_files(&root.join("src"), &mut paths);
    paths
        .into_iter()
        .filter_map(|p| {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel != "src/problem_codes.rs").then(|| {
                let src = std::fs::read_to_string(&p).unwrap();
                File::new(rel, &src)
            })
        })
        .collect()
}

fn param_name(f: &File, (s, e): (usize, usize)) -> Option<String> {
    let mut i = s;
    while i < e && (f.is(i, "&") || f.is(i, "mut") || f.is(i, "ref")) {
        i += 1;
    }
    let name = f.ident(i)?;
    (i + 1 == e || f.is(i + 1, ":")).then(|| name.to_string())
}

fn scopes_of(fi: usize, f: &File) -> Vec<Scope> {
    let mut out = Vec::new();
    for i in 0..f.toks.len() {
        // fn name<..>(params) -> .. { body }
        if f.is(i, "fn") {
            let Some(name) = f.ident(i + 1) else { continue };
            let Some(open) = (i + 2..f.toks.len()).find(|&k| f.is(k, "(")) else {
                continue;
            };
            let params = f
                .split(open)
                .into_iter()
                .map(|r| param_name(f, r))
                .collect();
            let mut k = f.close[open] + 1;
            while k < f.toks.len() && !f.is(k, "{") && !f.is(k, ";") {
                if f.is(k, "(") || f.is(k, "[") {
                    k = f.close[k];
                }
                k += 1;
            }
            if f.is(k, "{") {
                out.push(Scope {
                    file: fi,
                    name: name.to_string(),
                    params,
                    body: (k, f.close[k]),
                    visible: None,
                });
            }
        }
        // let [mut] name = [move] |params| body
        if f.is(i, "let") {
            let mut k = i + 1;
            if f.is(k, "mut") {
                k += 1;
            }
            let Some(name) = f.ident(k) else { continue };
            if !f.is(k + 1, "=") || f.is(k + 2, "=") {
                continue;
            }
            let mut p = k + 2;
            if f.is(p, "move") {
                p += 1;
            }
            if !f.is(p, "|") {
                continue;
            }
            let Some(bar) = (p + 1..f.toks.len()).find(|&j| f.is(j, "|")) else {
                continue;
            };
            let mut params = Vec::new();
            let mut start = p + 1;
            let mut angle = 0;
            for j in p + 1..=bar {
                if f.is(j, "<") {
                    angle += 1;
                } else if f.is(j, ">") {
                    angle -= 1;
                } else if j == bar || (f.is(j, ",") && angle == 0) {
                    if start < j {
                        params.push(param_name(f, (start, j)));
                    }
                    start = j + 1;
                }
            }
            let mut b = bar + 1;
            if f.is(b, "-") {
                while b < f.toks.len() && !f.is(b, "{") {
                    b += 1;
                }
            }
            let body = if f.is(b, "{") {
                (b, f.close[b])
            } else {
                (b, f.expr_end(b))
            };
            let block = f.block_around(i);
            out.push(Scope {
                file: fi,
                name: name.to_string(),
                params,
                body,
                visible: Some((body.1, block.1)),
            });
        }
    }
    out
}

impl Extraction {
    fn run() -> Extraction {
        let files = source_files();
        assert!(
            files.iter().any(|f| f.path == "src/error.rs"),
            "src/error.rs is read"
        );
        let scopes = files
            .iter()
            .enumerate()
            .flat_map(|(fi, f)| scopes_of(fi, f))
            .collect();
        let mut x = Extraction {
            files,
            scopes,
            found: Vec::new(),
            problems: Vec::new(),
            followed: BTreeSet::new(),
        };
        for fi in 0..x.files.len() {
            x.scan(fi);
        }
        x
    }

    fn scan(&mut self, fi: usize) {
        let mut sinks: Vec<(usize, usize, Kind)> = Vec::new();
        let mut constructors: Vec<(usize, usize)> = Vec::new();
        let f = &self.files[fi];
        let n = f.toks.len();
        for i in 0..n {
            // 1 and 2: ApiError::Variant { .. } built, and fixed arms `=> "code"`.
            if f.seq(i, &["ApiError", ":", ":"]) {
                let Some(variant) = f.ident(i + 3) else {
                    continue;
                };
                // Skip this pattern and any `| ApiError::Other { .. }` after it.
                let mut after = i + 4;
                while after < n && !f.is(after, "=") && !f.is(after, ";") && !f.is(after, ",") {
                    if f.is(after, "{") || f.is(after, "(") {
                        after = f.close[after];
                    } else if !(f.is(after, "|") || f.is(after, ":") || f.ident(after).is_some()) {
                        break;
                    }
                    after += 1;
                }
                let in_code_fn = self
                    .scopes
                    .iter()
                    .any(|sc| sc.file == fi && sc.name == "code" && sc.body.0 < i && i < sc.body.1);
                if in_code_fn && f.seq(after, &["=", ">"]) {
                    if let Some(code) = f.str_lit(after + 2) {
                        self.found.push(Found {
                            kind: Kind::Problem(variant.to_string()),
                            code: code.to_string(),
                            status: None,
                            place: f.place(i),
                        });
                    }
                }
                if !f.is(i + 4, "{") {
                    continue;
                }
                let open = i + 4;
                constructors.push((open, f.close[open]));
                let fields = f.split(open);
                let is_pattern = f.seq(f.close[open] + 1, &["=", ">"])
                    || fields
                        .iter()
                        .any(|&(s, e)| e == s + 2 && f.seq(s, &[".", "."]));
                if is_pattern {
                    continue;
                }
                for (s, e) in fields {
                    if !f.is(s, "code") {
                        continue;
                    }
                    let kind = Kind::Problem(variant.to_string());
                    if e == s + 1 {
                        sinks.push((s, e, kind)); // shorthand `code`
                    } else if f.is(s + 1, ":") {
                        sinks.push((s + 2, e, kind));
                    }
                }
            }
            // 3: FieldError::new(field, code, message)
            if f.seq(i, &["FieldError", ":", ":", "new", "("]) {
                let args = f.split(i + 4);
                match args.get(1) {
                    Some(&(s, e)) => sinks.push((s, e, Kind::Field)),
                    None => self
                        .problems
                        .push(format!("{}: FieldError::new without a code", f.place(i))),
                }
            }
            // 4: #[validate(rule, rule(..), custom(.., code = ".."))] and ValidationError::new("..")
            if f.seq(i, &["#", "[", "validate", "("]) {
                for (s, e) in f.split(i + 3) {
                    let Some(rule) = f.ident(s) else { continue };
                    let explicit = (s..e)
                        .find(|&k| {
                            f.is(k, "code") && f.is(k + 1, "=") && f.str_lit(k + 2).is_some()
                        })
                        .and_then(|k| f.str_lit(k + 2));
                    let code = match (explicit, rule) {
                        (Some(c), _) => c,
                        (None, "nested" | "custom" | "schema") => continue,
                        (None, r) => r,
                    };
                    self.found.push(Found {
                        kind: Kind::Field,
                        code: code.to_string(),
                        status: None,
                        place: f.place(s),
                    });
                }
            }
            if f.seq(i, &["ValidationError", ":", ":", "new", "("]) {
                sinks.push((i + 5, f.expr_end(i + 5), Kind::Field));
            }
            // 5: OAuthError { error: .. }
            if f.is(i, "OAuthError")
                && f.is(i + 1, "{")
                && !matches!(
                    f.ident(i.wrapping_sub(1)),
                    Some("struct" | "enum" | "for" | "impl")
                )
            {
                for (s, e) in f.split(i + 1) {
                    if f.is(s, "error") && e == s + 1 {
                        sinks.push((s, e, Kind::OAuth));
                    } else if f.is(s, "error") && f.is(s + 1, ":") {
                        sinks.push((s + 2, e, Kind::OAuth));
                    }
                }
            }
        }
        // A `code: ".."` anywhere else is a code this test cannot place.
        for i in 0..n {
            if f.is(i, "code")
                && f.is(i + 1, ":")
                && f.str_lit(i + 2).is_some()
                && !f.is(i.wrapping_sub(1), ":")
                && !constructors.iter().any(|&(o, c)| o < i && i < c)
            {
                self.problems.push(format!(
                    "{}: `code: \"{}\"` outside an `ApiError::Variant {{ .. }}` constructor; build errors through ApiError so the code list can see them",
                    f.place(i),
                    f.str_lit(i + 2).unwrap()
                ));
            }
        }
        for (s, e, kind) in sinks {
            self.resolve(fi, s, e, kind, None);
        }
    }

    /// Reads the code expression `s..e` of file `fi`.
    fn resolve(&mut self, fi: usize, s: usize, e: usize, kind: Kind, status: Option<u16>) {
        let f = &self.files[fi];
        if let Some(code) = f.str_lit(s) {
            self.found.push(Found {
                kind,
                code: code.to_string(),
                status,
                place: f.place(s),
            });
            return;
        }
        // `e.code`: a `validator` rule code, listed from the `#[validate]` attributes.
        let validator_bridge = f
            .toks
            .iter()
            .any(|t| t.tok == Tok::Ident("validator".into()));
        if kind == Kind::Field && validator_bridge && (s..e).any(|k| f.seq(k, &[".", "code"])) {
            return;
        }
        let Some(name) = f.ident(s).filter(|_| e == s + 1 || f.is(s + 1, ".")) else {
            let place = f.place(s);
            self.problems.push(format!(
                "{place}: a code that is neither a string literal nor a name; use a literal (or a helper called with one)"
            ));
            return;
        };
        let name = name.to_string();
        // A parameter of the enclosing fn or named closure (innermost first).
        let mut enclosing: Vec<usize> = (0..self.scopes.len())
            .filter(|&k| {
                let sc = &self.scopes[k];
                sc.file == fi && sc.body.0 < s && s < sc.body.1
            })
            .collect();
        enclosing.sort_by_key(|&k| self.scopes[k].body.1 - self.scopes[k].body.0);
        for &k in &enclosing {
            if let Some(pos) = self.scopes[k]
                .params
                .iter()
                .position(|p| p.as_deref() == Some(name.as_str()))
            {
                self.follow_helper(k, pos, kind);
                return;
            }
        }
        // A name bound by a tuple pattern in the enclosing fn.
        let outer = enclosing
            .last()
            .map_or((0, f.toks.len()), |&k| self.scopes[k].body);
        let mut bindings = Vec::new();
        for i in outer.0..s {
            let open = if f.is(i, "let") && f.is(i + 1, "(") {
                i + 1
            } else if f.is(i, "let")
                && (f.is(i + 1, "Some") || f.is(i + 1, "Ok"))
                && f.is(i + 2, "(")
                && f.is(i + 3, "(")
            {
                i + 3
            } else if f.is(i, "for") && f.is(i + 1, "(") {
                i + 1
            } else {
                continue;
            };
            let parts = f.split(open);
            if let Some(pos) = parts
                .iter()
                .position(|&(a, b)| b == a + 1 && f.is(a, &name))
            {
                bindings.push((f.place(i), parts.len(), pos));
            }
        }
        let bound = !bindings.is_empty();
        for (place, arity, pos) in bindings {
            let before = self.found.len();
            self.tuple_literals(fi, arity, pos, &kind);
            if self.found.len() == before {
                self.problems.push(format!(
                    "{place}: `{name}` is bound by a tuple pattern, but no tuple of {arity} in this file has a string literal at position {pos}"
                ));
            }
        }
        if !bound {
            let place = self.files[fi].place(s);
            self.problems.push(format!(
                "{place}: cannot tell which codes `{name}` holds; use a literal, a helper parameter or a tuple pattern"
            ));
        }
    }

    /// Every tuple expression of `arity` elements in file `fi` with a literal at `pos`.
    fn tuple_literals(&mut self, fi: usize, arity: usize, pos: usize, kind: &Kind) {
        let f = &self.files[fi];
        let mut new = Vec::new();
        for i in 0..f.toks.len() {
            if !f.is(i, "(") || i == 0 {
                continue;
            }
            let prev = &f.toks[i - 1].tok;
            let is_call = match prev {
                Tok::Ident(p) => !matches!(
                    p.as_str(),
                    "return" | "in" | "break" | "match" | "if" | "while" | "let" | "move"
                ),
                Tok::Punct('>') => !f.is(i - 2, "="),
                Tok::Punct(')' | ']' | '!') => true,
                _ => false,
            };
            if is_call {
                continue;
            }
            let parts = f.split(i);
            if parts.len() != arity {
                continue;
            }
            let (a, b) = parts[pos];
            if b == a + 1 {
                if let Some(code) = f.str_lit(a) {
                    new.push(Found {
                        kind: kind.clone(),
                        code: code.to_string(),
                        status: None,
                        place: f.place(a),
                    });
                }
            }
        }
        self.found.extend(new);
    }

    /// Reads the argument at `pos` of every call of helper `k`.
    fn follow_helper(&mut self, k: usize, pos: usize, kind: Kind) {
        if !self.followed.insert((k, pos, kind.clone())) {
            return;
        }
        let (name, visible, status_pos) = {
            let sc = &self.scopes[k];
            let status_pos = sc
                .params
                .iter()
                .position(|p| p.as_deref() == Some("status"));
            (sc.name.clone(), sc.visible, status_pos)
        };
        let mut calls = Vec::new();
        for (fi, f) in self.files.iter().enumerate() {
            if visible.is_some() && fi != self.scopes[k].file {
                continue;
            }
            let (from, to) = visible.unwrap_or((0, f.toks.len()));
            for i in from..to.min(f.toks.len()) {
                if f.is(i, &name)
                    && f.is(i + 1, "(")
                    && !f.is(i.wrapping_sub(1), "fn")
                    && !f.is(i.wrapping_sub(1), ".")
                {
                    calls.push((fi, i + 1));
                }
            }
        }
        if calls.is_empty() {
            let sc = &self.scopes[k];
            let place = self.files[sc.file].place(sc.body.0);
            self.problems.push(format!(
                "{place}: helper `{name}` passes a code but is never called"
            ));
        }
        for (fi, open) in calls {
            let f = &self.files[fi];
            let args = f.split(open);
            let Some(&(s, e)) = args.get(pos) else {
                let place = f.place(open);
                self.problems.push(format!(
                    "{place}: call of `{name}` without the code argument"
                ));
                continue;
            };
            let status =
                status_pos
                    .and_then(|p| args.get(p))
                    .and_then(|&(a, _)| match &f.toks[a].tok {
                        Tok::Num(n) => n.parse().ok(),
                        _ => None,
                    });
            self.resolve(fi, s, e, kind.clone(), status);
        }
    }

    /// The variants of `enum ApiError`.
    fn api_error_variants(&self) -> Vec<String> {
        let f = self
            .files
            .iter()
            .find(|f| f.path == "src/error.rs")
            .unwrap();
        let i = (0..f.toks.len())
            .find(|&i| f.seq(i, &["enum", "ApiError", "{"]))
            .expect("enum ApiError in src/error.rs");
        let mut out = Vec::new();
        for (s, e) in f.split(i + 2) {
            let mut k = s;
            while f.is(k, "#") && k < e {
                k = f.close[k + 1] + 1;
            }
            if let Some(v) = f.ident(k) {
                out.push(v.to_string());
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------
// Statuses of the variants, from the real type

fn variant_name(e: &ApiError) -> &'static str {
    // No wildcard: a new variant does not compile until it is named here and in `sample`.
    match e {
        ApiError::BadRequest { .. } => "BadRequest",
        ApiError::Validation { .. } => "Validation",
        ApiError::Unauthenticated { .. } => "Unauthenticated",
        ApiError::Forbidden { .. } => "Forbidden",
        ApiError::NotFound { .. } => "NotFound",
        ApiError::MethodNotAllowed { .. } => "MethodNotAllowed",
        ApiError::Conflict { .. } => "Conflict",
        ApiError::PayloadTooLarge { .. } => "PayloadTooLarge",
        ApiError::UnsupportedMediaType { .. } => "UnsupportedMediaType",
        ApiError::NotAcceptable { .. } => "NotAcceptable",
        ApiError::Unprocessable { .. } => "Unprocessable",
        ApiError::RateLimited { .. } => "RateLimited",
        ApiError::Unavailable { .. } => "Unavailable",
        ApiError::Internal(_) => "Internal",
    }
}

fn samples() -> Vec<ApiError> {
    let (code, detail) = ("sample", || "sample".to_string());
    vec![
        ApiError::BadRequest {
            code,
            detail: detail(),
        },
        ApiError::validation(Vec::new()),
        ApiError::Unauthenticated {
            code,
            detail: detail(),
        },
        ApiError::Forbidden {
            code,
            detail: detail(),
        },
        ApiError::NotFound {
            code,
            detail: detail(),
        },
        ApiError::MethodNotAllowed {
            method: "PUT".into(),
            allow: vec!["GET".into()],
        },
        ApiError::Conflict {
            code,
            detail: detail(),
        },
        ApiError::PayloadTooLarge { limit: 1 },
        ApiError::UnsupportedMediaType { detail: detail() },
        ApiError::NotAcceptable { detail: detail() },
        ApiError::Unprocessable {
            code,
            detail: detail(),
        },
        ApiError::RateLimited {
            retry_after_secs: 1,
        },
        ApiError::Unavailable {
            code,
            detail: detail(),
        },
        ApiError::internal("sample"),
    ]
}

fn variant_statuses() -> BTreeMap<&'static str, u16> {
    samples()
        .iter()
        .map(|e| (variant_name(e), e.status_code().as_u16()))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Tests

/// Both directions: every code the source can produce is listed with the status it answers,
/// and every listed code can still be produced. See the module documentation for the rule.
#[test]
fn the_code_list_matches_the_codes_the_source_can_produce() {
    let x = Extraction::run();
    let statuses = variant_statuses();
    let mut problems = x.problems.clone();

    let variants = x.api_error_variants();
    for v in &variants {
        if !statuses.contains_key(v.as_str()) {
            problems.push(format!(
                "ApiError::{v} has no sample in this test; add one to `samples`"
            ));
        }
    }
    assert!(variants.len() >= 10, "variants read: {variants:?}");

    // (code, status) -> places, per table.
    let mut problem: BTreeMap<(String, u16), Vec<String>> = BTreeMap::new();
    let mut field: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut oauth: BTreeMap<(String, u16), Vec<String>> = BTreeMap::new();
    for f in &x.found {
        match &f.kind {
            Kind::Problem(v) => match statuses.get(v.as_str()) {
                Some(s) => problem
                    .entry((f.code.clone(), *s))
                    .or_default()
                    .push(f.place.clone()),
                None => problems.push(format!("{}: unknown ApiError variant `{v}`", f.place)),
            },
            Kind::Field => field
                .entry(f.code.clone())
                .or_default()
                .push(f.place.clone()),
            Kind::OAuth => match f.status {
                Some(s) => oauth
                    .entry((f.code.clone(), s))
                    .or_default()
                    .push(f.place.clone()),
                None => problems.push(format!(
                    "{}: the status of token endpoint error `{}` cannot be read; pass it as a literal `status`",
                    f.place, f.code
                )),
            },
        }
    }
    // The reader must see the codes it is known to miss if it broke.
    for (code, status) in [
        ("route_not_found", 404),
        ("plan_required", 422),
        ("validation_failed", 422),
    ] {
        assert!(
            problem.contains_key(&(code.to_string(), status)),
            "the reader finds `{code}`"
        );
    }
    for code in ["unknown_field", "invalid_country", "length"] {
        assert!(
            field.contains_key(code),
            "the reader finds field code `{code}`"
        );
    }

    let listed_problem: BTreeSet<(String, u16)> = PROBLEM_CODES
        .iter()
        .map(|c| (c.code.to_string(), c.status))
        .collect();
    let listed_field: BTreeSet<String> = FIELD_CODES.iter().map(|c| c.code.to_string()).collect();
    let listed_oauth: BTreeSet<(String, u16)> = OAUTH_ERRORS
        .iter()
        .map(|c| (c.error.to_string(), c.status))
        .collect();

    for ((code, status), places) in &problem {
        if !listed_problem.contains(&(code.clone(), *status)) {
            let listed: Vec<u16> = PROBLEM_CODES
                .iter()
                .filter(|c| c.code == code)
                .map(|c| c.status)
                .collect();
            problems.push(format!(
                "problem code `{code}` answers {status} (at {}) but PROBLEM_CODES lists it with {listed:?}",
                places.join(", ")
            ));
        }
    }
    for (code, status) in &listed_problem {
        if !problem.contains_key(&(code.clone(), *status)) {
            problems.push(format!(
                "PROBLEM_CODES lists `{code}` with {status}, but no source produces it with that status"
            ));
        }
    }
    for (code, places) in &field {
        if !listed_field.contains(code) {
            problems.push(format!(
                "field code `{code}` (at {}) is not in FIELD_CODES",
                places.join(", ")
            ));
        }
    }
    for code in &listed_field {
        if !field.contains_key(code) {
            problems.push(format!(
                "FIELD_CODES lists `{code}`, but no source produces it"
            ));
        }
    }
    for ((code, status), places) in &oauth {
        if !listed_oauth.contains(&(code.clone(), *status)) {
            problems.push(format!(
                "token endpoint error `{code}` with {status} (at {}) is not in OAUTH_ERRORS",
                places.join(", ")
            ));
        }
    }
    for (code, status) in &listed_oauth {
        if !oauth.contains_key(&(code.clone(), *status)) {
            problems.push(format!(
                "OAUTH_ERRORS lists `{code}` with {status}, but no source produces it"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "the code list in src/problem_codes.rs and the source disagree:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_code_list_is_well_formed() {
    let mut seen = BTreeSet::new();
    for c in PROBLEM_CODES {
        assert!(
            seen.insert((c.code, c.status)),
            "`{}` {} listed twice",
            c.code,
            c.status
        );
        assert!(is_code(c.code), "`{}` is snake_case", c.code);
        assert!((400..600).contains(&c.status), "`{}`: {}", c.code, c.status);
        assert!(
            is_sentence(c.meaning),
            "`{}`: one sentence: {:?}",
            c.code,
            c.meaning
        );
        assert!(!c.area.is_empty(), "`{}` has an area", c.code);
    }
    let mut seen = BTreeSet::new();
    for c in FIELD_CODES {
        assert!(seen.insert(c.code), "`{}` listed twice", c.code);
        assert!(is_code(c.code), "`{}` is snake_case", c.code);
        assert!(
            is_sentence(c.meaning),
            "`{}`: one sentence: {:?}",
            c.code,
            c.meaning
        );
    }
    let mut seen = BTreeSet::new();
    for c in OAUTH_ERRORS {
        assert!(
            seen.insert((c.error, c.status)),
            "`{}` listed twice",
            c.error
        );
        assert!(is_code(c.error), "`{}` is snake_case", c.error);
        assert!(
            is_sentence(c.meaning),
            "`{}`: one sentence: {:?}",
            c.error,
            c.meaning
        );
    }
    // Entries of one area stay together, so the rendered page has one section per area.
    let mut areas: Vec<&str> = PROBLEM_CODES.iter().map(|c| c.area).collect();
    areas.dedup();
    let distinct: BTreeSet<&str> = areas.iter().copied().collect();
    assert_eq!(areas.len(), distinct.len(), "areas are grouped: {areas:?}");
}

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// One sentence, fit for a Markdown table cell.
fn is_sentence(s: &str) -> bool {
    s.len() > 20
        && s.ends_with('.')
        && s.starts_with(|c: char| c.is_uppercase() || c == '`')
        && !s.contains(['|', '\n'])
        && !s.trim_end_matches('.').contains(". ")
}

#[test]
fn docs_errors_md_is_the_rendering_of_the_code_list() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/errors.md"))
        .expect("docs/errors.md is committed");
    assert!(
        committed == problem_codes::render_markdown(),
        "docs/errors.md is out of date with src/problem_codes.rs; regenerate it with \
         `cargo run -q -- error-codes > docs/errors.md` and commit the result"
    );
}

#[test]
fn the_readme_links_the_code_list() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    assert!(
        readme.contains("(docs/errors.md)"),
        "README links docs/errors.md"
    );
}

/// Real responses carry codes of the list, with the listed status.
#[tokio::test]
async fn real_responses_carry_listed_codes() {
    let app = TestApp::spawn().await;
    let listed = |code: &str, status: u16| {
        assert!(
            problem_codes::problem_code(code, status).is_some(),
            "`{code}` {status} is in PROBLEM_CODES"
        );
    };

    let body = app
        .anon()
        .get("/v1/no-such-route")
        .await
        .expect_problem(404, "route_not_found");
    listed(body["code"].as_str().unwrap(), 404);

    let body = app
        .anon()
        .get("/v1/me")
        .await
        .expect_problem(401, "unauthenticated");
    listed(body["code"].as_str().unwrap(), 401);

    let body = app
        .operator()
        .post(
            "/v1/admin/partners",
            &json!({"name": "", "legal_entity": "Acme Ltd", "billing_email": "nope", "owner_email": "owner@acme.example"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    listed(body["code"].as_str().unwrap(), 422);
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{body}"); // name: length; billing_email: email
    for e in errors {
        let code = e["code"].as_str().unwrap();
        assert!(
            problem_codes::field_code(code).is_some(),
            "field code `{code}` is in FIELD_CODES: {body}"
        );
    }

    let r = app
        .anon()
        .post_form("/v1/oauth/token", &[("grant_type", "password")])
        .await;
    let (status, body) = (r.status, r.body);
    let error = body["error"].as_str().unwrap();
    assert!(
        OAUTH_ERRORS
            .iter()
            .any(|e| e.error == error && e.status == status),
        "`{error}` {status} is in OAUTH_ERRORS"
    );
}
