import { css } from 'lit';

export const styles = css`
  form.card { display: grid; gap: 10px; margin-bottom: var(--bw-gap); }
  form.card h3 { margin: 0; }
  dl.report { display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; margin: 0; }
  dl.report dd { margin: 0; }
`;
