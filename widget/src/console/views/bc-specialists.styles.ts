import { css } from 'lit';

export const styles = css`
  ul.people, ul.plain { list-style: none; margin: 0; padding: 0; }
  ul.plain { display: grid; gap: 8px; margin-bottom: var(--bw-gap); }
  ul.plain li { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: center; }
  .card .head { margin-bottom: 4px; }
  .card .head h3 { margin: 0; }
  .keys { border-top: 1px solid var(--bw-color-border); margin-top: var(--bw-gap); padding-top: var(--bw-gap); }
  .keys h4 { margin: 0 0 6px; }
  .editor { display: grid; gap: 12px; }
  .editor h3 { margin: 0; }
`;
