import { css } from 'lit';

export const styles = css`
  .wrap { max-width: 880px; margin: 0 auto; }
  .ways { display: grid; gap: var(--bw-gap); }
  form { display: grid; gap: 12px; }
  @container (min-width: 700px) { .ways { grid-template-columns: 1fr 1fr; } }
`;
