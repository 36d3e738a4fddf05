import { css } from 'lit';

export const styles = css`
  ul.plain { list-style: none; padding: 0; margin: 0 0 var(--bw-gap); display: grid; gap: 8px; }
  ul.plain li { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
  form.card { display: grid; gap: 10px; }
  form.card h3 { margin: 0; }
`;
