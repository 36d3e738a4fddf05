import { runFaults } from './scenarios.ts';
const r = await runFaults((l) => console.log(l), (process.env.ONLY ?? "").split(",").filter(Boolean));
console.log(JSON.stringify({ ...r, phases: undefined }, null, 1));
