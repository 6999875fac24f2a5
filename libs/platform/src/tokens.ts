/** Injection tokens for the ports the composition root binds. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const BANLI_CONFIG = Symbol('BANLI_CONFIG');
export const DOMAIN_SERVICES = Symbol('DOMAIN_SERVICES');
export const CLOCK = Symbol('CLOCK');
export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
/** The features' item projections this process keeps (`ItemProjection[]`). */
export const READ_PROJECTIONS = Symbol('READ_PROJECTIONS');
