/**
 * Passwords: at least 12 characters, no composition rules (NIST SP 800-63B: length is what
 * resists guessing; rules push people to predictable patterns). better-auth's maximum (128)
 * stays. The server enforces it; the forms say it.
 */
export const MIN_PASSWORD_LENGTH = 12;
