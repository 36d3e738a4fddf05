import { css } from 'lit';

export const styles = css`
  ul.plain { list-style: none; padding: 0; margin: 0; display: grid; gap: 4px; }
  table.kinds { margin-bottom: var(--bw-gap); }
  table.kinds caption { text-align: left; font-weight: 600; padding: 6px 0; }
  table.kinds th[scope='row'] { font-weight: 400; color: inherit; font-size: 1rem; }
  table.kinds code { display: block; font-size: 0.8rem; color: var(--bw-color-muted); overflow-wrap: anywhere; }
  button.state { min-width: 7em; }
  button.state.custom { border-color: var(--bw-color-accent); color: var(--bw-color-accent); font-weight: 600; }
  button.state[aria-current='true'] { box-shadow: var(--bw-focus); }
  .editor form { display: grid; gap: 10px; margin-bottom: var(--bw-gap); }
  .editor h3 { margin: 0; }
  .variables li { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
  .preview h4, .preview h5 { margin: 8px 0 6px; }
  .preview iframe { width: 100%; min-height: 260px; border: 1px solid var(--bw-color-border); border-radius: calc(var(--bw-radius) - 4px); background: #fff; }
  .preview pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--bw-color-surface); padding: 8px 10px; border-radius: calc(var(--bw-radius) - 4px); }
`;
