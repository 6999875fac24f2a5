/** oidc-provider ships no types; the journeys use its constructor and listen() only. */
declare module 'oidc-provider';
