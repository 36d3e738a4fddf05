import { css } from 'lit';

export const styles = css`
  .frame { width: 100%; height: min(70vh, 640px); min-height: 360px; border-radius: var(--bw-radius); overflow: hidden; background: #000; }
  .bar { display: flex; justify-content: space-between; align-items: center; gap: 8px; margin-bottom: 8px; flex-wrap: wrap; }
  .bar h2 { margin: 0; }
`;
