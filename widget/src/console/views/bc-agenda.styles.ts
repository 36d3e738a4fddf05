import { css } from 'lit';

export const styles = css`
  ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; grid-template-columns: minmax(0, 1fr); }
  .toolbar { margin-bottom: var(--bw-gap); align-items: center; }
  .segments { display: inline-flex; }
  .segments button { border-radius: 0; }
  .segments button:first-child { border-radius: var(--bw-radius) 0 0 var(--bw-radius); }
  .segments button:last-child { border-radius: 0 var(--bw-radius) var(--bw-radius) 0; }
  .segments button + button { margin-left: -1px; }
  .segments button[aria-pressed='true'] { background: var(--bw-color-accent); color: var(--bw-color-accent-text); border-color: var(--bw-color-accent); }
  .period { font-weight: 600; }
  .day { margin-bottom: var(--bw-gap); }
  .day h3 { font-size: 1rem; margin-bottom: 6px; }
  section.pending { border-left: 4px solid #b36b00; }
  button.booking {
    width: 100%; display: grid; grid-template-columns: 8.5rem 1fr auto; gap: 2px 12px; text-align: left; justify-content: stretch;
    align-items: center; min-width: 0;
  }
  button.booking > span { min-width: 0; overflow-wrap: break-word; }
  .booking .when { font-variant-numeric: tabular-nums; font-weight: 600; }
  .booking .what { grid-column: 2; }
  .booking .badge { grid-row: 1; grid-column: 3; }
  .pending .booking { grid-template-columns: 1fr auto; }
  .pending .booking .when { grid-column: 1 / -1; }
  .pending .booking .what { grid-column: 1; }
  .pending .booking .badge { grid-row: 2; grid-column: 2; }
  .badge.today { color: var(--bw-color-accent); }
  /* Narrow: one line under another (grid placement does not apply to flex items). */
  @container (max-width: 520px) {
    button.booking { display: flex; flex-direction: column; align-items: flex-start; gap: 2px; padding: 8px 10px; }
    button.booking .badge { white-space: normal; }
  }
`;
