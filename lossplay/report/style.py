"""The page's style sheet, inlined into every handout: one column that fits a phone, prints on paper.

Nothing on the page may be wider than the window, down to 400 px: text and commands
wrap (a file name without spaces breaks where it must), pictures scale to the width,
and a table too wide for the screen scrolls inside its own box, which shows that it
does: a shadow on the side that has more to show (every browser) and the words
"scroll sideways" (browsers that can tell when a box scrolls).
"""

STYLE = """
:root { color-scheme: light; --ink: #1d2329; --muted: #56606b; --line: #d5dbe1; --soft: #f3f5f7;
  --good: #1e7b34; --bad: #b3261e; --warn: #8a5a00; --focus: #1a5fb4; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5; overflow-wrap: break-word;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main, footer { max-width: 50rem; margin: 0 auto; padding: 0 1rem; }
main { padding-top: 1.5rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0.1rem 0 0.8rem; overflow-wrap: anywhere; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
p { margin: 0.5rem 0; }
img { max-width: 100%; height: auto; }
.kind { margin: 0; color: var(--muted); font-size: 0.85rem; text-transform: uppercase; letter-spacing: 0.06em; }
.lead { font-size: 1.05rem; }
.note, .files { color: var(--muted); font-size: 0.92rem; }
.status { border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 4px;
  padding: 0.4rem 0.9rem; margin: 1rem 0; background: var(--soft); }
.status p:first-child strong { font-size: 1.1rem; }
.status-completed, .status-early_stopped { border-left-color: var(--good); }
.status-diverged { border-left-color: var(--bad); }
.status-diverged p:first-child strong { color: var(--bad); }
.status-interrupted { border-left-color: var(--warn); }

/* a table wider than the page scrolls in its box: the white covers scroll with the table and hide the shadows
   (which stay at the box's edges) at the side that has nothing more to show */
.scroll { overflow-x: auto; margin: 0.6rem 0; container-type: scroll-state;
  background:
    linear-gradient(to right, #fff 30%, #fff0) left center / 2.5rem 100% no-repeat local,
    linear-gradient(to left, #fff 30%, #fff0) right center / 2.5rem 100% no-repeat local,
    radial-gradient(farthest-side at 0 50%, #0004, #0000) left center / 0.9rem 100% no-repeat scroll,
    radial-gradient(farthest-side at 100% 50%, #0004, #0000) right center / 0.9rem 100% no-repeat scroll; }
.scroll:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.scroll-hint { display: none; margin: 0 0 0.2rem; color: var(--muted); font-size: 0.85rem; }
@container scroll-state(scrollable: inline) {
  .scroll-hint { display: block; position: sticky; left: 0; }
}
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 0.3rem 0.7rem 0.3rem 0; text-align: left; vertical-align: top; }
thead th { border-bottom: 1.5px solid var(--ink); vertical-align: bottom; }
tbody tr + tr td, tbody tr + tr th { border-top: 1px solid var(--line); }
td.num { text-align: right; white-space: nowrap; }
td:last-child, th:last-child { padding-right: 0; }
table.metrics td:last-child { color: var(--muted); font-size: 0.92rem; padding-left: 0.6rem; }
table.params td:first-child { overflow-wrap: anywhere; }
table.comparison td strong { color: var(--good); }
table.comparison td { white-space: nowrap; }
.word-diverged { color: var(--bad); font-weight: 600; }
.warning { border-left: 4px solid var(--warn); padding-left: 0.7rem; }
table.keys { width: 100%; margin: 0.4rem 0; }
table.keys th { font-weight: 600; width: 10.5rem; padding-right: 1rem; }
table.keys td, table.keys th { overflow-wrap: anywhere; }

figure { margin: 1rem 0 1.5rem; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; width: 100%; border: 1px solid var(--line); border-radius: 4px; }
@media screen and (min-width: 62rem) {
  /* a wide screen shows the pictures wider than the text, so their small print can be read */
  section > figure { width: min(72rem, 100vw - 3rem); position: relative; left: 50%; transform: translateX(-50%); }
  /* each run's loss curve of a comparison: at its own size, one below the other */
  section > figure.compact { width: min(56.25rem, 100vw - 3rem); }
}
figcaption { font-size: 0.95rem; margin-top: 0.4rem; }
figcaption p { margin: 0.25rem 0; }
figure.compact figcaption { margin: 0 0 0.3rem; font-size: 1.05rem; }
.missing { border: 1px dashed var(--bad); color: var(--bad); padding: 0.5rem 0.8rem; margin: 0.8rem 0;
  border-radius: 4px; }

/* commands wrap between their options; an option and its value move to the next line together, and break
   only when they are wider than a line (a long file name) */
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 0.6rem 0.8rem;
  white-space: pre-wrap; font-size: 0.9rem; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; }
code .word { display: inline-block; max-width: 100%; white-space: pre-wrap; overflow-wrap: anywhere; }
p code { font-size: 0.9rem; }
.lines strong { font-weight: 600; white-space: nowrap; }

details.every-option { margin: 0.6rem 0 1rem; border: 1px solid var(--line); border-radius: 4px;
  padding: 0.3rem 0.8rem; }
details.every-option summary { cursor: pointer; font-weight: 600; padding: 0.2rem 0; }
details.every-option[open] summary { margin-bottom: 0.4rem; }
.options { columns: 2 16rem; column-gap: 2rem; font-size: 0.88rem; }
.options table { width: 100%; margin: 0 0 0.8rem; break-inside: avoid; page-break-inside: avoid; }
.options caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
.options th { font-weight: normal; font-family: ui-monospace, Menlo, Consolas, monospace; white-space: nowrap; }
.options td { text-align: right; overflow-wrap: anywhere; }
.options th, .options td { padding: 0.1rem 0.4rem 0.1rem 0; }
footer { margin-top: 2.5rem; padding-top: 0.6rem; padding-bottom: 2rem; border-top: 1px solid var(--line);
  color: var(--muted); font-size: 0.85rem; overflow-wrap: anywhere; }
@media (max-width: 30rem) {
  body { font-size: 15px; }
  h1 { font-size: 1.45rem; }
  table.keys th { width: 35%; }
  th, td { padding-right: 0.5rem; }
}
@media print {
  body { font-size: 10.5pt; }
  main, footer { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .status { background: none; }
  .scroll { overflow: visible; background: none; }
  .scroll-hint, details.every-option { display: none; }
  figure img { width: auto; max-width: 100%; max-height: 10cm; margin: 0 auto; }
  figure.animation, section.animations { display: none; }
  a { color: inherit; text-decoration: none; }
}
"""
