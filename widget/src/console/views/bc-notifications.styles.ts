import { css } from 'lit';

export const styles = css`
  .wrap { overflow-wrap: anywhere; }
`;
