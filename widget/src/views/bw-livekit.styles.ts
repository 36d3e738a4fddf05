import { css } from 'lit';

export const styles = css`
  :host { display: block; }
  .stage { display: grid; gap: 8px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 260px), 1fr)); }
  figure { position: relative; margin: 0; aspect-ratio: 4 / 3; background: #111; border-radius: var(--bw-radius); overflow: hidden; }
  figure.screen { grid-column: 1 / -1; aspect-ratio: 16 / 9; }
  video { width: 100%; height: 100%; object-fit: cover; display: block; }
  figure.screen video { object-fit: contain; }
  figure.local video { transform: scaleX(-1); }
  .placeholder { position: absolute; inset: 0; display: grid; place-items: center; color: #e9ecf1; padding: 12px; text-align: center; }
  figcaption { position: absolute; left: 8px; bottom: 8px; background: rgb(0 0 0 / 0.65); color: #fff; padding: 2px 8px; border-radius: 6px; font-size: 0.875rem; }
  .controls { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
  .controls button[aria-pressed='true'] { background: var(--bw-color-accent-soft); border-color: var(--bw-color-accent); }
  .controls .leave { margin-inline-start: auto; }
  .recording { color: var(--bw-color-danger); font-weight: 600; margin: 0 0 8px; }
`;
