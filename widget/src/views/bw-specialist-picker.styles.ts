import { css } from 'lit';

export const styles = css`
  ul { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--bw-gap); }
  button.person {
    width: 100%; text-align: start; display: flex; gap: 12px; align-items: flex-start; justify-content: flex-start; padding: 12px 14px;
    background: var(--bw-color-bg);
  }
  .photo {
    flex: none; width: 56px; height: 56px; border-radius: 50%; object-fit: cover; display: grid; place-items: center;
    background: var(--bw-color-accent-soft); color: var(--bw-color-text); font-weight: 700;
  }
  .text { display: grid; gap: 2px; min-width: 0; }
  .name { font-weight: 700; font-size: 1.05rem; }
  .meta { color: var(--bw-color-muted); font-size: 0.95rem; }
  .bio { font-size: 0.95rem; display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
  .muted { color: var(--bw-color-muted); margin-top: 0; }
`;
