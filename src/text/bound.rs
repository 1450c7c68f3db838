//! A bound on what one cell's template can make, found before it runs.
//!
//! minijinja's fuel bounds the steps a template takes, not the size of the
//! values it builds: `{% set a = a ~ a %}` repeated, or `('x'*100000000)`
//! (minijinja allows 100 MB a repetition) reach gigabytes in a few steps.
//! So the template's syntax tree is walked once, with the document's
//! variables at hand, and every expression gets an upper bound on the size
//! of its value (the bytes of its text form; a variable's is measured on
//! the value itself). A template is refused when one expression may exceed
//! [`MAX_TEMPLATE_BYTES`], or when all its expressions, times the turns of
//! the loops around them, may handle more than [`MAX_TEMPLATE_WORK`] bytes.
//!
//! The bound is sound because nothing can carry a value from one turn of a
//! loop to the next: `{% set %}` is allowed only outside every block (so a
//! chain of them is followed statement by statement), there is no
//! `namespace()`, no macros, no recursive loop, no `{% set %}…{% endset %}`
//! or `{% filter %}` capture. Output goes to a writer that stops at the limit.

use crate::workbook::limits::{grouped, MAX_TEMPLATE_BYTES, MAX_TEMPLATE_FUEL, MAX_TEMPLATE_WORK};
use minijinja::machinery::ast::{self, BinOpKind, CallArg, Expr, Stmt, UnaryOpKind};
use minijinja::machinery::Span;
use minijinja::value::{Value, ValueKind};

/// Text size of any number (`1e308` prints 309 digits).
const NUM_BYTES: u128 = 400;
/// Text size of what the Vietnamese filters (`so`, `ngay`…) make.
const VI_FILTER_BYTES: u128 = 512;
/// Text size of a boolean.
const BOOL_BYTES: u128 = 5;
/// minijinja's own cap on `range()`.
const RANGE_ITEMS: u128 = 100_000;
/// How many concrete values a bound keeps (to follow `t.ten` over a loop).
const MAX_CANDIDATES: usize = 4096;
/// Numbers whose magnitude is not known.
const ANY: u128 = u128::MAX;

/// Why a template is refused, and where in its text.
#[derive(Debug)]
pub struct Refusal {
    pub message: String,
    /// Byte offset in the text of the expression or statement concerned.
    pub at: usize,
}

/// What is known of a value before the template runs.
#[derive(Clone, Debug)]
struct Bound {
    /// At most this many bytes as text.
    bytes: u128,
    /// A number (or boolean) of at most this magnitude.
    num: Option<u128>,
    /// The values it can be, when they come from the document's variables.
    values: Option<Vec<Value>>,
}

impl Bound {
    fn text(bytes: u128) -> Bound {
        Bound { bytes, num: None, values: None }
    }

    fn number(mag: u128) -> Bound {
        Bound { bytes: NUM_BYTES, num: Some(mag), values: None }
    }

    fn boolean() -> Bound {
        Bound { bytes: BOOL_BYTES, num: Some(1), values: None }
    }

    /// The bound of a set of known values.
    fn of(values: Vec<Value>) -> Bound {
        let bytes = values.iter().map(text_len).max().unwrap_or(0);
        let num = values.iter().map(magnitude).try_fold(0, |m, x| x.map(|x| m.max(x)));
        Bound { bytes, num, values: Some(values) }
    }

    /// The bound of either of two values.
    fn either(a: Bound, b: Bound) -> Bound {
        let values = match (a.values, b.values) {
            (Some(mut x), Some(y)) if x.len() + y.len() <= MAX_CANDIDATES => {
                x.extend(y);
                Some(x)
            }
            _ => None,
        };
        let num = a.num.zip(b.num).map(|(x, y)| x.max(y));
        Bound { bytes: a.bytes.max(b.bytes), num, values }
    }
}

/// Bytes of a value's text (an undefined value prints nothing).
fn text_len(v: &Value) -> u128 {
    match v.as_str() {
        Some(s) => s.len() as u128,
        None => v.to_string().len() as u128,
    }
}

/// The magnitude of a number or boolean, `None` for other values.
fn magnitude(v: &Value) -> Option<u128> {
    match v.kind() {
        ValueKind::Bool => Some(1),
        ValueKind::Number => Some(f64::try_from(v.clone()).ok().filter(|x| x.is_finite()).map_or(ANY, |x| {
            let m = x.abs().ceil();
            if m < 1e38 {
                m as u128
            } else {
                ANY
            }
        })),
        _ => None,
    }
}

/// A name bound by the template: a value, or a loop's `loop` object.
#[derive(Clone)]
enum Entry {
    Value(Bound),
    Loop { turns: u128, item: Bound },
}

struct Walker<'c> {
    ctx: &'c Value,
    scope: Vec<(String, Entry)>,
    /// Bytes handled so far, each expression counted once per turn.
    work: u128,
    /// Turns of the loops around the current statement.
    turns: u128,
    /// Blocks around the current statement (`set` only at depth 0).
    depth: usize,
}

/// Checks that a template (parsed from a cell's text) stays inside the limits.
pub fn check(tree: &Stmt, ctx: &Value) -> Result<(), Refusal> {
    let mut w = Walker { ctx, scope: Vec::new(), work: 0, turns: 1, depth: 0 };
    w.stmt(tree)
}

fn at(span: Span) -> usize {
    span.start_offset as usize
}

fn refuse<T>(span: Span, message: String) -> Result<T, Refusal> {
    Err(Refusal { message, at: at(span) })
}

fn not_allowed<T>(span: Span, what: &str) -> Result<T, Refusal> {
    refuse(span, format!("{what} không dùng được trong ô (chỉ dùng {{{{ … }}}}, if, for và set ở ngoài cùng)"))
}

impl Walker<'_> {
    fn stmts(&mut self, body: &[Stmt]) -> Result<(), Refusal> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    /// A nested block's statements.
    fn block(&mut self, body: &[Stmt]) -> Result<(), Refusal> {
        self.depth += 1;
        let r = self.stmts(body);
        self.depth -= 1;
        r
    }

    fn stmt(&mut self, s: &Stmt) -> Result<(), Refusal> {
        match s {
            Stmt::Template(t) => self.stmts(&t.children),
            Stmt::EmitRaw(r) => self.spend(r.span(), r.raw.len() as u128),
            Stmt::EmitExpr(e) => self.expr(&e.expr).map(drop),
            Stmt::IfCond(c) => {
                self.expr(&c.expr)?;
                self.block(&c.true_body)?;
                self.block(&c.false_body)
            }
            Stmt::ForLoop(f) => self.for_loop(f),
            Stmt::WithBlock(w) => {
                let mark = self.scope.len();
                for (target, value) in &w.assignments {
                    let b = self.expr(value)?;
                    self.bind(target, b)?;
                }
                let r = self.block(&w.body);
                self.scope.truncate(mark);
                r
            }
            Stmt::Set(set) => {
                if self.depth > 0 {
                    return refuse(
                        set.span(),
                        "{% set %} chỉ dùng được ở ngoài cùng của ô, không trong if, for hay with".to_string(),
                    );
                }
                let b = self.expr(&set.expr)?;
                self.bind(&set.target, b)
            }
            Stmt::AutoEscape(a) => {
                self.expr(&a.enabled)?;
                self.block(&a.body)
            }
            Stmt::Do(d) => self.call(&d.call).map(drop),
            Stmt::SetBlock(b) => not_allowed(b.span(), "{% set %}…{% endset %}"),
            Stmt::FilterBlock(b) => not_allowed(b.span(), "{% filter %}"),
            // Macros, includes, blocks: the features are off, so they do not
            // parse; were they on, they would be refused here.
            #[allow(unreachable_patterns)]
            _ => Err(Refusal { message: "câu lệnh này không dùng được trong ô".to_string(), at: 0 }),
        }
    }

    fn for_loop(&mut self, f: &ast::Spanned<ast::ForLoop>) -> Result<(), Refusal> {
        if f.recursive {
            return not_allowed(f.span(), "vòng lặp recursive");
        }
        // A loop over `range(…)` does not make the list: its turns are
        // bounded by the fuel, its items are numbers.
        let iter = match &f.iter {
            Expr::Call(c) if self.is_range(c) => {
                self.args(&c.args)?;
                Bound::text(0)
            }
            other => self.expr(other)?,
        };
        let (count, item) = match &f.iter {
            // `[a, b]`: two turns, each item one of them.
            Expr::List(l) => {
                let mut item = Bound::text(0);
                for e in &l.items {
                    item = Bound::either(item, self.peek_or_text(e, iter.bytes));
                }
                (l.items.len() as u128, item)
            }
            _ => self.items(&f.iter, &iter),
        };
        let mark = self.scope.len();
        self.bind(&f.target, item.clone())?;
        self.scope.push(("loop".to_string(), Entry::Loop { turns: count, item }));
        let outer = self.turns;
        // Every turn takes fuel, so no body runs more often than the fuel allows.
        self.turns = outer.saturating_mul(count.max(1)).min(u128::from(MAX_TEMPLATE_FUEL));
        let r = (|| {
            if let Some(cond) = &f.filter_expr {
                self.expr(cond)?;
            }
            self.block(&f.body)
        })();
        self.turns = outer;
        self.scope.truncate(mark);
        r?;
        self.block(&f.else_body)
    }

    /// How many items a loop over `b` takes, and what each item can be.
    fn items(&self, e: &Expr, b: &Bound) -> (u128, Bound) {
        if let Expr::Call(c) = e {
            if self.is_range(c) {
                return self.range(c);
            }
        }
        if let Some(values) = &b.values {
            let mut count = 0u128;
            let mut items = Vec::new();
            let mut all = true;
            let mut bytes = 0;
            let mut num = Some(0u128);
            for v in values {
                let Ok(iter) = v.try_iter() else { continue };
                let mut n = 0u128;
                for item in iter {
                    n += 1;
                    bytes = bytes.max(text_len(&item));
                    num = num.zip(magnitude(&item)).map(|(a, b)| a.max(b));
                    if items.len() < MAX_CANDIDATES {
                        items.push(item);
                    } else {
                        all = false;
                    }
                }
                count = count.max(n);
            }
            let item = if all { Bound::of(items) } else { Bound { bytes, num, values: None } };
            return (count, item);
        }
        // Each item prints at least one byte (or a separator).
        (b.bytes.max(1), Bound::text(b.bytes))
    }

    fn is_range(&self, c: &ast::Call) -> bool {
        matches!(&c.expr, Expr::Var(v) if v.id == "range" && self.lookup(v.id).is_none())
    }

    /// `range(…)`: its length and the magnitude of its numbers.
    fn range(&self, c: &ast::Call) -> (u128, Bound) {
        let mags: Option<Vec<u128>> = c
            .args
            .iter()
            .map(|a| match a {
                CallArg::Pos(e) => self.peek(e).and_then(|b| b.num),
                _ => None,
            })
            .collect();
        match mags {
            Some(m) if !m.is_empty() && m.iter().all(|&x| x != ANY) => {
                let top = m.iter().take(2).copied().max().unwrap_or(0);
                let len = if m.len() == 1 { top } else { top.saturating_mul(2) };
                (len.min(RANGE_ITEMS), Bound::number(top))
            }
            _ => (RANGE_ITEMS, Bound::number(ANY)),
        }
    }

    /// The bound of an expression without counting its work (for `range`'s
    /// arguments, already counted).
    fn peek(&self, e: &Expr) -> Option<Bound> {
        match e {
            Expr::Const(c) => Some(Bound::of(vec![c.value.clone()])),
            Expr::Var(_) | Expr::GetAttr(_) | Expr::GetItem(_) => self.path(e),
            Expr::UnaryOp(u) if matches!(u.op, UnaryOpKind::Neg) => self.peek(&u.expr),
            _ => None,
        }
    }

    /// An item of a list literal: known, or at most the list's bytes.
    fn peek_or_text(&self, e: &Expr, list_bytes: u128) -> Bound {
        self.peek(e).unwrap_or_else(|| Bound::text(list_bytes))
    }

    /// A variable path (`don_vi.ten`, `chi_so['A']`) from known values.
    fn path(&self, e: &Expr) -> Option<Bound> {
        match e {
            Expr::Var(v) => match self.lookup(v.id) {
                Some(Entry::Value(b)) => Some(b.clone()),
                Some(Entry::Loop { .. }) => None,
                None => Some(Bound::of(vec![self.ctx.get_attr(v.id).unwrap_or_default()])),
            },
            Expr::GetAttr(g) => {
                let base = self.path(&g.expr)?;
                let values = base.values?;
                Some(Bound::of(values.iter().filter_map(|v| v.get_attr(g.name).ok()).collect()))
            }
            Expr::GetItem(g) => {
                let base = self.path(&g.expr)?;
                let key = self.peek(&g.subscript_expr)?.values?;
                let values = base.values?;
                let found =
                    values.iter().flat_map(|v| key.iter().filter_map(|k| v.get_item(k).ok())).take(MAX_CANDIDATES);
                Some(Bound::of(found.collect()))
            }
            _ => None,
        }
    }

    fn lookup(&self, name: &str) -> Option<&Entry> {
        self.scope.iter().rev().find(|(n, _)| n == name).map(|(_, e)| e)
    }

    /// Binds a `set`/`for`/`with` target (a name or a tuple of names).
    fn bind(&mut self, target: &Expr, b: Bound) -> Result<(), Refusal> {
        match target {
            Expr::Var(v) => {
                self.scope.push((v.id.to_string(), Entry::Value(b)));
                Ok(())
            }
            Expr::List(l) => {
                // Unpacking: each name gets a part of the value.
                let part = Bound::text(b.bytes);
                for t in &l.items {
                    self.bind(t, part.clone())?;
                }
                Ok(())
            }
            Expr::GetAttr(g) => not_allowed(g.span(), "gán vào thuộc tính (namespace)"),
            _ => Ok(()),
        }
    }

    /// Counts the bytes an expression handles; refuses past the limits.
    fn spend(&mut self, span: Span, bytes: u128) -> Result<(), Refusal> {
        if bytes > u128::from(MAX_TEMPLATE_BYTES) {
            return refuse(
                span,
                format!(
                    "biểu thức có thể tạo ra {} byte, vượt giới hạn {} byte của một ô",
                    big(bytes),
                    grouped(MAX_TEMPLATE_BYTES)
                ),
            );
        }
        self.work = self.work.saturating_add(bytes.saturating_mul(self.turns));
        if self.work > u128::from(MAX_TEMPLATE_WORK) {
            return refuse(
                span,
                format!(
                    "biểu thức có thể phải xử lý {} byte (kể cả các vòng lặp), vượt giới hạn {} byte của một ô; \
                     bỏ bớt vòng lặp hoặc phép nối chuỗi",
                    big(self.work),
                    grouped(MAX_TEMPLATE_WORK)
                ),
            );
        }
        Ok(())
    }

    fn expr(&mut self, e: &Expr) -> Result<Bound, Refusal> {
        let (b, span) = match e {
            Expr::Const(c) => (Bound::of(vec![c.value.clone()]), c.span()),
            Expr::Var(v) => (self.var(v.id), v.span()),
            Expr::GetAttr(g) => {
                let base = self.expr(&g.expr)?;
                (self.attr(&g.expr, g.name, base), g.span())
            }
            Expr::GetItem(g) => {
                let base = self.expr(&g.expr)?;
                self.expr(&g.subscript_expr)?;
                let b = self.path(e).unwrap_or_else(|| Bound::text(base.bytes));
                (b, g.span())
            }
            Expr::Slice(s) => {
                let base = self.expr(&s.expr)?;
                for part in [&s.start, &s.stop, &s.step].into_iter().flatten() {
                    self.expr(part)?;
                }
                (Bound::text(base.bytes), s.span())
            }
            Expr::UnaryOp(u) => {
                let x = self.expr(&u.expr)?;
                let b = match u.op {
                    UnaryOpKind::Not => Bound::boolean(),
                    UnaryOpKind::Neg => Bound { bytes: x.bytes.max(NUM_BYTES), num: x.num, values: None },
                };
                (b, u.span())
            }
            Expr::BinOp(op) => {
                let l = self.expr(&op.left)?;
                let r = self.expr(&op.right)?;
                (binop(op.op, l, r), op.span())
            }
            Expr::Compare(c) => {
                self.expr(&c.expr)?;
                for op in &c.ops {
                    self.expr(&op.expr)?;
                }
                (Bound::boolean(), c.span())
            }
            Expr::IfExpr(i) => {
                self.expr(&i.test_expr)?;
                let t = self.expr(&i.true_expr)?;
                let f = match &i.false_expr {
                    Some(f) => self.expr(f)?,
                    None => Bound::text(0),
                };
                (Bound::either(t, f), i.span())
            }
            Expr::Filter(f) => {
                let input = match &f.expr {
                    Some(x) => self.expr(x)?,
                    None => Bound::text(0),
                };
                let args = self.args(&f.args)?;
                (filter(f.name, &input, &args, f.span())?, f.span())
            }
            Expr::Test(t) => {
                self.expr(&t.expr)?;
                self.args(&t.args)?;
                (Bound::boolean(), t.span())
            }
            Expr::Call(c) => (self.call(c)?, c.span()),
            Expr::List(l) => {
                let mut bytes = 2u128;
                for item in &l.items {
                    bytes = bytes.saturating_add(self.expr(item)?.bytes).saturating_add(4);
                }
                (Bound::text(bytes), l.span())
            }
            Expr::Map(m) => {
                let mut bytes = 2u128;
                for (k, v) in m.keys.iter().zip(&m.values) {
                    bytes =
                        bytes.saturating_add(self.expr(k)?.bytes).saturating_add(self.expr(v)?.bytes).saturating_add(6);
                }
                (Bound::text(bytes), m.span())
            }
        };
        self.spend(span, b.bytes)?;
        Ok(b)
    }

    fn var(&self, name: &str) -> Bound {
        match self.lookup(name) {
            Some(Entry::Value(b)) => b.clone(),
            // `loop` printed as a whole is short.
            Some(Entry::Loop { .. }) => Bound::text(64),
            None => Bound::of(vec![self.ctx.get_attr(name).unwrap_or_default()]),
        }
    }

    /// `x.name`: from the known values, or the loop's attributes.
    fn attr(&self, base_expr: &Expr, name: &str, base: Bound) -> Bound {
        if let Expr::Var(v) = base_expr {
            if let Some(Entry::Loop { turns, item }) = self.lookup(v.id) {
                return match name {
                    "previtem" | "nextitem" => Bound { values: None, ..item.clone() },
                    "first" | "last" => Bound::boolean(),
                    _ => Bound::number(turns.saturating_add(1)),
                };
            }
        }
        match base.values {
            Some(values) => Bound::of(values.iter().filter_map(|v| v.get_attr(name).ok()).collect()),
            None => Bound::text(base.bytes),
        }
    }

    fn args(&mut self, args: &[CallArg]) -> Result<Vec<(Option<String>, Bound)>, Refusal> {
        args.iter()
            .map(|a| match a {
                CallArg::Pos(e) | CallArg::PosSplat(e) => Ok((None, self.expr(e)?)),
                CallArg::Kwarg(k, e) => Ok((Some((*k).to_string()), self.expr(e)?)),
                CallArg::KwargSplat(e) => Ok((None, self.expr(e)?)),
            })
            .collect()
    }

    fn call(&mut self, c: &ast::Spanned<ast::Call>) -> Result<Bound, Refusal> {
        let args = self.args(&c.args)?;
        let sum = args.iter().fold(0u128, |s, (_, b)| s.saturating_add(b.bytes).saturating_add(4));
        match &c.expr {
            _ if self.is_range(c) => {
                // `0, 1, 2, …`: each number's digits, a sign and `, `.
                let (count, item) = self.range(c);
                let digits = item.num.map_or(40, |m| m.checked_ilog10().map_or(1, |d| u128::from(d) + 1));
                Ok(Bound::text(count.saturating_mul(digits + 3)))
            }
            Expr::GetAttr(g) if matches!(&g.expr, Expr::Var(v) if matches!(self.lookup(v.id), Some(Entry::Loop { .. }))) =>
            {
                Ok(match g.name {
                    "changed" => Bound::boolean(),
                    // `loop.cycle(a, b)` gives one of its arguments.
                    _ => Bound::text(args.iter().map(|(_, b)| b.bytes).max().unwrap_or(0)),
                })
            }
            Expr::GetAttr(g) => {
                let base = self.expr(&g.expr)?;
                Ok(Bound::text(sum.saturating_add(base.bytes)))
            }
            // `dict(a=…)` and functions that do not exist (an error when run).
            other => {
                self.expr(other)?;
                Ok(Bound::text(sum.saturating_add(2)))
            }
        }
    }
}

fn binop(op: BinOpKind, l: Bound, r: Bound) -> Bound {
    use BinOpKind::*;
    match op {
        Eq | Ne | Lt | Lte | Gt | Gte | In => Bound::boolean(),
        // `a or b` is one of them.
        ScAnd | ScOr => Bound { values: None, ..Bound::either(l, r) },
        Add => match (l.num, r.num) {
            (Some(a), Some(b)) => Bound::number(a.saturating_add(b)),
            // Two texts or two lists joined.
            _ => Bound::text(l.bytes.saturating_add(r.bytes)),
        },
        Concat => Bound::text(l.bytes.saturating_add(r.bytes)),
        Sub => Bound::number(l.num.zip(r.num).map_or(ANY, |(a, b)| a.saturating_add(b))),
        Div | FloorDiv | Rem | Pow => Bound::number(ANY),
        Mul => match (l.num, r.num) {
            (Some(a), Some(b)) => Bound::number(a.saturating_mul(b)),
            // A text or list repeated `n` times.
            (Some(n), None) => Bound::text(r.bytes.saturating_mul(n)),
            (None, Some(n)) => Bound::text(l.bytes.saturating_mul(n)),
            // Neither is known to be a number: the count is at most the
            // number that many digits can write.
            (None, None) => Bound::text(l.bytes.max(r.bytes).saturating_mul(digits_max(l.bytes.min(r.bytes)))),
        },
    }
}

/// The largest number written with `n` digits.
fn digits_max(n: u128) -> u128 {
    u32::try_from(n).ok().and_then(|n| 10u128.checked_pow(n)).unwrap_or(ANY)
}

/// The magnitude of a numeric argument, if it is known.
fn count_arg(args: &[(Option<String>, Bound)], pos: usize, name: &str) -> Option<u128> {
    let positional = args.iter().filter(|(k, _)| k.is_none()).nth(pos);
    let named = args.iter().find(|(k, _)| k.as_deref() == Some(name));
    named.or(positional).and_then(|(_, b)| b.num)
}

fn arg_bytes(args: &[(Option<String>, Bound)], pos: usize, name: &str) -> u128 {
    let positional = args.iter().filter(|(k, _)| k.is_none()).nth(pos);
    let named = args.iter().find(|(k, _)| k.as_deref() == Some(name));
    named.or(positional).map_or(0, |(_, b)| b.bytes)
}

/// The bound of a filter's result.
fn filter(name: &str, i: &Bound, args: &[(Option<String>, Bound)], span: Span) -> Result<Bound, Refusal> {
    let max = u128::from(MAX_TEMPLATE_BYTES);
    let n = i.bytes;
    let all_args = args.iter().fold(0u128, |s, (_, b)| s.saturating_add(b.bytes));
    Ok(match name {
        "so" | "phan_tram" | "ngay" | "ngay_ngan" | "la_ma" => Bound::text(VI_FILTER_BYTES),
        // Case mapping can triple a text's bytes (`ΐ` → `Ϊ́`).
        "hoa" | "upper" | "lower" | "title" | "capitalize" => Bound::text(n.saturating_mul(3)),
        "trim" | "safe" | "string" | "first" | "last" | "min" | "max" | "attr" | "reverse" | "sort" | "unique"
        | "select" | "reject" | "selectattr" | "rejectattr" => Bound::text(n),
        "escape" | "e" => Bound::text(n.saturating_mul(6)),
        "default" | "d" => Bound::text(n.max(arg_bytes(args, 0, "other"))),
        "length" | "count" | "wordcount" => Bound::number(n),
        "int" | "abs" | "round" => Bound::number(i.num.map_or(ANY, |m| m.saturating_add(1))),
        "float" | "sum" => Bound::number(ANY),
        "bool" => Bound::boolean(),
        // A text split into one-character items prints `'a', ` for each.
        "list" | "split" | "lines" | "items" | "dictsort" | "groupby" | "chain" | "zip" => {
            Bound::text(n.saturating_add(all_args).saturating_mul(6))
        }
        "map" => {
            // `map('filter')` would run any filter on every item.
            if args.iter().any(|(k, _)| k.is_none()) {
                return not_allowed(span, "bộ lọc map với tên bộ lọc (dùng map(attribute=…))");
            }
            Bound::text(n)
        }
        "batch" | "slice" => {
            // Both may add `n` groups or fillers whatever the input.
            let count = count_arg(args, 0, "count").unwrap_or(ANY);
            let fill = arg_bytes(args, 1, "fill_with").saturating_add(4);
            Bound::text(n.saturating_mul(6).saturating_add(count.saturating_mul(fill)))
        }
        // Ours: each refuses a result past the limit, so the bound is the
        // smaller of what it can make and the limit.
        "replace" => {
            let to = arg_bytes(args, 1, "new");
            Bound::text(n.saturating_add(n.saturating_add(1).saturating_mul(to)).min(max))
        }
        "join" => Bound::text(n.saturating_add(n.saturating_mul(arg_bytes(args, 0, "d"))).min(max)),
        "center" => Bound::text(n.max(count_arg(args, 0, "width").unwrap_or(ANY)).min(max)),
        "indent" => {
            let width = count_arg(args, 0, "width").unwrap_or(ANY);
            Bound::text(n.saturating_add(n.saturating_add(1).saturating_mul(width)).min(max))
        }
        // Filters that do not exist fail when run.
        _ => Bound::text(n),
    })
}

/// A bound as a number, or "more than" the largest one.
fn big(n: u128) -> String {
    match u64::try_from(n) {
        Ok(n) => grouped(n),
        Err(_) => format!("hơn {}", grouped(u64::MAX)),
    }
}
