#!/usr/bin/env bash
# vanban against the typst CLI on the same documents, on this machine, in one
# run. See bench/README.md for what is measured and the targets.
#
#   bench/compare.sh              # RUNS=5 timed runs per small command
#   RUNS=3 BIG_RUNS=2 WORK=/tmp/vb-bench bench/compare.sh
#
# Needs hyperfine, /usr/bin/time (package `time`) and pdftotext
# (poppler-utils); installs the typst CLI with `cargo install typst-cli
# --locked` when it is missing. Not part of CI: timings are figures, not tests.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-5}
BIG_RUNS=${BIG_RUNS:-3}
TASKS_BIG=${TASKS_BIG:-3000}
TASKS_SMALL=${TASKS_SMALL:-300}
UNITS=${UNITS:-200}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/vanban-bench.XXXXXX")}
mkdir -p "$WORK"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
NPROC=$(nproc)

die() { echo "compare.sh: $*" >&2; exit 1; }
command -v hyperfine >/dev/null || die "needs hyperfine (apt-get install -y hyperfine)"
[ -x /usr/bin/time ] || die "needs /usr/bin/time (apt-get install -y time)"
command -v pdftotext >/dev/null || die "needs pdftotext (apt-get install -y poppler-utils)"
if ! command -v typst >/dev/null; then
    echo "== installing the typst CLI (cargo install typst-cli --locked, ~10 min)"
    cargo install typst-cli --locked
fi

echo "== building (release)"
cargo build --release --quiet --bin vanban --example make_big_workbook
VB=$TARGET/release/vanban
GEN=$TARGET/release/examples/make_big_workbook

echo "machine: $NPROC cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), \
$(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "vanban: $($VB --version)   typst: $(typst --version)"
echo "work dir: $WORK"

# --- helpers -----------------------------------------------------------------
# hyperfine's mean (seconds) of the command at row $2 (1-based) of CSV $1.
mean() { awk -F, -v row="$2" 'NR == row + 1 { print $2 }' "$1"; }
# Peak resident set size (MB) of a command, from /usr/bin/time -v.
peak_mb() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }'; }
# The documents `--emit typ` wrote in a folder: each X.typ beside its X.data.json.
sources() { for j in "$1"/*.data.json; do echo "${j%.data.json}.typ"; done; }
# Whether typst's PDF of an emitted source has the same text as vanban's.
same_text() {
    local a b
    a=$(pdftotext -layout "$1" - 2>/dev/null)
    b=$(pdftotext -layout "$2" - 2>/dev/null)
    [ "$a" = "$b" ]
}
RESULTS=()
report() { RESULTS+=("$(printf '%-52s %s' "$1" "$2")"); }

# --- (a) workbooks -----------------------------------------------------------
echo "== (a) workbooks"
BIG=$WORK/plan-$TASKS_BIG.xlsx
SMALL=$WORK/plan-$TASKS_SMALL.xlsx
"$GEN" "$BIG" --tasks "$TASKS_BIG" --units "$UNITS"
"$GEN" "$SMALL" --tasks "$TASKS_SMALL" --units "$UNITS"

# --- cold single plan of the sample ------------------------------------------
echo "== cold vanban plan data/ke-hoach-mau.xlsx (a new process each run)"
hyperfine --style basic --warmup 2 --runs $((RUNS * 4)) --export-csv "$WORK/sample.csv" \
    -n "vanban plan ke-hoach-mau" "$VB plan data/ke-hoach-mau.xlsx -o $WORK/mau.pdf -q"
T_SAMPLE=$(mean "$WORK/sample.csv" 1)
report "cold plan, sample workbook (target < 150 ms)" "$(ms "$T_SAMPLE")"

# --- (b) batch: vanban batch vs one typst process per document ----------------
echo "== (b) batch of $UNITS unit plans ($TASKS_SMALL tasks)"
rm -rf "$WORK/emit-batch"
"$VB" batch "$SMALL" --out-dir "$WORK/emit-batch" --emit typ -q
mapfile -t DOCS < <(sources "$WORK/emit-batch")
N_DOCS=${#DOCS[@]}
[ "$N_DOCS" -gt 0 ] || die "vanban batch --emit typ wrote no sources"
printf '%s\n' "${DOCS[@]}" >"$WORK/batch-list.txt"
cat >"$WORK/typst-seq.sh" <<EOF
#!/usr/bin/env bash
# One typst process per document, one after the other.
set -e
mkdir -p "$WORK/typst-batch"
while read -r f; do
    typst compile --root "$WORK/emit-batch" "\$f" "$WORK/typst-batch/\$(basename "\$f" .typ).pdf"
done <"$WORK/batch-list.txt"
EOF
cat >"$WORK/typst-par.sh" <<EOF
#!/usr/bin/env bash
# One typst process per document, $NPROC at a time.
set -e
mkdir -p "$WORK/typst-batch-par"
xargs -P $NPROC -I{} sh -c 'typst compile --root "$WORK/emit-batch" "\$1" "$WORK/typst-batch-par/\$(basename "\$1" .typ).pdf"' _ {} \
    <"$WORK/batch-list.txt"
EOF
chmod +x "$WORK/typst-seq.sh" "$WORK/typst-par.sh"
hyperfine --style basic --warmup 1 --runs "$BIG_RUNS" --export-csv "$WORK/batch.csv" \
    --prepare "rm -rf $WORK/vb-batch $WORK/typst-batch $WORK/typst-batch-par" \
    -n "vanban batch ($N_DOCS docs)" "$VB batch $SMALL --out-dir $WORK/vb-batch -q" \
    -n "typst compile x $N_DOCS sequential" "$WORK/typst-seq.sh" \
    -n "typst compile x $N_DOCS with xargs -P $NPROC" "$WORK/typst-par.sh"
T_VB_BATCH=$(mean "$WORK/batch.csv" 1)
T_TY_SEQ=$(mean "$WORK/batch.csv" 2)
T_TY_PAR=$(mean "$WORK/batch.csv" 3)
PER_VB=$(awk -v t="$T_VB_BATCH" -v n="$N_DOCS" 'BEGIN { print t / n }')
PER_TY=$(awk -v t="$T_TY_SEQ" -v n="$N_DOCS" 'BEGIN { print t / n }')
PER_TYP=$(awk -v t="$T_TY_PAR" -v n="$N_DOCS" 'BEGIN { print t / n }')
PAGES=$(pdfinfo "${DOCS[0]%.typ}.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
report "batch: vanban per document ($N_DOCS docs, ${PAGES:-?} pages each)" "$(ms "$PER_VB")"
report "batch: typst CLI per document, sequential" "$(ms "$PER_TY")"
report "batch: typst CLI per document, xargs -P $NPROC" "$(ms "$PER_TYP")"
report "batch speed-up vs typst sequential (target >= 8x)" "$(ratio "$T_TY_SEQ" "$T_VB_BATCH")x"
report "batch speed-up vs typst xargs -P $NPROC" "$(ratio "$T_TY_PAR" "$T_VB_BATCH")x"

# --- (c) one big plan vs typst on its emitted source --------------------------
echo "== (c) one plan of $TASKS_BIG tasks"
rm -rf "$WORK/emit-big"
"$VB" plan "$BIG" -o "$WORK/emit-big/ke-hoach.pdf" --emit typ -q >/dev/null
BIG_TYP=$WORK/emit-big/ke-hoach.typ
hyperfine --style basic --warmup 1 --runs "$BIG_RUNS" --export-csv "$WORK/big.csv" \
    -n "vanban plan ($TASKS_BIG tasks)" "$VB plan $BIG -o $WORK/vb-big.pdf -q" \
    -n "typst compile (emitted source)" "typst compile --root $WORK/emit-big $BIG_TYP $WORK/typst-big.pdf"
T_VB_BIG=$(mean "$WORK/big.csv" 1)
T_TY_BIG=$(mean "$WORK/big.csv" 2)
BIG_PAGES=$(pdfinfo "$WORK/vb-big.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
report "plan $TASKS_BIG tasks (${BIG_PAGES:-?} pages): vanban" "$(ms "$T_VB_BIG")"
report "plan $TASKS_BIG tasks: typst CLI" "$(ms "$T_TY_BIG")"
report "plan $TASKS_BIG tasks: time ratio vanban/typst (target <= 1.2)" "$(ratio "$T_VB_BIG" "$T_TY_BIG")"

# --- growth -------------------------------------------------------------------
echo "== growth: $TASKS_SMALL -> $TASKS_BIG tasks"
hyperfine --style basic --warmup 1 --runs "$BIG_RUNS" --export-csv "$WORK/growth.csv" \
    -n "vanban plan ($TASKS_SMALL tasks)" "$VB plan $SMALL -o $WORK/vb-small.pdf -q" \
    -n "vanban plan ($TASKS_BIG tasks)" "$VB plan $BIG -o $WORK/vb-big.pdf -q"
T_SMALL=$(mean "$WORK/growth.csv" 1)
T_BIG2=$(mean "$WORK/growth.csv" 2)
report "growth: time($TASKS_BIG) / time($TASKS_SMALL) (target <= 11)" "$(ratio "$T_BIG2" "$T_SMALL")"

# --- (d) peak memory -----------------------------------------------------------
echo "== (d) peak memory (/usr/bin/time -v)"
M_VB_BIG=$(peak_mb "$VB" plan "$BIG" -o "$WORK/vb-big.pdf" -q)
M_TY_BIG=$(peak_mb typst compile --root "$WORK/emit-big" "$BIG_TYP" "$WORK/typst-big.pdf")
M_VB_BATCH=$(peak_mb "$VB" batch "$SMALL" --out-dir "$WORK/vb-batch" -q)
M_TY_ONE=$(peak_mb typst compile --root "$WORK/emit-batch" "${DOCS[0]}" "$WORK/typst-one.pdf")
M_VB_SAMPLE=$(peak_mb "$VB" plan data/ke-hoach-mau.xlsx -o "$WORK/mau.pdf" -q)
report "peak RSS, plan $TASKS_BIG tasks: vanban" "$M_VB_BIG MB"
report "peak RSS, plan $TASKS_BIG tasks: typst CLI" "$M_TY_BIG MB"
report "peak RSS ratio vanban/typst (target <= 1.5)" "$(ratio "$M_VB_BIG" "$M_TY_BIG")"
report "peak RSS, vanban batch of $N_DOCS" "$M_VB_BATCH MB"
report "peak RSS, typst CLI, one unit document" "$M_TY_ONE MB"
report "peak RSS, vanban plan of the sample" "$M_VB_SAMPLE MB"

# --- does the emitted source reproduce vanban's PDF? ---------------------------
echo "== emitted sources: same text as vanban's PDF?"
SAME=0
for f in "${DOCS[@]}"; do
    b=$(basename "$f" .typ)
    same_text "$WORK/emit-batch/$b.pdf" "$WORK/typst-batch-par/$b.pdf" && SAME=$((SAME + 1))
done 2>/dev/null || true
if [ -d "$WORK/typst-batch-par" ]; then
    report "batch: typst PDFs with the same text as vanban's" "$SAME / $N_DOCS"
fi
if same_text "$WORK/emit-big/ke-hoach.pdf" "$WORK/typst-big.pdf"; then
    report "plan $TASKS_BIG: typst PDF has the same text" "yes"
else
    report "plan $TASKS_BIG: typst PDF has the same text" "NO (diff the pdftotext output)"
fi

echo
echo "== results ($NPROC cores, $(date -u '+%Y-%m-%d'))"
printf '%s\n' "${RESULTS[@]}"
echo "(work files in $WORK)"
