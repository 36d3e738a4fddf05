import { css } from 'lit';

export const styles = css`
  .head { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin-bottom: 8px; }
  .head h3 { margin: 0; text-transform: capitalize; text-align: center; flex: 1; }
  .nav { min-width: 44px; font-size: 1.3rem; padding: 4px 8px; }
  table { width: 100%; border-collapse: collapse; table-layout: fixed; }
  th { font-size: 0.8rem; font-weight: 600; color: var(--bw-color-muted); padding: 4px 0; }
  th abbr { text-decoration: none; }
  td { padding: 2px; text-align: center; }
  .day {
    width: 100%; min-height: 40px; padding: 0; border-radius: 50%; aspect-ratio: 1; max-width: 48px;
    border: 1px solid transparent; background: none; color: var(--bw-color-muted); position: relative;
  }
  .day.available { color: var(--bw-color-text); font-weight: 600; background: var(--bw-color-accent-soft); }
  .day.available::after {
    content: ''; position: absolute; bottom: 5px; left: 50%; width: 5px; height: 5px; margin-left: -2.5px;
    border-radius: 50%; background: var(--bw-color-accent);
  }
  .day[aria-current='date'] { border-color: var(--bw-color-border); }
  .day[aria-disabled='true'] { cursor: default; opacity: 1; text-decoration: none; }
  td[aria-selected='true'] .day { background: var(--bw-color-accent); color: var(--bw-color-accent-text); }
  td[aria-selected='true'] .day::after { background: var(--bw-color-accent-text); }
`;
