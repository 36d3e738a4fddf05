import { css } from 'lit';

export const styles = css`
  form { display: grid; gap: 14px; }
  .check { display: flex; gap: 10px; align-items: center; font-weight: 600; }
  .check input { width: 24px; height: 24px; min-height: 24px; }
  textarea { min-height: 96px; resize: vertical; }
  .req { color: var(--bw-color-danger); }
`;
