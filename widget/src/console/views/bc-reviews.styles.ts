import { css } from 'lit';

export const styles = css`
  .reviews li { display: block; margin-bottom: 0.75rem; }
  .stars { color: var(--bc-star-color, #b7791f); letter-spacing: 0.1em; margin-right: 0.25rem; }
  blockquote { margin: 0.25rem 0; padding-left: 0.75rem; border-left: 3px solid var(--bc-border, #ddd); white-space: pre-wrap; overflow-wrap: anywhere; }
  .tag { font-size: 0.875em; }
`;
