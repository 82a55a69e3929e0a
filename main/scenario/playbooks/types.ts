import type { World } from '../world.ts';

/** An attack script: it checks its parameters, estimates its size and schedules its steps. */
export interface Playbook {
  /** Records the attack adds over the whole period, so the background can be paced around it. */
  estimate(world: World): number;
  /** Schedules every step; runs after the hosts have booted and before the clock starts. */
  schedule(world: World): void;
}
