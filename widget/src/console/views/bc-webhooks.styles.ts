import { css } from 'lit';

export const styles = css`
  ul.plain { list-style: none; padding: 0; margin: 0; }
  .url { margin: 0; font-size: 1rem; overflow-wrap: anywhere; }
  form.card { display: grid; gap: 10px; }
  form.card h3 { margin: 0; }
`;
