import { css } from 'lit';

export const styles = css`
  .back { margin-bottom: 8px; }
  .columns { display: grid; gap: var(--bw-gap); }
  .actions.main { margin-bottom: var(--bw-gap); }
  .confirm { border-left: 4px solid var(--bw-color-danger); }
  ul.plain { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
  .answer { white-space: pre-wrap; }
  .field { margin-bottom: var(--bw-gap); }
  .field .actions { margin-top: 6px; }
  .history .hint { margin-top: 2px; }
  .record { margin-bottom: 8px; align-items: center; }
  @container (min-width: 900px) { .columns { grid-template-columns: 1fr 1fr; } }
`;
