import { css } from 'lit';

export const styles = css`
  ul.plain { list-style: none; padding: 0; margin: 0; display: grid; gap: 10px; }
  ul.plain li { display: grid; gap: 2px; }
  ul.plain .hint { overflow-wrap: anywhere; }
`;
