/** The quickstart's demo user. */
export const DEMO_EMAIL = 'demo@rapport.local';
/** Published in the README: only ever the password of a demo no other machine can reach. */
export const DEMO_PASSWORD = 'rapport-demo';
