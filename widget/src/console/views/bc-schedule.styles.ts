import { css } from 'lit';

export const styles = css`
  .back { margin-bottom: 8px; }
  .week { display: grid; gap: 10px; grid-template-columns: repeat(auto-fill, minmax(min(100%, 260px), 1fr)); margin-bottom: var(--bw-gap); }
  .weekday { margin: 0; }
  .interval { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin-bottom: 6px; }
  .interval input.time { width: 5.5rem; font-variant-numeric: tabular-nums; text-align: center; }
  .interval .error { flex-basis: 100%; }
  button.link.remove { color: var(--bw-color-danger); }
  .copy { display: grid; gap: 2px; margin-top: 6px; }
  .month-head { display: flex; align-items: center; justify-content: space-between; max-width: 420px; }
  .month-head h4 { margin: 0; }
  table.month { border-collapse: collapse; width: 100%; max-width: 420px; margin-bottom: 6px; table-layout: fixed; }
  table.month th { font-size: 0.8rem; color: var(--bw-color-muted); padding: 4px 0; }
  table.month td { padding: 1px; text-align: center; }
  button.date { width: 100%; min-width: 0; min-height: 40px; padding: 2px; }
  button.date.blocked { background: var(--bw-color-surface); color: var(--bw-color-danger); border-color: var(--bw-color-danger); text-decoration: line-through; }
  button.date.custom { background: var(--bw-color-accent-soft); border-color: var(--bw-color-accent); }
  button.date[aria-pressed='true'] { outline: 2px solid var(--bw-color-accent); outline-offset: 1px; }
  button.date[aria-current='date'] { font-weight: 700; }
  .legend { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; }
  .key { display: inline-block; width: 14px; height: 14px; border-radius: 3px; border: 1px solid; }
  .key.blocked { border-color: var(--bw-color-danger); background: var(--bw-color-surface); }
  .key.custom { border-color: var(--bw-color-accent); background: var(--bw-color-accent-soft); margin-left: 8px; }
  .day-editor { border-top: 1px solid var(--bw-color-border); margin-top: var(--bw-gap); padding-top: var(--bw-gap); }
  .vacation { border-top: 1px solid var(--bw-color-border); margin-top: var(--bw-gap); padding-top: var(--bw-gap); display: grid; gap: 10px; }
  .vacation h4, .day-editor h4 { margin: 0 0 8px; }
  .preview { display: grid; gap: 8px; grid-template-columns: repeat(auto-fill, minmax(min(100%, 240px), 1fr)); margin-top: var(--bw-gap); }
  .pday h4 { margin: 0 0 2px; font-size: 0.95rem; }
  .times { font-variant-numeric: tabular-nums; margin: 0; }
`;
