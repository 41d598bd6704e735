/**
 * The HTML report's one stylesheet, inline. Nothing may reach past the window's right edge, at 1400 px or on a
 * 390-px phone, and nothing scrolls sideways (no overflow box hides a wide table): a cell's long ids and
 * addresses break anywhere (class long-word), other words wrap whole, small multiples sit in a grid of as many columns as fit, a chart shrinks to its box, and below 44rem
 * each table row becomes a card of 'column: value' lines (the cells' data-label). Rows marked bad or good keep
 * their colour in both layouts.
 */
export const STYLE = `
*, *::before, *::after { box-sizing: border-box; }
body { font-family: system-ui, sans-serif; margin: 1rem 1.5rem; color: #111; background: #fff; line-height: 1.4; overflow-wrap: break-word; }
h1 { font-size: 1.4rem; margin: 0 0 0.3rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid #ccc; }
header + section h2, header + .warnings + section h2 { margin-top: 0.8rem; }
details > summary { cursor: pointer; }
details.contents { font-size: 0.9rem; color: #333; }
details.contents nav { display: flex; flex-wrap: wrap; gap: 0.15rem 1rem; padding: 0.3rem 0; }
.warnings { margin: 0.4rem 0; }
.warning { background: #fff3cd; border-left: 4px solid #b58100; padding: 0.2rem 0.6rem; margin: 0.25rem 0; font-weight: 600; font-size: 0.9rem; }
.note { max-width: 70rem; color: #333; font-size: 0.92rem; margin: 0.4rem 0; }
details.note > summary { color: #333; }
details.note[open] > summary { margin-bottom: 0.3rem; }
figure.charts { margin: 0.8rem 0; }
.chart-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 19.5rem), 1fr)); gap: 0.8rem 1.2rem; align-items: start; }
.chart-grid svg.chart { display: block; width: 100%; height: auto; }
figure.single svg.chart { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 0.85rem; color: #555; margin-top: 0.3rem; }
table { border-collapse: collapse; font-size: 0.85rem; max-width: 100%; margin: 0.5rem 0; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.45rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
tr.bad td { background: #fde0dc; } tr.good td { background: #dff3e3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.long-word, td.more dd { overflow-wrap: anywhere; }
td.more summary { color: #333; } .narrow-label { display: none; }
td.more dl { margin: 0.2rem 0 0; } td.more dt { font-weight: 600; } td.more dd { margin: 0 0 0.2rem; }
details.table-fold > summary { font-weight: 600; margin: 0.5rem 0; }
pre, code { white-space: pre-wrap; overflow-wrap: anywhere; }
footer { margin-top: 3rem; font-size: 0.8rem; color: #555; }
@media (max-width: 44rem) {
  body { margin: 0.75rem; }
  table { font-size: 0.8rem; }
  table.data, table.data tbody { display: block; border: 0; }
  table.data thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table.data tr { display: flex; flex-wrap: wrap; gap: 0 0.8rem; border: 1px solid #ccc; padding: 0.25rem 0.45rem; margin-bottom: 0.35rem; }
  table.data td { display: block; border: 0; padding: 0; background: none; white-space: normal; text-align: left; }
  table.data td::before { content: attr(data-label) ": "; color: #666; }
  table.data td[data-label=""]::before { content: none; }
  table.data td:first-child { font-weight: 600; }
  table.data td.more { flex-basis: 100%; }
  table.data td.more::before { content: none; }
  .narrow-label { display: inline; color: #666; }
  table.data tr.bad { background: #fde0dc; } table.data tr.good { background: #dff3e3; }
}
`;
