import { css } from 'lit';

export const styles = css`
  .filters .actions { margin-top: 10px; }
  .pager { margin-top: var(--bw-gap); }
  td .open { min-height: 36px; padding: 4px 12px; }
`;
