import { css } from 'lit';

export const styles = css`
  .filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: end; margin-bottom: var(--bw-gap); }
  .pager { margin-top: var(--bw-gap); }
  ul.refunds { list-style: none; margin: 0; padding: 0; }
  td .open { min-height: 36px; padding: 4px 12px; }
  .badge.paid, .badge.succeeded { color: var(--bw-color-success); }
  .badge.expired, .badge.canceled, .badge.failed { color: var(--bw-color-danger); }
  .badge.refunded, .badge.partially_refunded, .badge.queued, .badge.pending { color: var(--bw-color-muted); }
`;
