export { createRng, foldIds } from "./rng.js";
export type { Rng } from "./rng.js";
