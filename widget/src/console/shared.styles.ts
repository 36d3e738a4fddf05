// Styles the console's views share on top of the widget's (widget/src/shared.styles.ts): page
// headings, cards, tables that become stacked rows on narrow screens, status badges, form grids.
import { css } from 'lit';

export const consoleBase = css`
  :host { display: block; container-type: inline-size; }
  .head { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; justify-content: space-between; margin-bottom: var(--bw-gap); }
  .head h2 { margin: 0; }
  .head + .hint { margin: -4px 0 var(--bw-gap); }
  .toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; }
  .card {
    background: var(--bw-color-bg); border: 1px solid var(--bw-color-border); border-radius: var(--bw-radius);
    padding: 14px 16px; margin-bottom: var(--bw-gap);
  }
  .card > h3:first-child { margin-top: 0; }
  .grid { display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(min(100%, 220px), 1fr)); }
  .field { display: grid; gap: 4px; align-content: start; }
  .field label { margin: 0; }
  .hint { color: var(--bw-color-muted); font-size: 0.9rem; margin: 0; }
  .card > .hint, .card > p.muted { margin-bottom: 10px; }
  .check { display: flex; gap: 8px; align-items: center; font-weight: 400; margin: 0; min-height: 44px; }
  .check input { width: 20px; height: 20px; min-height: 0; margin: 0; flex: none; }
  fieldset { border: 1px solid var(--bw-color-border); border-radius: var(--bw-radius); padding: 10px 14px; margin: 0 0 var(--bw-gap); min-width: 0; }
  legend { font-weight: 600; padding: 0 4px; }
  .badge {
    display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 0.85rem; font-weight: 600; white-space: nowrap;
    border: 1px solid currentColor; background: var(--bw-color-bg);
  }
  .badge.pending { color: #8a4b00; }
  .badge.confirmed, .badge.in_progress, .badge.active, .badge.sent { color: var(--bw-color-success); }
  .badge.cancelled, .badge.no_show, .badge.broken, .badge.failed { color: var(--bw-color-danger); }
  .badge.completed, .badge.archived { color: var(--bw-color-muted); }
  table.list { width: 100%; border-collapse: collapse; }
  table.list th, table.list td { text-align: left; padding: 8px; border-bottom: 1px solid var(--bw-color-border); vertical-align: top; }
  table.list th { font-size: 0.9rem; color: var(--bw-color-muted); }
  .secret {
    font-family: ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; background: var(--bw-color-surface);
    padding: 8px 10px; border-radius: calc(var(--bw-radius) - 4px);
  }
  .actions { display: flex; flex-wrap: wrap; gap: 8px; }
  /* In grid forms a submit button keeps its own width instead of stretching across. */
  form > button[type='submit'] { justify-self: start; }
  .empty { color: var(--bw-color-muted); padding: 12px 0; }
  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 0; }
  dl.facts dt { font-weight: 600; color: var(--bw-color-muted); }
  dl.facts dd { margin: 0; overflow-wrap: anywhere; }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) .badge.pending { color: #f6c177; }
  }
  :host([theme='dark']) .badge.pending { color: #f6c177; }
  @container (max-width: 640px) {
    table.list thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    table.list, table.list tbody, table.list tr, table.list td { display: block; width: 100%; }
    table.list tr { border-bottom: 1px solid var(--bw-color-border); padding: 6px 0; }
    table.list td { border: 0; padding: 2px 0; }
    table.list td[data-label]::before { content: attr(data-label) ': '; font-weight: 600; color: var(--bw-color-muted); }
    dl.facts { grid-template-columns: 1fr; }
    dl.facts dd { margin-bottom: 6px; }
  }
`;
