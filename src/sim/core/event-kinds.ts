/** Integer event kinds dispatched by Simulation.dispatch (engine.ts). */
export const EV_TICK = 1
export const EV_GUEST = 2
export const EV_WAKE = 3
export const EV_IRQ = 4
export const EV_TASK_TIMER = 5
export const EV_GP_TICK = 6
export const EV_NOISE_END = 7
export const EV_NOISE_WAKE = 8
export const EV_SAMPLE = 9
export const EV_WARMUP = 10
export const EV_IDLE_EXIT = 11
